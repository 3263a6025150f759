using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Training;

namespace Warmstart.Reporting;

public static partial class Figures
{
    /// <summary>Final loss against λ per σ (one marker per σ; a panel per target and budget), mean ± std over seeds; dashed: scratch.</summary>
    public static GenericChart LambdaSweep(IReadOnlyList<LambdaRow> lambda, string tokenizer = Units.ByteTokenizer)
    {
        int nonFinite = lambda.Count(r => !double.IsFinite(r.FinalLossMean));
        lambda = lambda.Where(r => double.IsFinite(r.FinalLossMean)).ToList();
        if (lambda.Count == 0)
            return NothingToPlot("Shrinking: final loss vs λ",
                nonFinite > 0 ? $"every setting ({nonFinite}) has a non-finite final loss" : "no SZP runs with a λ or σ setting");
        // Index-aligned columns: the drawing below picks rows by index.
        var lam = lambda.Select(r => r.Lambda).ToArray();
        var sig = lambda.Select(r => r.Sigma).ToArray();
        var model = lambda.Select(r => r.Model).ToArray();
        var tpp = lambda.Select(r => r.Tpp).ToArray();
        var method = lambda.Select(r => r.Method).ToArray();
        var mean = lambda.Select(r => r.FinalLossMean).ToArray();
        var std = lambda.Select(r => r.FinalLossStd).ToArray();
        var count = lambda.Select(r => r.Runs).ToArray();
        var scratch = lambda.Select(r => r.ScratchLossMean).ToArray();
        string[] symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x"];
        var sigmas = sig.Distinct().OrderByDescending(s => s).ToList();
        var cells = Enumerable.Range(0, lam.Length).Select(i => (Model: model[i], Tpp: tpp[i])).Distinct()
            .OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Tpp).ToList();
        bool severalModels = cells.Select(c => c.Model).Distinct().Count() > 1, severalBudgets = cells.Select(c => c.Tpp).Distinct().Count() > 1;
        var charts = new List<GenericChart>();
        var panels = new List<Panel?>();
        var named = new HashSet<string>();
        for (int p = 0; p < cells.Count; p++)
        {
            var inCell = Enumerable.Range(0, lam.Length).Where(i => model[i] == cells[p].Model && tpp[i] == cells[p].Tpp).ToArray();
            foreach (var group in inCell.GroupBy(i => (Method: method[i], Sigma: sig[i])).OrderByDescending(gr => gr.Key.Sigma))
            {
                var idx = group.OrderBy(i => lam[i]).ToArray();
                double[] bars = idx.Select(i => count[i] >= 2 ? std[i] : double.NaN).ToArray();
                string name = $"{group.Key.Method}, σ = {Fmt(group.Key.Sigma, 2)}";
                charts.Add(Scatter(idx.Select(i => lam[i]), idx.Select(i => mean[i]), name, method: group.Key.Method,
                    symbol: symbols[sigmas.IndexOf(group.Key.Sigma) % symbols.Length], size: 9, errorY: bars, legend: named.Add(name), group: name,
                    panel: p));
            }
            var reference = inCell.Select(i => scratch[i]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).First();
            if (double.IsFinite(reference))
                charts.Add(Reference(0, 1, reference, "scratch's final loss (dashed)", Palette.ReferenceDash, legend: p == 0,
                    color: Palette.Of(Method.Scratch).Color, panel: p, group: Method.Scratch.Spelling));
            panels.Add(new Panel(Axis("λ (shrink factor on the base weights, unitless)"),
                Axis($"final validation loss ({Units.Loss(cells[p].Model, tokenizer)})"),
                cells.Count > 1 ? CellTitle(cells[p].Model, cells[p].Tpp, severalModels, severalBudgets) : null));
        }
        return Finish(Combine(charts), "Shrinking: final loss vs λ", panels,
            ["Final validation loss of the grown target (mean over seeds; ± std where ≥ 2 seeds) against the shrink λ of the base weights, " +
             "one marker per perturbation σ; dashed: scratch's final loss at the same target and budget (λ = 0, σ = 1 is scratch's own start).",
             LeftOut(nonFinite, "settings")], GridColumns(panels.Count));
    }
}
