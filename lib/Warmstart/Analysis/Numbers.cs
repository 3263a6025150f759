using System.Globalization;

namespace Warmstart.Analysis;

/// <summary>
/// Numbers as a reader reads them: rounded to a few significant figures, no "Infinity" or "NaN", and no spread where
/// only one value exists. The analyses write their verdicts' and summaries' text with these; the analysis CSVs keep
/// full precision.
/// </summary>
public static class Numbers
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
}
