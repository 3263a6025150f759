using MathNet.Numerics.Distributions;

namespace Warmstart.Analysis;

/// <summary>A point estimate with its 95% interval and the number of values behind it (Lo, Hi NaN when n &lt; 2).</summary>
public readonly record struct Estimate(double Value, double Lo, double Hi, int N)
{
    public static Estimate None(int n = 0) => new(double.NaN, double.NaN, double.NaN, n);
    /// <summary>The interval excludes 0 on the negative side (Hi &lt; 0).</summary>
    public bool BelowZero => Hi < 0;
    /// <summary>The interval excludes 0 on the positive side (Lo &gt; 0).</summary>
    public bool AboveZero => Lo > 0;
}

/// <summary>
/// The statistics every analysis uses, in one place. Intervals are two-sided 95%.
/// <list type="bullet">
/// <item>Paired differences (ΔL = warm − scratch of the same seed): Student t over seeds,
/// mean ± t(0.975, n−1)·s/√n (MathNet's StudentT quantile). n = 1 has no spread: the interval is NaN.</item>
/// <item>Speedups (ratios): t on ln(speedup), exponentiated — a geometric mean with an asymmetric interval that
/// stays positive (ratios are log-normal-ish; a t on raw ratios can go below 0 with few seeds).</item>
/// <item>Fitted quantities (iso-FLOP g_opt, g_upper): a percentile bootstrap over seeds with a fixed RNG seed
/// (<see cref="BootstrapSeed"/>), so re-running the report gives the same interval.</item>
/// <item>Proportions (k of n): Clopper–Pearson exact interval.</item>
/// </list>
/// </summary>
public static class Stats
{
    public const double Level = 0.95;
    public const int BootstrapSeed = 20260513;
    public const int BootstrapReplicates = 1000;

    public static double Mean(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToList();
        return v.Count == 0 ? double.NaN : v.Average();
    }

    /// <summary>Sample standard deviation ignoring NaN; NaN for fewer than two values (one value has no spread).</summary>
    public static double Std(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToList();
        if (v.Count < 2) return double.NaN;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }

    /// <summary>The t quantile t(1 − (1 − level)/2, df).</summary>
    public static double TQuantile(int df, double level = Level) => StudentT.InvCDF(0, 1, df, 1 - (1 - level) / 2);

    /// <summary>Mean with its Student-t interval over the finite values; Lo/Hi NaN when fewer than two.</summary>
    public static Estimate TInterval(IEnumerable<double> values, double level = Level)
    {
        var v = values.Where(double.IsFinite).ToList();
        if (v.Count == 0) return Estimate.None();
        double m = v.Average();
        if (v.Count < 2) return new Estimate(m, double.NaN, double.NaN, 1);
        double half = TQuantile(v.Count - 1, level) * Std(v) / Math.Sqrt(v.Count);
        return new Estimate(m, m - half, m + half, v.Count);
    }

    /// <summary>Geometric mean of positive ratios with the t interval of their logs, exponentiated.</summary>
    public static Estimate LogTInterval(IEnumerable<double> ratios, double level = Level)
    {
        var list = ratios.Where(r => double.IsFinite(r) && r > 0).ToList();
        var e = TInterval(list.Select(r => Math.Log(r)), level);
        return new Estimate(Math.Exp(e.Value), Math.Exp(e.Lo), Math.Exp(e.Hi), e.N);
    }

    /// <summary>Linear-interpolated percentile (0–100) of the values (±∞ allowed, NaN ignored).</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var v = values.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        double pos = p / 100 * (v.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        if (lo == hi || v[lo] == v[hi]) return v[lo];
        if (double.IsInfinity(v[lo]) || double.IsInfinity(v[hi])) return pos - lo < 0.5 ? v[lo] : v[hi];
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /// <summary>Clopper–Pearson exact 95% interval of a proportion k/n.</summary>
    public static (double Lo, double Hi) ClopperPearson(int k, int n, double level = Level)
    {
        if (n == 0) return (double.NaN, double.NaN);
        double a = (1 - level) / 2;
        double lo = k == 0 ? 0 : Beta.InvCDF(k, n - k + 1, a);
        double hi = k == n ? 1 : Beta.InvCDF(k + 1, n - k, 1 - a);
        return (lo, hi);
    }

    /// <summary>
    /// Percentile bootstrap over groups (seeds): draws as many groups as there are, with replacement, computes
    /// <paramref name="statistic"/> on each resample, and returns the replicates (NaN where the statistic is
    /// undefined). The RNG is seeded with <paramref name="rngSeed"/>, so the replicates are reproducible.
    /// </summary>
    public static double[] Bootstrap<T>(IReadOnlyList<T> groups, Func<IReadOnlyList<T>, double> statistic,
        int replicates = BootstrapReplicates, int rngSeed = BootstrapSeed)
    {
        var rng = new Random(rngSeed);
        var result = new double[replicates];
        var draw = new T[groups.Count];
        for (int b = 0; b < replicates; b++)
        {
            for (int i = 0; i < draw.Length; i++) draw[i] = groups[rng.Next(groups.Count)];
            result[b] = statistic(draw);
        }
        return result;
    }
}
