using Plotly.NET;
using Warmstart.Analysis;

namespace Warmstart.Reporting;

public static partial class Figures
{
    /// <summary>
    /// Loss right after growth (x) against final loss (y), one point per operator setting (mean over seeds), each
    /// in its method's style: if preserving the function mattered, the points would rise from left to right.
    /// </summary>
    public static GenericChart GrownVsFinal(IReadOnlyList<AblationRow> ablation, string tokenizer = Units.ByteTokenizer)
    {
        int nonFinite = ablation.Count(r => !double.IsFinite(r.GrownLossMean) || !double.IsFinite(r.FinalLossMean));
        ablation = ablation.Where(r => double.IsFinite(r.GrownLossMean) && double.IsFinite(r.FinalLossMean)).ToList();
        if (ablation.Count == 0)
            return NothingToPlot("Does preserving the base function matter?",
                nonFinite > 0 ? $"every operator ({nonFinite}) has a non-finite loss" : "no grown runs");
        // The ablation table has no model column: its runs are language models of the tokenizer's unit.
        string unit = Units.Loss("", tokenizer);
        var charts = new List<GenericChart>();
        foreach (var m in InReadingOrder(ablation.Select(r => r.Method)))
        {
            var rows = ablation.Where(r => r.Method == m).ToArray();
            foreach (var r in rows)
                charts.Add(Scatter([r.GrownLossMean], [r.FinalLossMean], rows.Length > 1 ? $"{m} (λ={r.Lambda:0.##}, σ={r.Sigma:0.##})" : m.Spelling,
                    mode: "markers", method: m, size: 13, markerLine: Ink,
                    hover: $"{m} (λ={r.Lambda:0.##}, σ={r.Sigma:0.##})<br>after growth %{{x:.3f}}<br>final %{{y:.3f}}<extra></extra>"));
        }
        return Finish(Combine(charts), "Does preserving the base function matter?", Axis($"validation loss right after growth ({unit})"),
            Axis($"final validation loss ({unit})"),
            ["One point per operator setting, mean over seeds. If preserving the base's function mattered, the points would rise from left to " +
             "right (a lower loss right after growth giving a lower final loss); scratch starts from a fresh initialisation.",
             LeftOut(nonFinite, "operator settings")]);
    }
}
