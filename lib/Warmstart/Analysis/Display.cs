using System.ComponentModel;
using System.Globalization;

namespace Warmstart.Analysis;

/// <summary>
/// One configuration of the speedup summary as a reader sees it (<see cref="Display.SpeedupSummary"/>): every cell
/// rounded text, headed as the notebooks and the console show it.
/// </summary>
public sealed record SpeedupSummaryLine(
    string Method, string G, string Speedup, [property: DisplayName("with base compute")] string WithBaseCompute,
    [property: DisplayName("seeds reaching")] string SeedsReaching, [property: DisplayName("ΔL")] string DeltaLoss, string Target,
    [property: DisplayName("TPP")] string Tpp);

/// <summary>
/// Presentation helpers: the analysis tables as a reader should see them — numbers rounded to a few significant
/// figures, the answer columns first, no "Infinity" or "NaN", and no spread where only one value exists. The
/// analysis CSVs keep full precision; these are for notebooks, the console and chart tables.
/// </summary>
public static class Display
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// <paramref name="value"/> to <paramref name="significant"/> significant figures, plain notation for
    /// 1e-4 ≤ |v| &lt; 1e6 and "1.23e+07" style outside; "–" for NaN, "∞"/"−∞" for infinities.
    /// </summary>
    public static string Number(double value, int significant = 3)
    {
        if (double.IsNaN(value)) return "–";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "−∞";
        if (value == 0) return "0";
        double abs = Math.Abs(value);
        if (abs >= 1e6 || abs < 1e-4) return value.ToString($"0.{new string('#', Math.Max(0, significant - 1))}e+00", Inv);
        int digits = (int)Math.Floor(Math.Log10(abs)) + 1;           // digits before the point
        int decimals = Math.Clamp(significant - digits, 0, 10);
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        if (decimals == 0 && digits > significant)                    // 123456 at 3 s.f. → 123000
        {
            double unit = Math.Pow(10, digits - significant);
            rounded = Math.Round(value / unit, MidpointRounding.AwayFromZero) * unit;
        }
        return rounded.ToString("0." + new string('#', decimals), Inv);
    }

    /// <summary>"mean ± std" when at least two values went into it, otherwise the mean alone.</summary>
    public static string MeanStd(double mean, double std, int count, int significant = 3) =>
        double.IsNaN(mean) ? "–"
        : count >= 2 && !double.IsNaN(std) && double.IsFinite(mean) ? $"{Number(mean, significant)} ± {Number(std, 2)}"
        : Number(mean, significant);

    /// <summary>A speedup (a ratio of tokens): "at init" when the warm run was already there (0 tokens, ratio +∞).</summary>
    public static string Speedup(double mean, double std, int count) =>
        double.IsPositiveInfinity(mean) ? "at init" : MeanStd(mean, std, count);

    /// <summary>"v [lo, hi]"; the value alone when the interval is NaN (one seed: no spread); "–" for NaN.</summary>
    public static string Interval(double value, double lo, double hi, int significant = 3)
    {
        if (double.IsNaN(value)) return "–";
        if (double.IsNaN(lo) && double.IsNaN(hi)) return Number(value, significant);
        return $"{Number(value, significant)} [{Number(lo, significant)}, {Number(hi, significant)}]";
    }

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
}
