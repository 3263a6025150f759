using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>One observation for a fit: N parameters trained on D tokens reached loss L.</summary>
public readonly record struct LossPoint(double N, double D, double L);

public sealed record ScalingFit(double A, double Alpha, double B, double Beta, double E, double R2, int Points, double Objective)
{
    public double Predict(double n, double d) => E + A / Math.Pow(n, Alpha) + B / Math.Pow(d, Beta);
}

/// <summary>
/// One method's law. at_bounds lists the parameters that ended on a bound of the optimiser's box (e.g. "alpha = 4
/// (upper bound)", "E at the lower bound") — such a fit is not identified by the data; empty when none.
/// </summary>
public sealed record ScalingFitRow(Method Method, int Points, int DistinctN, int DistinctD,
    double A, double Alpha, double B, double Beta, double E, double R2, string Reason)
{
    public string AtBounds { get; init; } = "";
}

/// <summary>ΔL = L_warm − L_scratch predicted by the two laws at (N, D); on the zero line, a point where ΔL = 0.</summary>
public sealed record DeltaGridCell(double N, double D, double Delta);

/// <summary>Everything the ΔL figure needs: both laws, the ΔL grid, its zero line and the observed differences.</summary>
public sealed record DeltaMap(ScalingFit Scratch, ScalingFit Warm, IReadOnlyList<DeltaGridCell> Grid, IReadOnlyList<DeltaGridCell> Zero,
    IReadOnlyList<ObservedDeltaRow> Observed);

/// <summary>One warm run's final loss against its scratch run's (same target, budget and seed), at its (N, D).</summary>
public sealed record ObservedDeltaRow(string RunId, Method Method, double N, double D, double WarmLoss, double ScratchLoss, double Delta);

/// <summary>
/// L(N, D) = E + A/N^α + B/D^β fitted as in Hoffmann et al. (and the authors' code): in log space,
/// log L̂ = LSE(a − α·ln N, b − β·ln D, e) with A = eᵃ, B = eᵇ, E = eᵉ, minimising the Huber loss (δ = 1e-3) of
/// log L̂ − log L with MathNet's bounded BFGS (L-BFGS-B's role) from every start of the grid a, b ∈ {0, 5, …, 20},
/// α, β ∈ {0, .5, 1, 1.5}, e ∈ {−1, −.5, 0, .5}; the best end point wins. The exponents are kept in [0, 4] — a
/// negative exponent would make loss grow with size or data, which no law of this form is meant to say — and
/// a, b, e in a wide box that only excludes overflow. R² is computed on L itself.
/// </summary>
public static class ScalingLaw
{
    public const double HuberDelta = 1e-3;
    public const int MinPoints = 6;
    /// <summary>The law has a size term and a data term: each needs at least this many distinct values to be identified.</summary>
    public const int MinDistinct = 3;
    /// <summary>The ΔL map may extend the data's N and D range by at most this factor on each side (one decade).</summary>
    public const double MaxMapMargin = 10;
    // The optimiser's box for (a, α, b, β, e) = (ln A, α, ln B, β, ln E).
    static readonly double[] Lower = [-30, 0, -30, 0, -30], Upper = [60, 4, 60, 4, 10];
    static readonly string[] Names = ["A", "alpha", "B", "beta", "E"];

    /// <summary>The parameters of <paramref name="fit"/> that sit on a bound of the box (within 1e-4, relative, in the fitted coordinate).</summary>
    public static List<string> AtBounds(ScalingFit fit)
    {
        double[] t = [Math.Log(fit.A), fit.Alpha, Math.Log(fit.B), fit.Beta, Math.Log(fit.E)];
        var flags = new List<string>();
        for (int i = 0; i < t.Length; i++)
        {
            bool log = i is 0 or 2 or 4;
            string value(double b) => log ? $"exp({b:0.##})" : $"{b:0.##}";
            if (Math.Abs(t[i] - Lower[i]) <= 1e-4 * Math.Max(1, Math.Abs(Lower[i]))) flags.Add($"{Names[i]} at its lower bound ({value(Lower[i])})");
            else if (Math.Abs(t[i] - Upper[i]) <= 1e-4 * Math.Max(1, Math.Abs(Upper[i]))) flags.Add($"{Names[i]} at its upper bound ({value(Upper[i])})");
        }
        return flags;
    }

    /// <summary>
    /// The law fitted to <paramref name="points"/>. A fit is a pure function of its points and costs 1,600 local
    /// optimisations, while one notebook or report asks for the same fit several times (the fit table, the ΔL map, the
    /// verdicts): the result is remembered per point set for the life of the process.
    /// </summary>
    public static ScalingFit Fit(IReadOnlyList<LossPoint> points)
    {
        CheckEnough(points, "the fit");
        string key = string.Join(";", points.Select(p => FormattableString.Invariant($"{p.N:R},{p.D:R},{p.L:R}")));
        if (Remembered.TryGetValue(key, out var known)) return known;
        if (Remembered.Count >= 1024) Remembered.Clear(); // a bound for long sessions; refitting is only slower
        return Remembered[key] = FitGrid(points);
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ScalingFit> Remembered = new();

    /// <summary>The starts (a, α, b, β, e) of the authors' grid.</summary>
    static double[][] StartGrid() =>
        (from a in new[] { 0.0, 5, 10, 15, 20 }
         from b in new[] { 0.0, 5, 10, 15, 20 }
         from alpha in new[] { 0.0, 0.5, 1, 1.5 }
         from beta in new[] { 0.0, 0.5, 1, 1.5 }
         from e in new[] { -1.0, -0.5, 0, 0.5 }
         select new[] { a, alpha, b, beta, e }).ToArray();

    static ScalingFit FitGrid(IReadOnlyList<LossPoint> points)
    {
        var logN = points.Select(p => Math.Log(p.N)).ToArray();
        var logD = points.Select(p => Math.Log(p.D)).ToArray();
        var logL = points.Select(p => Math.Log(p.L)).ToArray();

        (double, Vector<double>) Objective(Vector<double> t)
        {
            double value = 0;
            var grad = Vector<double>.Build.Dense(5);
            for (int i = 0; i < logL.Length; i++)
            {
                double u1 = t[0] - t[1] * logN[i], u2 = t[2] - t[3] * logD[i], u3 = t[4];
                double m = Math.Max(u1, Math.Max(u2, u3));
                double e1 = Math.Exp(u1 - m), e2 = Math.Exp(u2 - m), e3 = Math.Exp(u3 - m), s = e1 + e2 + e3;
                double r = m + Math.Log(s) - logL[i];
                if (!double.IsFinite(r)) return (double.PositiveInfinity, Vector<double>.Build.Dense(5)); // overflowed: reject this point
                double abs = Math.Abs(r);
                value += abs <= HuberDelta ? 0.5 * r * r : HuberDelta * (abs - 0.5 * HuberDelta);
                double dr = abs <= HuberDelta ? r : HuberDelta * Math.Sign(r);
                double w1 = e1 / s, w2 = e2 / s, w3 = e3 / s;
                grad[0] += dr * w1; grad[1] -= dr * w1 * logN[i];
                grad[2] += dr * w2; grad[3] -= dr * w2 * logD[i];
                grad[4] += dr * w3;
            }
            return (value, grad);
        }

        // Every start of the grid is an independent local fit, so the starts run in parallel; the winner is the lowest
        // end value, ties going to the earliest start, which is what a serial loop over the grid would pick.
        var starts = StartGrid();
        var ends = new (Vector<double>? Point, double Value)[starts.Length];
        var lower = Vector<double>.Build.DenseOfArray(Lower);
        var upper = Vector<double>.Build.DenseOfArray(Upper);
        Parallel.For(0, starts.Length, i =>
        {
            var objective = ObjectiveFunction.Gradient(Objective);
            var minimizer = new BfgsBMinimizer(1e-10, 1e-12, 1e-14, 2000);
            try
            {
                var end = minimizer.FindMinimum(objective, lower, upper, Vector<double>.Build.DenseOfArray(starts[i])).MinimizingPoint;
                ends[i] = (end, Objective(end).Item1);
            }
            catch (Exception ex) when (ex is MaximumIterationsException or InnerOptimizationException or EvaluationException
                                           or ArgumentException or ArithmeticException or OptimizationException)
            {
                ends[i] = (null, double.NaN); // a start that fails to converge (or wanders into overflow) is simply not a candidate
            }
        });
        Vector<double>? best = null;
        double bestValue = double.MaxValue;
        foreach (var (end, value) in ends)
            if (end is not null && double.IsFinite(value) && value < bestValue) (best, bestValue) = (end, value);
        if (best is null) throw new InvalidOperationException("no start of the grid converged");
        var fit = new ScalingFit(Math.Exp(best[0]), best[1], Math.Exp(best[2]), best[3], Math.Exp(best[4]), 0, points.Count, bestValue);
        double mean = points.Average(p => p.L);
        double ssRes = points.Sum(p => Math.Pow(p.L - fit.Predict(p.N, p.D), 2));
        double ssTot = points.Sum(p => Math.Pow(p.L - mean, 2));
        return fit with { R2 = ssTot > 0 ? 1 - ssRes / ssTot : double.NaN };
    }

    static void CheckEnough(IReadOnlyList<LossPoint> points, string what)
    {
        int n = points.Select(p => p.N).Distinct().Count(), d = points.Select(p => p.D).Distinct().Count();
        if (points.Count < MinPoints)
            throw new ArgumentException(
                $"too few runs for {what}: {points.Count} points with {n} distinct N and {d} distinct D; " +
                $"the five-parameter law needs at least {MinPoints} points spanning ≥ {MinDistinct} values of each");
        if (n < MinDistinct || d < MinDistinct)
            throw new ArgumentException(
                $"refused: {what} has {n} distinct N and {d} distinct D; the law needs ≥ {MinDistinct} distinct values of each " +
                "to identify its size and data terms (with fewer, any exponent fits as well)");
        if (points.Any(p => !(p.N > 0 && p.D > 0 && p.L > 0)))
            throw new ArgumentException($"{what}: N, D and L must all be positive");
        // A single budget (D/N the same up to step rounding) makes the N and D terms collinear.
        double tppMin = points.Min(p => p.D / p.N), tppMax = points.Max(p => p.D / p.N);
        if (tppMax / tppMin < 1.25)
            throw new ArgumentException(
                $"too few budgets for {what}: every run trained {points[0].D / points[0].N:0.#} tokens per parameter, so N and D move together " +
                "and the N and D terms cannot be told apart; fit runs from several budgets (e.g. the budget study)");
    }

    /// <summary>The points a method contributes: each finished run's (N, D, final validation loss).</summary>
    public static List<LossPoint> PointsFor(ResultTables results, Method method) =>
        results.Runs.Where(r => r.Method == method && r.IsFinished && !r.Diverged && double.IsFinite(r.FinalValLoss))
            .Select(r => new LossPoint(r.Params, r.Tokens, r.FinalValLoss)).ToList();

    /// <summary>One fit per method; methods with too few runs get NaN parameters and the reason.</summary>
    public static List<ScalingFitRow> FitByMethod(ResultTables results)
    {
        var rows = new List<ScalingFitRow>();
        foreach (var method in results.Runs.Select(r => r.Method).Distinct().OrderBy(m => m == Method.Scratch ? 0 : 1).ThenBy(m => m))
        {
            var points = PointsFor(results, method);
            int n = points.Select(p => p.N).Distinct().Count(), d = points.Select(p => p.D).Distinct().Count();
            try
            {
                var f = Fit(points);
                var bounds = AtBounds(f);
                rows.Add(new ScalingFitRow(method, points.Count, n, d, f.A, f.Alpha, f.B, f.Beta, f.E, f.R2, "") { AtBounds = string.Join("; ", bounds) });
            }
            catch (ArgumentException e)
            {
                rows.Add(new ScalingFitRow(method, points.Count, n, d, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, e.Message));
            }
        }
        return rows;
    }

    /// <summary>
    /// Fits scratch and <paramref name="method"/> and maps ΔL over the range of the fitted runs' N and D widened by
    /// <paramref name="margin"/> on each side (at most one decade, <see cref="MaxMapMargin"/>); throws a clear
    /// ArgumentException when either law cannot be fitted.
    /// </summary>
    public static DeltaMap Map(ResultTables results, Method method, double margin = 4)
    {
        if (!(margin >= 1 && margin <= MaxMapMargin))
            throw new ArgumentException($"the ΔL map may extend the data by at most one decade (margin in [1, {MaxMapMargin}]), got {margin}");
        var scratchPoints = PointsFor(results, Method.Scratch);
        var warmPoints = PointsFor(results, method);
        var scratch = Fit(scratchPoints);
        var warm = Fit(warmPoints);
        var data = scratchPoints.Concat(warmPoints).ToList();
        double nMin = data.Min(p => p.N) / margin, nMax = data.Max(p => p.N) * margin;
        double dMin = data.Min(p => p.D) / margin, dMax = data.Max(p => p.D) * margin;
        return new DeltaMap(scratch, warm, DeltaGrid(warm, scratch, nMin, nMax, dMin, dMax),
            ZeroContour(warm, scratch, nMin, nMax, dMin, dMax), ObservedDeltas(results, method));
    }

    /// <summary>ΔL = L_warm − L_scratch on a log-spaced (N, D) grid; negative where warm-starting wins.</summary>
    public static List<DeltaGridCell> DeltaGrid(ScalingFit warm, ScalingFit scratch, double nMin, double nMax, double dMin, double dMax, int steps = 41)
    {
        if (!(nMin > 0 && nMax > nMin && dMin > 0 && dMax > dMin)) throw new ArgumentException("grid ranges must be positive and increasing");
        var rows = new List<DeltaGridCell>();
        for (int i = 0; i < steps; i++)
        for (int j = 0; j < steps; j++)
        {
            double n = Math.Exp(Math.Log(nMin) + i * (Math.Log(nMax) - Math.Log(nMin)) / (steps - 1));
            double d = Math.Exp(Math.Log(dMin) + j * (Math.Log(dMax) - Math.Log(dMin)) / (steps - 1));
            rows.Add(new DeltaGridCell(n, d, warm.Predict(n, d) - scratch.Predict(n, d)));
        }
        return rows;
    }

    /// <summary>
    /// The ΔL = 0 line: for each N on a log grid, the D in [dMin, dMax] where the two laws predict the same loss
    /// (bisection in log D on the first sign change). N values with no crossing in range are left out.
    /// </summary>
    public static List<DeltaGridCell> ZeroContour(ScalingFit warm, ScalingFit scratch, double nMin, double nMax, double dMin, double dMax, int steps = 41)
    {
        var rows = new List<DeltaGridCell>();
        double Delta(double n, double logD) => warm.Predict(n, Math.Exp(logD)) - scratch.Predict(n, Math.Exp(logD));
        for (int i = 0; i < steps; i++)
        {
            double n = Math.Exp(Math.Log(nMin) + i * (Math.Log(nMax) - Math.Log(nMin)) / (steps - 1));
            double lo = Math.Log(dMin), hi = Math.Log(dMax);
            int scan = 200;
            double prev = Delta(n, lo);
            for (int j = 1; j <= scan; j++)
            {
                double x = lo + j * (hi - lo) / scan, v = Delta(n, x);
                if (double.IsNaN(v) || double.IsNaN(prev)) { prev = v; continue; } // a law undefined here (e.g. overflow) has no crossing
                if (Math.Sign(v) != Math.Sign(prev))
                {
                    double a = x - (hi - lo) / scan, b = x;
                    for (int k = 0; k < 60; k++)
                    {
                        double mid = 0.5 * (a + b);
                        if (Math.Sign(Delta(n, mid)) == Math.Sign(Delta(n, a))) a = mid; else b = mid;
                    }
                    rows.Add(new DeltaGridCell(n, Math.Exp(0.5 * (a + b)), 0));
                    break;
                }
                prev = v;
            }
        }
        return rows;
    }

    /// <summary>Observed ΔL: each warm run against the scratch run of the same model, budget and seed.</summary>
    public static List<ObservedDeltaRow> ObservedDeltas(ResultTables results, Method method)
    {
        var runs = results.Runs;
        var rows = new List<ObservedDeltaRow>();
        foreach (var warm in runs.Where(r => r.Method == method && r.IsFinished && !r.Diverged))
            if (Pairing.ScratchOf(runs, warm) is { } s)
                rows.Add(new ObservedDeltaRow(warm.RunId, method, warm.Params, warm.Tokens, warm.FinalValLoss, s.FinalValLoss, warm.FinalValLoss - s.FinalValLoss));
        return rows;
    }
}
