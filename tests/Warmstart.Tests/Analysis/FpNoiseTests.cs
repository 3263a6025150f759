using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Analysis;

/// <summary>The function-preserving rival's noise: which σ is kept, on held-out losses, and whether the choice is bracketed.</summary>
public class FpNoiseTests
{
    const string Target = "L2-H8x8 (d64, 0.133M)";

    static RunRow Run(Method method, double sigma, double g, long seed, double final, double selection) =>
        new($"{method}-{sigma}-{g}-{seed}", method, method == Method.Fp ? 1 : 0, sigma, Target, 132864, 2, 8, method == Method.Scratch ? "" : $"base-{g}",
            double.NaN, method == Method.Scratch ? double.NaN : g, 20, seed, 0.01, 2.6e6, 2e12, 0, final, 5.5, false, RunStatus.Finished,
            SelectionValLoss: selection);

    /// <summary>Scratch at 1.80; fp at σ ∈ {0, 0.1, 0.3} and g ∈ {2.2, 9}, two seeds, with held-out losses <paramref name="heldOut"/>[σ][g].</summary>
    static ResultTables Study(Func<double, double, double> heldOut)
    {
        var runs = new List<RunRow>();
        foreach (long seed in new long[] { 100, 101 })
        {
            runs.Add(Run(Method.Scratch, 1, double.NaN, seed, 1.80 + seed * 1e-4, 1.80));
            foreach (double sigma in new[] { 0, 0.1, 0.3 })
            foreach (double g in new[] { 2.2, 9.0 })
            {
                double h = heldOut(sigma, g);
                runs.Add(Run(Method.Fp, sigma, g, seed, h + 0.01 + seed * 1e-4, h));
            }
        }
        return new ResultTables(runs, []);
    }

    [Fact]
    public void TheKeptSigmaHasTheLowestHeldOutLossAveragedOverG()
    {
        // σ = 0.1 wins at g = 9 by much and loses at g = 2.2 by little: averaged over g it is kept.
        var study = Study((sigma, g) => (sigma, g) switch { (0.1, 9.0) => 1.90, (0.1, _) => 1.86, (0, 9.0) => 2.10, (0, _) => 1.85, _ => 1.95 });
        Assert.True(FpNoise.Applies(study));
        Assert.Equal(0.1, FpNoise.Kept(study));
        Assert.True(FpNoise.Bracketed(study)); // 0.3 was tried and lost
        var table = FpNoise.Table(study);
        Assert.Equal(6, table.Count);
        Assert.All(table, c => Assert.Equal(2, c.Seeds));
        Assert.Equal(2, table.Count(c => c.Kept));
        var cell = table.Single(c => c.Sigma == 0 && c.G == 9.0);
        Assert.Equal(2.10 + 0.01 - 1.80, cell.VsScratch, 9); // fp − scratch, paired by seed
        Assert.Contains("Kept σ = 0.1", Readings.FpNoise(table));
        Assert.Contains("bracketed", Readings.FpNoise(table));
    }

    [Fact]
    public void ATieKeepsTheSmallerSigmaAndTheLargestSigmaIsNotBracketed()
    {
        var tie = Study((sigma, _) => sigma == 0.3 ? 1.99 : 1.90);
        Assert.Equal(0, FpNoise.Kept(tie)); // closest to preserving the function
        var largest = Study((sigma, _) => 2.0 - sigma);
        Assert.Equal(0.3, FpNoise.Kept(largest));
        Assert.False(FpNoise.Bracketed(largest));
        Assert.Contains("largest σ tried", Readings.FpNoise(FpNoise.Table(largest)));
        Assert.False(FpNoise.Applies(new ResultTables([.. tie.Runs.Where(r => r.Sigma == 0)], [])));
    }
}
