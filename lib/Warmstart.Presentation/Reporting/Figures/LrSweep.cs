using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Training;

namespace Warmstart.Reporting;

public static partial class Figures
{
    /// <summary>Final loss against LR for the base, the scratch target and the warm target (log LR), mean over seeds.</summary>
    public static GenericChart LrSweep(IReadOnlyList<LrRow> table, string tokenizer = Units.ByteTokenizer)
    {
        int nonFinite = table.Count(r => !double.IsFinite(r.BaseLoss) && !double.IsFinite(r.ScratchLoss) && !double.IsFinite(r.WarmLoss));
        table = table.Where(r => double.IsFinite(r.BaseLoss) || double.IsFinite(r.ScratchLoss) || double.IsFinite(r.WarmLoss)).ToList();
        if (table.Count == 0)
            return NothingToPlot("LR transfer under µP: final loss vs learning rate",
                nonFinite > 0 ? $"every learning rate ({nonFinite}) has only non-finite losses" : "no learning rates");
        var lr = table.Select(r => r.Lr).ToArray();
        var warm = table.Select(r => r.WarmMethod).FirstOrDefault() ?? Method.Szp;
        var charts = new List<GenericChart>();
        foreach (var (loss, label, method, style) in new (Func<LrRow, double>, string, Method?, SeriesStyle?)[]
                 {
                     (r => r.BaseLoss, "base", null, Palette.BaseModel), (r => r.ScratchLoss, "scratch (target)", Method.Scratch, null),
                     (r => r.WarmLoss, $"{warm} (target)", warm, null),
                 })
        {
            var points = table.GroupBy(r => r.Lr).OrderBy(g => g.Key).Select(g => (X: g.Key, Y: Stats.Mean(g.Select(loss)))).ToList();
            charts.Add(Scatter(points.Select(p => p.X), points.Select(p => p.Y), label, method: method, style: style, size: 9));
        }
        return Finish(Combine(charts), "LR transfer under µP: final loss vs learning rate",
            Axis("peak learning rate (per step, log scale)", log: true, lr), Axis($"final validation loss ({Units.Loss("", tokenizer)})"),
            ["Final validation loss, mean over seeds, at each peak learning rate: the base, scratch at the target size, and the target grown " +
             "from the base. Under µP one learning rate should be best for all three.", LeftOut(nonFinite, "learning rates")]);
    }
}
