using Plotly.NET;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Reporting;

public static partial class Figures
{
    /// <summary>
    /// Validation loss against the target's training FLOPs, one line per run in its method's style (seeds share it).
    /// One panel per growth factor where a few (up to six) target × budget × g cells exist, else one per target and
    /// budget; within a panel a method's lighter lines are its larger g (or later λ, σ settings). Dashed grey: the
    /// final loss of the base a panel's runs grew from.
    /// </summary>
    public static GenericChart LearningCurves(IReadOnlyList<RunRow> runs, IReadOnlyList<CurveRow> curves, string title,
        string tokenizer = Units.ByteTokenizer)
    {
        if (runs.Count == 0) return NothingToPlot(title, "no runs");
        var known = runs.Select(r => r.RunId).ToHashSet();
        int nonFinite = curves.Count(c => known.Contains(c.RunId) && !double.IsFinite(c.ValLoss));
        curves = curves.Where(c => double.IsFinite(c.ValLoss)).ToList();
        if (!curves.Any(c => known.Contains(c.RunId)))
            return NothingToPlot(title, nonFinite > 0
                ? $"every validation point of the {runs.Count} runs has a non-finite loss"
                : $"none of the {runs.Count} runs has a validation point yet");
        var data = new CurveColumns(runs, curves);
        var (ids, methods, models, tpps, shown) = (data.Ids, data.Methods, data.Models, data.Tpps, data.Shown);
        var (cf, cl, curveRows) = (data.Flops, data.Losses, data.CurveRows);
        var warmCells = shown.Where(r => methods[r] != Method.Scratch).Select(r => (Model: models[r], Tpp: tpps[r], G: data.GKey(r)))
            .Distinct().ToList();
        bool byG = warmCells.Count is > 1 and <= 6;
        var keys = (byG ? warmCells : warmCells.Select(c => (c.Model, c.Tpp, G: double.NaN)).Distinct().ToList())
            .Concat(shown.Where(r => methods[r] == Method.Scratch && !warmCells.Any(c => c.Model == models[r] && c.Tpp.Equals(tpps[r])))
                .Select(r => (Model: models[r], Tpp: tpps[r], G: double.NaN)))
            .Distinct().OrderBy(k => k.Model, StringComparer.Ordinal).ThenBy(k => k.Tpp).ThenBy(k => k.G).ToList();
        bool severalModels = keys.Select(k => k.Model).Distinct().Count() > 1, severalBudgets = keys.Select(k => k.Tpp).Distinct().Count() > 1;
        var charts = new List<GenericChart>();
        var panels = new List<Panel?>();
        bool anyBase = false, anyShades = false;
        var settled = new List<List<double>>(); // per panel: the losses once the curves have settled (and the bases' finals)
        for (int p = 0; p < keys.Count; p++)
        {
            var key = keys[p];
            var mine = shown.Where(r => data.InPanel(r, key)).ToList();
            settled.Add([]);
            double xMax = mine.SelectMany(r => curveRows[ids[r]]).Select(i => cf[i]).DefaultIfEmpty(1).Max();
            anyShades |= DrawRunCurves(data, charts, mine, p, byG);
            anyBase |= DrawBaseLosses(data, charts, mine, p, xMax, settled[p]);
            // The first evaluations (loss ≈ ln vocab) would squash the rest: the y axis starts where the curves settle.
            settled[p].AddRange(mine.SelectMany(r => curveRows[ids[r]]).Where(i => cf[i] >= 0.05 * xMax && double.IsFinite(cl[i]))
                .Select(i => cl[i]));
            var titleParts = new List<string>();
            if (severalModels) titleParts.Add(ShortModel(key.Model));
            if (severalBudgets) titleParts.Add(Budget(key.Model, key.Tpp));
            if (byG) titleParts.Add(double.IsNaN(key.G) ? "scratch only" : $"g = {Fmt(key.G)}");
            panels.Add(new Panel(Axis("training compute of the target (FLOPs, C = 6·N·D)"),
                Axis($"validation loss ({Units.Loss(mine.Select(r => models[r]), tokenizer)})"),
                keys.Count > 1 ? string.Join(", ", titleParts) : null));
        }
        SettledRanges(data, panels, keys, settled);
        charts.InsertRange(0, InReadingOrder(shown.Select(r => methods[r])).Select(m => MethodKey(m, "lines")));
        if (anyBase) charts.Add(Key("base's final loss (dashed)", "lines", dash: Palette.ReferenceDash, group: "base"));
        var caption = new List<string>
        {
            "Validation loss against the target's training compute, one line per run (seeds share their method's colour and dash).",
        };
        if (anyBase) caption.Add("Dashed grey: the final loss of the base model the runs grew from.");
        if (anyShades)
            caption.Add("Where a method has several settings in a panel, its lighter lines are the larger g (then λ, σ); hover for the values.");
        return Finish(Combine(charts), title, panels, caption.Append(LeftOut(nonFinite, "validation points")), GridColumns(panels.Count));
    }

    /// <summary>
    /// The runs and their curve points as index-aligned columns (the drawing picks runs and points by index), and the
    /// runs shown: all with a curve, less the scratch runs that are some run's base.
    /// </summary>
    sealed class CurveColumns
    {
        public readonly string[] Ids;
        public readonly Method[] Methods;
        public readonly string[] Bases;
        public readonly double[] Finals;
        public readonly string[] Models;
        public readonly double[] Gs, Tpps, Lambdas, Sigmas;
        public readonly double[] Flops, Losses;
        public readonly Dictionary<string, int[]> CurveRows;
        public readonly List<int> Shown;

        public CurveColumns(IReadOnlyList<RunRow> runs, IReadOnlyList<CurveRow> curves)
        {
            Ids = runs.Select(r => r.RunId).ToArray();
            Methods = runs.Select(r => r.Method).ToArray();
            Bases = runs.Select(r => r.BaseId).ToArray();
            Finals = runs.Select(r => r.FinalValLoss).ToArray();
            Models = runs.Select(r => r.Model).ToArray();
            (Gs, Tpps, Lambdas, Sigmas) = (runs.Select(r => r.G).ToArray(), runs.Select(r => r.Tpp).ToArray(), runs.Select(r => r.Lambda).ToArray(),
                runs.Select(r => r.Sigma).ToArray());
            var cid = curves.Select(c => c.RunId).ToArray();
            Flops = curves.Select(c => c.Flops).ToArray();
            Losses = curves.Select(c => c.ValLoss).ToArray();
            CurveRows = Enumerable.Range(0, cid.Length).GroupBy(i => cid[i]).ToDictionary(gr => gr.Key, gr => gr.ToArray());
            var baseIds = Bases.Where(b => b.Length > 0).ToHashSet();
            Shown = Enumerable.Range(0, Ids.Length)
                .Where(r => !(Methods[r] == Method.Scratch && baseIds.Contains(Ids[r])) && CurveRows.ContainsKey(Ids[r])).ToList();
        }

        /// <summary>The g a run's panel and shade go by (NaN for scratch).</summary>
        public double GKey(int r) => Methods[r] == Method.Scratch ? double.NaN : Math.Round(Gs[r], 2);

        /// <summary>
        /// Whether run <paramref name="r"/> is drawn in the panel of <paramref name="key"/> (scratch in every panel of
        /// its target and budget).
        /// </summary>
        public bool InPanel(int r, (string Model, double Tpp, double G) key) =>
            Models[r] == key.Model && Tpps[r].Equals(key.Tpp) && (Methods[r] == Method.Scratch || double.IsNaN(key.G) || GKey(r) == key.G);
    }

    /// <summary>
    /// One line per run of a panel in its method's style, a method's lighter lines its larger g (then λ, σ); true
    /// when some method has several settings in the panel.
    /// </summary>
    static bool DrawRunCurves(CurveColumns data, List<GenericChart> charts, List<int> mine, int p, bool byG)
    {
        var (ids, methods, gs, lambdas, sigmas) = (data.Ids, data.Methods, data.Gs, data.Lambdas, data.Sigmas);
        var (cf, cl, curveRows) = (data.Flops, data.Losses, data.CurveRows);
        bool anyShades = false;
        foreach (var method in InReadingOrder(mine.Select(r => methods[r])))
        {
            var ofMethod = mine.Where(r => methods[r] == method).ToList();
            var settings = ofMethod.Select(r => (G: data.GKey(r), L: lambdas[r], S: sigmas[r])).Distinct()
                .OrderBy(s => s.G).ThenBy(s => s.L).ThenBy(s => s.S).ToList();
            anyShades |= settings.Count > 1;
            foreach (var r in ofMethod)
            {
                int rank = settings.IndexOf((data.GKey(r), lambdas[r], sigmas[r]));
                var parts = new List<string> { method.Spelling };
                if (settings.Select(s => (s.L, s.S)).Distinct().Count() > 1) parts.Add($"λ={Fmt(lambdas[r], 2)}, σ={Fmt(sigmas[r], 2)}");
                if (method != Method.Scratch && (settings.Select(s => s.G).Distinct().Count() > 1 || !byG)) parts.Add($"g = {Fmt(gs[r])}");
                string name = string.Join(", ", parts);
                var idx = curveRows[ids[r]];
                charts.Add(Scatter(idx.Select(i => cf[i]), idx.Select(i => cl[i]), name, mode: "lines", method: method, legend: false,
                    group: method.Spelling, panel: p, width: method == Method.Scratch ? 2.5 : 1.8,
                    opacity: settings.Count > 1 ? 1 - 0.6 * rank / (settings.Count - 1) : 1,
                    hover: $"{System.Net.WebUtility.HtmlEncode(name)}<br>FLOPs %{{x:.3g}}<br>loss %{{y:.4g}}<extra></extra>"));
            }
        }
        return anyShades;
    }

    /// <summary>
    /// Dashed grey lines at the final loss of the bases a panel's runs grew from, each also kept in
    /// <paramref name="settled"/>; true when one was drawn.
    /// </summary>
    static bool DrawBaseLosses(CurveColumns data, List<GenericChart> charts, List<int> mine, int p, double xMax, List<double> settled)
    {
        var (ids, bases, finals, models) = (data.Ids, data.Bases, data.Finals, data.Models);
        bool anyBase = false;
        foreach (var b in mine.Select(r => bases[r]).Where(b => b.Length > 0).Distinct())
        {
            int i = Array.IndexOf(ids, b);
            if (i < 0 || !double.IsFinite(finals[i])) continue;
            anyBase = true;
            settled.Add(finals[i]);
            charts.Add(Reference(0, xMax, finals[i], $"base's final loss ({ShortModel(models[i])})", Palette.ReferenceDash, legend: false, panel: p,
                group: "base", width: 1.2));
        }
        return anyBase;
    }

    /// <summary>One y range per loss unit (a language model's and an MLP's losses share no scale), where the curves settle.</summary>
    static void SettledRanges(CurveColumns data, List<Panel?> panels, List<(string Model, double Tpp, double G)> keys, List<List<double>> settled)
    {
        var (ids, cl, curveRows, shown) = (data.Ids, data.Losses, data.CurveRows, data.Shown);
        foreach (var unit in Enumerable.Range(0, panels.Count).GroupBy(p => AxisTitle(panels[p]!.Y)))
        {
            var low = unit.SelectMany(p => shown.Where(r => data.InPanel(r, keys[p]))).SelectMany(r => curveRows[ids[r]]).Select(i => cl[i])
                .Where(double.IsFinite).ToArray();
            var high = unit.SelectMany(p => settled[p]).Where(double.IsFinite).ToArray();
            if (high.Length == 0 || low.Length == 0 || !(low.Max() > high.Max())) continue;
            double lo = low.Min(), hi = high.Max();
            foreach (var p in unit) panels[p]!.Y["range"] = new[] { lo - 0.05 * (hi - lo), hi + 0.1 * (hi - lo) };
        }
    }
}
