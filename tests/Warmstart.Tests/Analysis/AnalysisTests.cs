using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Tests.Analysis;

public class AnalysisTests
{
    [Fact]
    public void ScalingLawRecoversKnownParametersWithinTwoPercent()
    {
        // Chinchilla's published law, sampled on a 5 × 5 grid of N and D.
        var truth = new ScalingFit(406.4, 0.34, 410.7, 0.28, 1.69, 1, 0, 0);
        var points = (from n in new[] { 1e6, 1e7, 1e8, 1e9, 1e10 }
                      from d in new[] { 1e8, 1e9, 1e10, 1e11, 1e12 }
                      select new LossPoint(n, d, truth.Predict(n, d))).ToList();
        var fit = ScalingLaw.Fit(points);
        Assert.InRange(fit.A / truth.A, 0.98, 1.02);
        Assert.InRange(fit.Alpha / truth.Alpha, 0.98, 1.02);
        Assert.InRange(fit.B / truth.B, 0.98, 1.02);
        Assert.InRange(fit.Beta / truth.Beta, 0.98, 1.02);
        Assert.InRange(fit.E / truth.E, 0.98, 1.02);
        Assert.True(fit.R2 > 0.9999);
    }

    [Fact]
    public void ScalingLawWithNoiseStaysClose()
    {
        // 0.5% multiplicative noise on L: exponents within 10%, E within 3%, predictions within 1%.
        var truth = new ScalingFit(406.4, 0.34, 410.7, 0.28, 1.69, 1, 0, 0);
        var rng = new Random(1);
        var points = (from n in new[] { 1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9 }
                      from d in new[] { 1e8, 1e9, 1e10, 1e11, 1e12 }
                      select new LossPoint(n, d, truth.Predict(n, d) * (1 + 0.005 * (2 * rng.NextDouble() - 1)))).ToList();
        var fit = ScalingLaw.Fit(points);
        Assert.InRange(fit.Alpha / truth.Alpha, 0.9, 1.1);
        Assert.InRange(fit.Beta / truth.Beta, 0.9, 1.1);
        Assert.InRange(fit.E / truth.E, 0.97, 1.03);
        foreach (var p in points) Assert.InRange(fit.Predict(p.N, p.D) / truth.Predict(p.N, p.D), 0.99, 1.01);
    }

    [Fact]
    public void TooFewRunsForAFitIsAClearError()
    {
        var points = new[] { new LossPoint(1e6, 2e7, 3.0), new LossPoint(2e6, 4e7, 2.9), new LossPoint(4e6, 8e7, 2.8) };
        var e = Assert.Throws<ArgumentException>(() => ScalingLaw.Fit(points));
        Assert.Contains("too few runs for the fit: 3 points", e.Message);
    }

    [Fact]
    public void ASingleBudgetIsRefusedAsMeaningless()
    {
        var points = new[] { 1e5, 2e5, 4e5, 8e5, 1.6e6, 3.2e6 }.Select(n => new LossPoint(n, 20 * n, 2 + 10 / Math.Sqrt(n))).ToList();
        var e = Assert.Throws<ArgumentException>(() => ScalingLaw.Fit(points));
        Assert.Contains("every run trained 20 tokens per parameter", e.Message);
    }

    [Fact]
    public void QuadraticInLogGGivesBackTheKnownMinimumAndUpperBound()
    {
        // loss = 2.0 + 0.1·(ln g − ln 3)², scratch at 2.1 → g_opt = 3, g_upper = 3e (where (ln g − ln 3)² = 1).
        var g = new[] { 1.5, 2, 3, 4, 6, 8, 12 };
        var loss = g.Select(v => 2.0 + 0.1 * Math.Pow(Math.Log(v) - Math.Log(3), 2)).ToArray();
        var fit = IsoFlop.FitQuadratic(g, loss, scratchLoss: 2.1);
        Assert.Equal(3.0, fit.GOpt, 6);
        Assert.Equal(3 * Math.E, fit.GUpper, 6);
        Assert.Equal(2.0, fit.LossAtGOpt, 9);
        Assert.Equal("", fit.Reason);
    }

    [Fact]
    public void UnbracketedOptimaAreNaNWithAReason()
    {
        var g = new[] { 2.0, 4, 8 };
        var falling = g.Select(v => 3.0 - 0.1 * Math.Log(v) + 0.001 * Math.Pow(Math.Log(v), 2)).ToArray(); // minimum far above 8
        var fit = IsoFlop.FitQuadratic(g, falling, scratchLoss: 3.5);
        Assert.True(double.IsNaN(fit.GOpt));
        Assert.Contains("above the largest g observed", fit.Reason);
        Assert.True(double.IsNaN(fit.GUpper));
        Assert.Contains("stays below scratch", fit.Reason);
        var two = IsoFlop.FitQuadratic([2.0, 4], [3.0, 3.1], 3.05);
        Assert.Contains("≥ 3 distinct g", two.Reason);
    }

    [Fact]
    public void TokensToLossOnPiecewiseLinearCurvesAreExact()
    {
        double[] tokens = [0, 100, 200, 300, 400];
        double[] loss = [5.0, 4.0, 3.0, 2.5, 2.0];
        Assert.Equal(150.0, Curves.FirstCrossing(tokens, loss, 3.5), 12);
        Assert.Equal(360.0, Curves.FirstCrossing(tokens, loss, 2.2), 12);
        Assert.Equal(200.0, Curves.FirstCrossing(tokens, loss, 3.0), 12);
        Assert.True(double.IsNaN(Curves.FirstCrossing(tokens, loss, 1.9)));
        Assert.Equal(2.75, Curves.ValueAt(tokens, loss, 250), 12);
        Assert.True(double.IsNaN(Curves.ValueAt(tokens, loss, 401)));
        // Evaluations skipped between points (NaN) are bridged.
        Assert.Equal(150.0, Curves.FirstCrossing([0, 100, 150, 200], [5.0, 4.0, double.NaN, 3.0], 3.5), 12);
    }

    [Fact]
    public void SpeedupIsExactOnLinearCurvesAndSmallerWithBaseCompute()
    {
        var tables = SyntheticResults.Build();
        var row = Speedup.Compute(tables).Single(r => r.RunId == "szp-1");
        // Scratch reaches its final 2.0 at 1,000 tokens; the warm run passes 2.0 at 500 → 2× fewer tokens.
        Assert.Equal(2.0, row.SpeedupTokens, 12);
        Assert.Equal(2.0, row.SpeedupFlops, 12);
        double withBase = row.SpeedupFlopsWithBase;
        Assert.True(withBase < 2.0);
        // C_scratch / (C_warm + C_base) = 6·100·1000 / (6·100·500 + 6·25·400).
        Assert.Equal(600_000.0 / (300_000 + 60_000), withBase, 12);
    }

    [Fact]
    public void IsoFlopReadsEachRunAtTheLevelAndShiftsByBaseCompute()
    {
        var tables = SyntheticResults.Build();
        var (points, fits) = IsoFlop.Compute(tables, Method.Szp, withBaseCompute: false);
        Assert.Equal(IsoFlop.Levels, fits.Count);
        var (pointsBase, _) = IsoFlop.Compute(tables, Method.Szp, withBaseCompute: true);
        var loss = points.Select(p => p.Loss).ToList();
        var lossBase = pointsBase.Select(p => p.Loss).ToList();
        // With base compute each run has trained less at the same level: higher loss (or no point yet).
        Assert.True(lossBase.Average() > loss.Take(lossBase.Count).Average() - 1e-12);
        Assert.Equal(6 * 100 * 1000.0, fits.Max(f => f.Flops), 6); // C_max = the scratch target's compute
        Assert.Equal(6 * 100 * 1000.0 / 6, fits.Min(f => f.Flops), 6);
        var full = IsoFlop.AtFullCompute(fits);
        Assert.Equal([IsoFlop.Levels - 1], full.Select(f => f.Level));
        Assert.Equal(6 * 100 * 1000.0, full[0].Flops, 6);
        Assert.Equal(IsoFlop.Levels, IsoFlop.ForTarget(fits, "M100", 20).Count);
        Assert.Empty(IsoFlop.ForTarget(fits, "M100", 30));
    }
}

/// <summary>A hand-made sweep: one scratch target (N = 100) and one SZP run grown from a base (N = 25).</summary>
static class SyntheticResults
{
    public static ResultTables Build() => new Sweep.Builder()
        .Run("scratch-1", Method.Scratch, 0, 2.0, loss: [5.5, 3.0, 2.5, 2.2, 2.0])
        .Run("base-1", Method.Scratch, 0, 2.6, tpp: 16, model: "M25", n: 25, tokens: 400, widthUnits: 2, at: [0, 200, 400], loss: [5.5, 3.0, 2.6])
        .Run("szp-1", Method.Szp, 0, 1.8, 3.0, g: 4, baseId: "base-1", baseFlops: 6 * 25 * 400.0, loss: [3.0, 2.4, 2.0, 1.9, 1.8])
        .Build();
}
