using MathNet.Numerics;
using System.Text.Json.Serialization;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>A row of a table per target model and budget (so that <see cref="IsoFlop.ForTarget"/> can pick them out).</summary>
public interface ITargetRow
{
    string Model { get; }
    double Tpp { get; }
}

/// <summary>One run's validation loss at one FLOP level (scratch's own runs at g = 1 where the fit includes scratch).</summary>
public sealed record IsoFlopPoint(Method Method, string Model, double Tpp, bool WithBaseCompute, int Level, double Flops, string RunId, double G, double Seed, double Loss)
    : ITargetRow;

/// <summary>Where a fit crosses scratch's loss above g_opt (<see cref="IsoFlop.FitQuadratic"/>).</summary>
public enum GUpperState
{
    /// <summary>Within the observed g: g_upper has a value.</summary>
    [JsonStringEnumMemberName("value")] Value,
    /// <summary>The fit is above scratch already where the search starts (the smallest g, or g_opt).</summary>
    [JsonStringEnumMemberName("below the smallest g")] BelowSmallest,
    /// <summary>The fit stays below scratch up to the largest g observed.</summary>
    [JsonStringEnumMemberName("not reached")] NotReached,
    /// <summary>No fit, or no scratch loss at the level.</summary>
    [JsonStringEnumMemberName("not bracketed")] NotBracketed,
}

/// <summary>
/// One quadratic fit at one FLOP level, with the state of its g_upper (<see cref="GUpperState"/>).
/// interpolation: fewer than 4 distinct g, so the 3-coefficient quadratic passes through the per-g means — an
/// interpolation, not a fit. *_lo/*_hi: percentile bootstrap over seeds (NaN with one seed); for g_upper a resample
/// "below the smallest g" counts as 0 and "not reached" as +∞, so an interval end of ∞ means "not reached in at
/// least 2.5% of resamples". g_opt's interval is over the resamples where g_opt is bracketed (g_opt_defined: their
/// fraction) and is NaN where the full data do not bracket it. With 2–3 seeds there are few distinct resamples, so
/// these intervals are coarse. include_scratch: scratch's own runs were added as the g = 1 point.
/// </summary>
public sealed record IsoFlopFit(
    Method Method, string Model, double Params, double Tpp, bool WithBaseCompute, int Level, double Flops, double ScratchLoss, int Points,
    double C0, double C1, double C2, double GOpt, double LossAtGOpt, double GUpper, string Reason) : ITargetRow
{
    public bool IncludeScratch { get; init; }
    public int DistinctG { get; init; }
    public bool Interpolation { get; init; }
    public GUpperState GUpperState { get; init; } = GUpperState.NotBracketed;
    public int Seeds { get; init; }
    public double GOptLo { get; init; } = double.NaN;
    public double GOptHi { get; init; } = double.NaN;
    public double GOptDefined { get; init; } = double.NaN;
    public double GUpperLo { get; init; } = double.NaN;
    public double GUpperHi { get; init; } = double.NaN;
}

/// <summary>
/// The authors' iso-FLOP procedure. C_max is the scratch target's total compute; eight levels are spaced linearly
/// from C_max/6 to C_max. At each level every warm run's validation loss is read off its curve by linear
/// interpolation in FLOPs (with base compute: at C − C_base, so a run that has not started yet has no point), and
/// loss is fitted as a quadratic in ln g. g_opt is the fit's minimum; g_upper the first g above it where the fit
/// exceeds the scratch loss at that level. Either is NaN, with a reason, where the data do not bracket it.
/// With <c>includeScratch</c> the scratch runs enter the fit as g = 1 (off by default, as in the paper).
/// </summary>
public static class IsoFlop
{
    public const int Levels = 8;

    public static (List<IsoFlopPoint> Points, List<IsoFlopFit> Fits) Compute(ResultTables results, Method method, bool withBaseCompute,
        bool includeScratch = false, int bootstrap = Stats.BootstrapReplicates)
    {
        var runs = results.Runs;
        var curves = results.CurveByRun();
        var points = new List<IsoFlopPoint>();
        var fits = new List<IsoFlopFit>();
        var warms = runs.Where(r => r.Method == method && r.IsFinished && !r.Diverged).ToList();
        foreach (var budget in warms.GroupBy(r => (r.Tpp, r.Model)).OrderBy(b => b.Key.Tpp))
        {
            var scratches = runs.Where(r => r.Method == Method.Scratch && r.IsFinished && !r.Diverged
                                            && r.Model == budget.Key.Model && r.Tpp == budget.Key.Tpp && curves.ContainsKey(r.RunId)).ToList();
            if (scratches.Count == 0) continue;
            double cMax = scratches.Average(r => r.Flops);
            for (int level = 0; level < Levels; level++)
            {
                double c = cMax / 6 + level * (cMax - cMax / 6) / (Levels - 1);
                var scratchAt = scratches.Select(s => (s.Seed, Loss: Curves.ValueAt(curves[s.RunId].Flops, curves[s.RunId].Loss, c))).ToList();
                double scratchLoss = Stats.Mean(scratchAt.Select(s => s.Loss));
                var levelPoints = new List<IsoFlopPoint>();
                foreach (var run in budget)
                {
                    if (!curves.TryGetValue(run.RunId, out var curve)) continue;
                    double at = withBaseCompute ? c - run.BaseFlops : c;
                    double loss = Curves.ValueAt(curve.Flops, curve.Loss, at);
                    if (!double.IsNaN(loss))
                        levelPoints.Add(new IsoFlopPoint(method, budget.Key.Model, budget.Key.Tpp, withBaseCompute, level, c, run.RunId, run.G, run.Seed, loss));
                }
                if (includeScratch)
                    foreach (var (s, at) in scratches.Zip(scratchAt))
                        if (!double.IsNaN(at.Loss))
                            levelPoints.Add(new IsoFlopPoint(method, budget.Key.Model, budget.Key.Tpp, withBaseCompute, level, c, s.RunId, 1.0, s.Seed, at.Loss));
                points.AddRange(levelPoints);
                var fit = FitQuadratic(levelPoints.Select(p => p.G).ToArray(), levelPoints.Select(p => p.Loss).ToArray(), scratchLoss);

                // Bootstrap over seeds: resample seeds with replacement, take every point (and scratch run) of each
                // drawn seed, refit; percentiles 2.5/97.5. Fixed RNG seed (per level), so the report is reproducible.
                var seeds = levelPoints.Select(p => p.Seed).Concat(scratchAt.Select(s => s.Seed)).Distinct().OrderBy(x => x).ToList();
                double oLo = double.NaN, oHi = double.NaN, uLo = double.NaN, uHi = double.NaN, oDefined = double.NaN;
                // Only with enough seeds for the percentiles to mean what they say (Stats.MinBootstrapSeeds); with
                // fewer the intervals stay NaN and the fit's Seeds column says why.
                if (seeds.Count >= Stats.MinBootstrapSeeds && bootstrap > 0)
                {
                    var bySeed = seeds.ToDictionary(sd => sd, sd => (Points: levelPoints.Where(p => p.Seed == sd).ToList(),
                        Scratch: scratchAt.Where(x => x.Seed == sd).Select(x => x.Loss).ToList()));
                    var replicates = new List<QuadraticFit>();
                    Stats.Bootstrap(seeds, draw =>
                    {
                        var ps = draw.SelectMany(sd => bySeed[sd].Points).ToList();
                        var sl = Stats.Mean(draw.SelectMany(sd => bySeed[sd].Scratch));
                        replicates.Add(FitQuadratic(ps.Select(p => p.G).ToArray(), ps.Select(p => p.Loss).ToArray(), double.IsNaN(sl) ? scratchLoss : sl));
                        return 0;
                    }, bootstrap, Stats.BootstrapSeed + level);
                    var gOpts = replicates.Select(r => r.GOpt).Where(double.IsFinite).ToList();
                    oDefined = (double)gOpts.Count / replicates.Count;
                    // g_opt's interval only where the data bracket g_opt itself; g_opt_defined says in how many resamples it was.
                    if (gOpts.Count > 0 && double.IsFinite(fit.GOpt)) (oLo, oHi) = (Stats.Percentile(gOpts, 2.5), Stats.Percentile(gOpts, 97.5));
                    var gUps = replicates.Select(r => r.GUpperState switch
                    {
                        GUpperState.Value => r.GUpper, GUpperState.BelowSmallest => 0.0, GUpperState.NotReached => double.PositiveInfinity, _ => double.NaN,
                    }).Where(v => !double.IsNaN(v)).ToList();
                    if (gUps.Count > 0) (uLo, uHi) = (Stats.Percentile(gUps, 2.5), Stats.Percentile(gUps, 97.5));
                }
                fits.Add(new IsoFlopFit(method, budget.Key.Model, scratches[0].Params, budget.Key.Tpp, withBaseCompute, level, c, scratchLoss, levelPoints.Count,
                    fit.C0, fit.C1, fit.C2, fit.GOpt, fit.LossAtGOpt, fit.GUpper, fit.Reason)
                {
                    IncludeScratch = includeScratch, DistinctG = fit.DistinctG, Interpolation = fit.Interpolation, GUpperState = fit.GUpperState,
                    Seeds = seeds.Count, GOptLo = oLo, GOptHi = oHi, GOptDefined = oDefined, GUpperLo = uLo, GUpperHi = uHi,
                });
            }
        }
        return (points, fits);
    }

    /// <summary>Rows of an iso-FLOP points or fits table for one target model and budget.</summary>
    public static List<T> ForTarget<T>(IEnumerable<T> rows, string model, double tpp) where T : ITargetRow =>
        rows.Where(r => r.Model == model && r.Tpp == tpp).ToList();

    /// <summary>The fits at full compute (the last FLOP level, C_max) for every target and budget.</summary>
    public static List<IsoFlopFit> AtFullCompute(IEnumerable<IsoFlopFit> fits) => fits.Where(f => f.Level == Levels - 1).ToList();

    public sealed record QuadraticFit(double C0, double C1, double C2, double GOpt, double LossAtGOpt, double GUpper, string Reason)
    {
        public int DistinctG { get; init; }
        /// <summary>Fewer than 4 distinct g: three coefficients through three g values interpolate, they do not fit.</summary>
        public bool Interpolation { get; init; }
        public GUpperState GUpperState { get; init; } = GUpperState.NotBracketed;
    }

    /// <summary>
    /// loss ≈ c0 + c1·x + c2·x², x = ln g (least squares). g_opt = exp(−c1 / 2c2) when the parabola opens upward
    /// and its minimum lies within the observed g range. g_upper = the smallest g ≥ g_opt (or ≥ the smallest observed
    /// g when there is no g_opt) within the observed range where the fit crosses above <paramref name="scratchLoss"/>.
    /// Its state: "value"; "below the smallest g" when the fit is already above scratch where the search starts (at
    /// the smallest g, or at g_opt — a convex fit whose minimum is above scratch is above it everywhere); "not reached"
    /// when it stays below scratch up to the largest g; "not bracketed" when there is no fit or no scratch loss.
    /// </summary>
    public static QuadraticFit FitQuadratic(double[] g, double[] loss, double scratchLoss)
    {
        int distinct = g.Select(v => Math.Round(v, 9)).Distinct().Count();
        if (distinct < 3)
            return new QuadraticFit(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
                $"needs runs at ≥ 3 distinct g, has {distinct}") { DistinctG = distinct, Interpolation = false, GUpperState = GUpperState.NotBracketed };
        var x = g.Select(v => Math.Log(v)).ToArray();
        var c = Fit.Polynomial(x, loss, 2);
        double F(double t) => c[0] + c[1] * t + c[2] * t * t;
        double xMin = x.Min(), xMax = x.Max();
        var reasons = new List<string>();
        if (distinct < 4) reasons.Add($"interpolation: {distinct} distinct g for 3 coefficients");
        double gOpt = double.NaN, lossAtOpt = double.NaN;
        if (c[2] <= 0) reasons.Add("fit has no minimum (not convex in ln g)");
        else
        {
            double vertex = -c[1] / (2 * c[2]);
            if (vertex < xMin) reasons.Add($"minimum at g = {Math.Exp(vertex):0.###}, below the smallest g observed ({Math.Exp(xMin):0.###})");
            else if (vertex > xMax) reasons.Add($"minimum at g = {Math.Exp(vertex):0.###}, above the largest g observed ({Math.Exp(xMax):0.###})");
            else (gOpt, lossAtOpt) = (Math.Exp(vertex), F(vertex));
        }
        double gUpper = double.NaN;
        GUpperState state;
        if (double.IsNaN(scratchLoss)) { reasons.Add("no scratch loss at this FLOP level"); state = GUpperState.NotBracketed; }
        else
        {
            double start = double.IsNaN(gOpt) ? xMin : Math.Log(gOpt);
            if (F(start) > scratchLoss)
            {
                reasons.Add($"fit is already above scratch at g = {Math.Exp(start):0.###}");
                state = GUpperState.BelowSmallest;
            }
            else
            {
                // Roots of c2·x² + c1·x + (c0 − scratch) = 0 above the start, inside the observed range.
                var roots = SolveQuadratic(c[2], c[1], c[0] - scratchLoss).Where(r => r > start && r <= xMax).OrderBy(r => r).ToList();
                if (roots.Count > 0) { gUpper = Math.Exp(roots[0]); state = GUpperState.Value; }
                else { reasons.Add($"fit stays below scratch up to the largest g observed ({Math.Exp(xMax):0.###})"); state = GUpperState.NotReached; }
            }
        }
        return new QuadraticFit(c[0], c[1], c[2], gOpt, lossAtOpt, gUpper, string.Join("; ", reasons))
            { DistinctG = distinct, Interpolation = distinct < 4, GUpperState = state };
    }

    static IEnumerable<double> SolveQuadratic(double a, double b, double c)
    {
        if (Math.Abs(a) < 1e-15)
        {
            if (Math.Abs(b) > 1e-15) yield return -c / b;
            yield break;
        }
        double disc = b * b - 4 * a * c;
        if (disc < 0) yield break;
        double s = Math.Sqrt(disc);
        yield return (-b - s) / (2 * a);
        yield return (-b + s) / (2 * a);
    }
}
