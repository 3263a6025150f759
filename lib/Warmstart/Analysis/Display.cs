using System.Globalization;
using Microsoft.Data.Analysis;

namespace Warmstart.Analysis;

/// <summary>
/// Presentation helpers: the analysis tables as a reader should see them — numbers rounded to a few significant
/// figures, the answer columns first, no "Infinity" or "NaN", and no spread where only one value exists. The
/// analysis CSVs keep full precision; these frames are for notebooks, the console and chart tables.
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

    /// <summary>
    /// A copy of <paramref name="frame"/> with every numeric column written as rounded text and the columns
    /// reordered: <paramref name="first"/> (those that exist) first, then the rest in their order, minus
    /// <paramref name="drop"/>.
    /// </summary>
    public static DataFrame Table(DataFrame frame, IEnumerable<string>? first = null, IEnumerable<string>? drop = null, int significant = 3)
    {
        var names = frame.Columns.Select(c => c.Name).ToList();
        var dropped = new HashSet<string>(drop ?? []);
        var order = (first ?? []).Where(names.Contains).Concat(names).Distinct().Where(n => !dropped.Contains(n)).ToList();
        var columns = order.Select(name =>
        {
            var column = frame.Columns[name];
            bool numeric = column is PrimitiveDataFrameColumn<double> or PrimitiveDataFrameColumn<float>
                or PrimitiveDataFrameColumn<int> or PrimitiveDataFrameColumn<long>;
            var text = Enumerable.Range(0, (int)frame.Rows.Count).Select(i =>
            {
                var v = column[i];
                return v switch
                {
                    null => "",
                    double d => Number(d, significant),
                    float f => Number(f, significant),
                    int or long => Convert.ToString(v, Inv)!,
                    bool b => b ? "yes" : "no",
                    _ when numeric => Convert.ToString(v, Inv)!,
                    string s => s,
                    _ => Convert.ToString(v, Inv) ?? "",
                };
            });
            return (DataFrameColumn)new StringDataFrameColumn(name, text);
        });
        return new DataFrame(columns);
    }

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
    public static DataFrame SpeedupSummary(DataFrame summary)
    {
        int n = (int)summary.Rows.Count;
        var method = Frames.Strings(summary, "method");
        var model = Frames.Strings(summary, "model");
        var g = Frames.Doubles(summary, "g");
        var tpp = Frames.Doubles(summary, "tpp");
        var runs = Frames.Doubles(summary, "runs");
        var reached = Frames.Doubles(summary, "reached");
        var mean = Frames.Doubles(summary, "speedup_mean");
        var baseMean = Frames.Doubles(summary, "speedup_with_base_mean");
        double[] Col(string c) => Frames.Has(summary, c) ? Frames.Doubles(summary, c) : Enumerable.Repeat(double.NaN, n).ToArray();
        var (lo, hi, bLo, bHi) = (Col("speedup_lo"), Col("speedup_hi"), Col("speedup_with_base_lo"), Col("speedup_with_base_hi"));
        var (dm, dLo, dHi, median) = (Col("delta_loss_mean"), Col("delta_loss_lo"), Col("delta_loss_hi"), Col("speedup_median"));
        var kind = Frames.Has(summary, "speedup_kind") ? Frames.Strings(summary, "speedup_kind") : new string[n];
        var medianKind = Frames.Has(summary, "speedup_median_kind") ? Frames.Strings(summary, "speedup_median_kind") : new string[n];
        var below = Col("below_at_start");
        string Cell(double m, double l, double h, int i)
        {
            if (reached[i] == 0) return "never";
            if (kind[i] == "lower bound") return $"≥ {Number(m)}";
            if (double.IsNaN(m))
                return "not estimable" + (double.IsNaN(median[i]) ? "" : medianKind[i] switch
                {
                    "upper bound" => $" (median < {Number(median[i])})",
                    "lower bound" => $" (median ≥ {Number(median[i])})",
                    _ => $" (median {Number(median[i])})",
                });
            return Interval(m, l, h);
        }
        return new DataFrame(
            new StringDataFrameColumn("method", method),
            new StringDataFrameColumn("g", g.Select(v => Number(v))),
            new StringDataFrameColumn("speedup", Enumerable.Range(0, n).Select(i => Cell(mean[i], lo[i], hi[i], i))),
            new StringDataFrameColumn("with base compute", Enumerable.Range(0, n).Select(i => Cell(baseMean[i], bLo[i], bHi[i], i))),
            new StringDataFrameColumn("seeds reaching", Enumerable.Range(0, n).Select(i =>
                $"{reached[i]:0} of {runs[i]:0}" + (below[i] > 0 ? $" ({below[i]:0} below at start)" : ""))),
            new StringDataFrameColumn("ΔL", Enumerable.Range(0, n).Select(i => Interval(dm[i], dLo[i], dHi[i]))),
            new StringDataFrameColumn("target", model),
            new StringDataFrameColumn("TPP", tpp.Select(v => Number(v))));
    }

    /// <summary>
    /// An iso-FLOP fits table with the answers first: FLOP level, g_opt, g_upper, loss at g_opt, scratch's loss,
    /// points, the reason where an answer is missing; the quadratic's coefficients and bookkeeping columns dropped.
    /// </summary>
    public static DataFrame IsoFlopFits(DataFrame fits) =>
        Table(fits, first: ["method", "flops", "g_opt", "g_upper", "g_upper_state", "loss_at_g_opt", "scratch_loss", "points", "interpolation", "reason", "model", "tpp"],
            drop: ["c0", "c1", "c2", "params", "level", "with_base_compute"]);
}
