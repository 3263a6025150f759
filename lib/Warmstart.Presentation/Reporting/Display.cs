using System.ComponentModel;
using Warmstart.Analysis;
using static Warmstart.Analysis.Numbers;

namespace Warmstart.Reporting;

/// <summary>
/// One configuration of the speedup summary as a reader sees it (<see cref="Display.SpeedupSummary"/>): every cell
/// rounded text, headed as the notebooks and the console show it.
/// </summary>
public sealed record SpeedupSummaryLine(
    string Method, string G, string Speedup, [property: DisplayName("with base compute")] string WithBaseCompute,
    [property: DisplayName("seeds reaching")] string SeedsReaching, [property: DisplayName("ΔL")] string DeltaLoss, string Target,
    [property: DisplayName("TPP")] string Tpp);

/// <summary>One depth operator as a reader pictures it: what each block of the grown model starts from.</summary>
public sealed record DepthOperatorLine(string Operator, [property: DisplayName("grown blocks, first to last")] string Blocks);

/// <summary>One predictor of claim 5 on one hold-out as a reader sees it (<see cref="Display.HoldOut"/>).</summary>
public sealed record HoldOutLine([property: DisplayName("hold-out")] string HoldOut, string Predictor,
    [property: DisplayName("nats, 95% interval over seeds")] string Error, [property: DisplayName("held-out cells")] int Cells,
    int Seeds, string Note);

/// <summary>
/// The analysis tables as a reader should see them: every number rounded (<see cref="Numbers"/>), the answer columns
/// first, and words where a number would mislead. The analysis CSVs keep full precision; these are for notebooks,
/// the console and chart tables.
/// </summary>
public static class Display
{
    /// <summary>
    /// The speedup summary as read: method, g, speedup with its 95% interval, the same with base compute, seeds
    /// that reached the target (k of n), paired ΔL with its interval — then the target model and budget. A single
    /// seed shows no interval; a configuration where some seeds did not reach shows "not estimable" with the median;
    /// "≥" marks a lower bound (a seed was already below the target at its first evaluation); "never" where none did.
    /// </summary>
    public static List<SpeedupSummaryLine> SpeedupSummary(IEnumerable<SpeedupSummaryRow> summary) => summary.Select(r =>
    {
        string Cell(double m, double l, double h)
        {
            if (r.Reached == 0) return "never";
            if (r.SpeedupKind == SpeedupEstimate.LowerBound) return $"≥ {Number(m)}";
            if (double.IsNaN(m))
                return "not estimable" + (double.IsNaN(r.SpeedupMedian) ? "" : r.SpeedupMedianKind switch
                {
                    MedianKind.UpperBound => $" (median < {Number(r.SpeedupMedian)})",
                    MedianKind.LowerBound => $" (median ≥ {Number(r.SpeedupMedian)})",
                    _ => $" (median {Number(r.SpeedupMedian)})",
                });
            return Interval(m, l, h);
        }
        return new SpeedupSummaryLine(r.Method.Spelling, Number(r.G), Cell(r.SpeedupMean, r.SpeedupLo, r.SpeedupHi),
            Cell(r.SpeedupWithBaseMean, r.SpeedupWithBaseLo, r.SpeedupWithBaseHi),
            $"{r.Reached} of {r.Runs}" + (r.BelowAtStart > 0 ? $" ({r.BelowAtStart} below at start)" : ""),
            Interval(r.DeltaLossMean, r.DeltaLossLo, r.DeltaLossHi), r.Model, Number(r.Tpp));
    }).ToList();

    /// <summary>
    /// What each depth operator makes of a base of <paramref name="baseDepth"/> blocks grown to
    /// <paramref name="targetDepth"/>, read from the grower's own depth map: per grown block, the base block it starts
    /// from (b1 … bL; "λ·b + σ·fresh" where the operator shrinks and perturbs) or a new block ("identity": its writing
    /// projections zero, so it adds nothing; "σ·fresh": a scaled fresh initialisation).
    /// </summary>
    public static List<DepthOperatorLine> DepthOperators(IEnumerable<string> operators, int baseDepth, int targetDepth) =>
        operators.Select(name =>
        {
            var op = Growth.GrowthOperator.Parse(name);
            var map = Growth.Grower.DepthMap(baseDepth, targetDepth, op.Depth);
            string Block(int? source) => source is not int b
                ? op.NewBlocks == Growth.NewBlockInit.Identity ? "identity" : $"{Number(op.Sigma)}·fresh"
                : op.Lambda == 1 && op.Sigma == 0 ? $"b{b + 1}" : $"{Number(op.Lambda)}·b{b + 1} + {Number(op.Sigma)}·fresh";
            return new DepthOperatorLine(name, string.Join(" | ", map.Select(Block)));
        }).ToList();

    /// <summary>
    /// Claim 5's hold-out table as read: per hold-out the law's and each baseline's mean absolute error with its
    /// interval over seeds, then law − best baseline (the verdict's statistic; negative: the law predicts better);
    /// "–" where there is no number, the note saying why (a refused hold-out, a baseline that does not apply).
    /// </summary>
    public static List<HoldOutLine> HoldOut(IEnumerable<HoldOutRow> rows) => rows.Select(r =>
        new HoldOutLine(r.HoldOut, r.Predictor, Interval(r.Value, r.Lo, r.Hi), r.Cells, r.Seeds, r.Note)).ToList();
}
