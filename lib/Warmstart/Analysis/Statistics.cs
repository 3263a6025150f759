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
    /// <summary>
    /// Fewest seeds for a percentile bootstrap interval. With 3 seeds there are only 10 distinct resamples and one
    /// made of a single seed has probability 3.7% &gt; 2.5%, so the interval's ends are single-seed refits; from 5
    /// seeds on (126 distinct resamples, a single-seed one at 0.16%) the percentiles mean what they say.
    /// </summary>
    public const int MinBootstrapSeeds = 5;

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

    /// <summary>Two-sided p-value of the one-sample t test that the mean of the finite values is 0 (NaN below two values or with no spread).</summary>
    public static double TTestP(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).ToList();
        if (v.Count < 2) return double.NaN;
        double sd = Std(v);
        if (!(sd > 0)) return v.Average() == 0 ? 1 : 0;
        double t = v.Average() / (sd / Math.Sqrt(v.Count));
        return 2 * (1 - StudentT.CDF(0, 1, v.Count - 1, Math.Abs(t)));
    }

    /// <summary>
    /// Holm's step-down adjusted p-values: sorted ascending, the i-th smallest (from 0) becomes (m − i)·p, made
    /// non-decreasing and capped at 1. A hypothesis is rejected at family-wise level 1 − level when its adjusted
    /// p-value is ≤ 1 − level; this controls the chance of any false rejection among the m, whatever their dependence.
    /// NaN p-values stay NaN and count in m.
    /// </summary>
    public static double[] Holm(IReadOnlyList<double> p)
    {
        int m = p.Count;
        var adjusted = Enumerable.Repeat(double.NaN, m).ToArray();
        double running = 0;
        int rank = 0;
        foreach (int i in Enumerable.Range(0, m).Where(i => !double.IsNaN(p[i])).OrderBy(i => p[i]))
        {
            running = Math.Max(running, Math.Min(1, (m - rank) * p[i]));
            adjusted[i] = running;
            rank++;
        }
        return adjusted;
    }

    /// <summary>
    /// The ratio of two paired means, mean(a)/mean(b), with Fieller's 95% interval: the values R for which the paired
    /// difference a − R·b has a mean the t test cannot tell from 0. Exact for normal pairs, and unlike a ratio of
    /// interval ends it accounts for the spread of the denominator. The interval is NaN (unbounded) when mean(b) is
    /// not itself clearly away from 0, and for fewer than two pairs.
    /// </summary>
    public static Estimate FiellerRatio(IReadOnlyList<double> a, IReadOnlyList<double> b, double level = Level)
    {
        var pairs = a.Zip(b).Where(x => double.IsFinite(x.First) && double.IsFinite(x.Second)).ToList();
        int n = pairs.Count;
        if (n == 0) return Estimate.None();
        double ma = pairs.Average(x => x.First), mb = pairs.Average(x => x.Second);
        double ratio = ma / mb;
        if (n < 2) return new Estimate(ratio, double.NaN, double.NaN, n);
        double saa = pairs.Sum(x => (x.First - ma) * (x.First - ma)) / (n - 1);
        double sbb = pairs.Sum(x => (x.Second - mb) * (x.Second - mb)) / (n - 1);
        double sab = pairs.Sum(x => (x.First - ma) * (x.Second - mb)) / (n - 1);
        double t2 = Math.Pow(TQuantile(n - 1, level), 2) / n;
        // (mb² − t²·sbb/n)·R² − 2(ma·mb − t²·sab/n)·R + (ma² − t²·saa/n) ≤ 0
        double qa = mb * mb - t2 * sbb, qb = -2 * (ma * mb - t2 * sab), qc = ma * ma - t2 * saa;
        double disc = qb * qb - 4 * qa * qc;
        if (!(qa > 0) || disc < 0) return new Estimate(ratio, double.NaN, double.NaN, n);
        double root = Math.Sqrt(disc);
        return new Estimate(ratio, (-qb - root) / (2 * qa), (-qb + root) / (2 * qa), n);
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
