using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Training;

namespace Warmstart.Reporting;

public static partial class Figures
{
    /// <summary>
    /// ΔL = final loss (warm − scratch), paired by seed, against g on a log axis: per method its mean over seeds with
    /// the 95% t interval (bars only where ≥ 2 seeds are paired), one panel per target and budget, and the zero line
    /// (below it, growth helped). This is the statistic the claim verdicts read, so it is the figure they are drawn from.
    /// </summary>
    public static GenericChart DeltaVsG(IReadOnlyList<SpeedupSummaryRow> summary, string tokenizer = Units.ByteTokenizer)
    {
        if (!summary.Any(r => r.Paired > 0 && double.IsFinite(r.DeltaLossMean)))
            return NothingToPlot("Final-loss difference vs growth factor", summary.Count == 0
                ? "no grown run with a scratch run of its target to compare"
                : "no grown run has a finite final loss paired with its scratch twin's (same seed)");
        var rows = summary.Where(r => r.Paired > 0 && double.IsFinite(r.DeltaLossMean)).ToList();
        var cells = rows.Select(r => (r.Model, r.Tpp)).Distinct().OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Tpp).ToList();
        bool severalModels = cells.Select(c => c.Model).Distinct().Count() > 1, severalBudgets = cells.Select(c => c.Tpp).Distinct().Count() > 1;
        var charts = new List<GenericChart>();
        var panels = new List<Panel?>();
        var drawn = new HashSet<Method>();
        for (int p = 0; p < cells.Count; p++)
        {
            var (model, tpp) = cells[p];
            var inCell = rows.Where(r => r.Model == model && r.Tpp == tpp).ToList();
            var gs = inCell.Select(r => r.G).Distinct().OrderBy(g => g).ToArray();
            var methods = InReadingOrder(inCell.Select(r => r.Method)).ToList();
            foreach (var method in methods)
            {
                // Methods sit side by side around each g (4 % apart on the log axis) so that their bars stay apart.
                double shift = methods.Count > 1 ? Math.Pow(1.04, methods.IndexOf(method) - (methods.Count - 1) / 2.0) : 1;
                var line = inCell.Where(r => r.Method == method).OrderBy(r => r.G).ToList();
                double[] Bar(Func<SpeedupSummaryRow, double> end) =>
                    line.Select(r => r.Paired >= 2 && double.IsFinite(end(r)) ? Math.Abs(end(r) - r.DeltaLossMean) : double.NaN).ToArray();
                charts.Add(Scatter(line.Select(r => r.G * shift), line.Select(r => r.DeltaLossMean), method.Spelling, method: method,
                    group: method.Spelling, legend: drawn.Add(method), errorY: Bar(r => r.DeltaLossHi), errorYMinus: Bar(r => r.DeltaLossLo),
                    panel: p, text: line.Select(r => $"{r.Paired} paired").ToArray(),
                    hover: $"{method.Spelling}<br>g %{{x:.3g}}<br>ΔL %{{y:.3f}}<br>%{{text}}<extra></extra>"));
            }
            charts.Add(Reference(gs.Min() / 1.3, gs.Max() * 1.3, 0, "scratch (ΔL = 0)", "dash", legend: p == 0, panel: p));
            panels.Add(new Panel(Axis("growth factor g = N_target / N_base (log scale)", log: true, gs),
                Axis($"ΔL final, warm − scratch ({Units.Loss([model], tokenizer)})"),
                cells.Count > 1 ? CellTitle(model, tpp, severalModels, severalBudgets) : null));
        }
        int seeds = rows.Count == 0 ? 0 : rows.Max(r => r.Paired);
        var caption = new List<string>
        {
            $"ΔL = the warm run's final validation loss minus its scratch twin's (same seed), {Units.Loss(rows.Select(r => r.Model), tokenizer)}: " +
            "below the dashed zero line, growth helped.",
            $"Points: the mean over seeds (up to {seeds} paired); bars: the 95% t interval, drawn only where ≥ 2 seeds are paired. " +
            "Methods are drawn side by side around each g.",
        };
        return Finish(Combine(charts), "Final-loss difference vs growth factor", panels, caption, GridColumns(Math.Max(1, panels.Count)));
    }
}
