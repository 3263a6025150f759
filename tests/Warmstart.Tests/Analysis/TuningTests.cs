using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Analysis;

public class TuningTests
{
    /// <summary>
    /// A tune study by hand: a base (M25) per seed at LR 0.01, and the target (M100) for scratch and SZP at LR 0.003 /
    /// 0.01 / 0.03 (init scale 1) over three seeds. Scratch's final losses are 2.10, 2.00, 2.20 at the three LRs plus
    /// the seed's offset; SZP's 1.95, 1.92, 2.30.
    /// </summary>
    static ResultTables Grid(int seeds = 3)
    {
        var b = new Sweep.Builder();
        double[] lrs = [0.003, 0.01, 0.03], scratch = [2.10, 2.00, 2.20], szp = [1.95, 1.92, 2.30];
        for (int s = 0; s < seeds; s++)
        {
            double e = 0.01 * s, wiggle = 0.002 * (s % 2 == 0 ? 1 : -1);
            b.Run($"base{s}", Method.Scratch, s, 2.5, model: "M25", n: 25, lr: 0.01);
            for (int i = 0; i < lrs.Length; i++)
            {
                b.Run($"s{s}-{i}", Method.Scratch, s, scratch[i] + e + (i == 0 ? wiggle : 0), lr: lrs[i]);
                b.Run($"z{s}-{i}", Method.Szp, s, szp[i] + e, 3.0, g: 4, baseId: $"base{s}", lr: lrs[i]);
            }
        }
        return b.Build();
    }

    [Fact]
    public void EachSettingIsComparedWithTheBasesSettingPairedBySeed()
    {
        var grid = Tuning.Grid(Grid());
        Assert.Equal(6, grid.Count); // 3 LRs × scratch and SZP; the bases are not part of the grid
        var scratchLow = grid.Single(c => c.Method == Method.Scratch && c.Lr == 0.003);
        // Per seed: 2.10 + e ± 0.002 − (2.00 + e) = 0.102, 0.098, 0.102 → mean 0.100667, SD 0.0023094, t(0.975, 2) = 4.302653.
        Assert.Equal(0.302 / 3, scratchLow.VsDefault, 9);
        double half = 4.302652729911275 * Math.Sqrt(((0.102 - 0.302 / 3) * (0.102 - 0.302 / 3) * 2 + (0.098 - 0.302 / 3) * (0.098 - 0.302 / 3)) / 2) / Math.Sqrt(3);
        Assert.Equal(0.302 / 3 - half, scratchLow.VsDefaultLo, 9);
        Assert.True(grid.Single(c => c.Method == Method.Scratch && c.Lr == 0.01).IsDefault);
        Assert.True(grid.Single(c => c.Method == Method.Scratch && c.Lr == 0.01).Kept);
        Assert.True(grid.Single(c => c.Method == Method.Szp && c.Lr == 0.01).Kept);
        Assert.True(Tuning.Applies(Grid()));
    }

    [Fact]
    public void TheReadingNamesTheKeptSettingsAndComparesEachMethodAtItsOwn()
    {
        var text = Readings.Tuning(Grid());
        // No held-out losses in this grid: the kept setting is the lowest mean final loss, and the reading says so.
        // LR is bracketed (0.003 and 0.03 lost); one init scale tried is not, and the reading says so in the same sentence.
        Assert.Contains("scratch: kept LR 0.01, init × 1 (on the grid's edge in init scale: extend the grid before relying on it; chosen on the final loss: no held-out batches; mean final loss 2.010; the default setting)", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "scratch: kept LR"));
        // Per seed best SZP (1.92 + e) − best scratch (2.00 + e) = −0.08 exactly: no spread.
        Assert.Contains("At the kept settings, szp − scratch = -0.08 [-0.08, -0.08] (3 of 3 seeds below scratch)", text);
        var one = Readings.Tuning(Grid(seeds: 1));
        Assert.Contains("one seed: no interval", one);
    }

    [Fact]
    public void TheKeptSettingIsChosenOnHeldOutLossesNotOnTheReportedOnes()
    {
        // Scratch at LR 0.003 has the lowest final losses, but LR 0.01 the lowest held-out ones: 0.01 is kept.
        var b = new Sweep.Builder();
        for (int s = 0; s < 3; s++)
        {
            b.Run($"base{s}", Method.Scratch, s, 2.5, model: "M25", n: 25, lr: 0.01, selection: 2.5);
            b.Run($"s{s}-a", Method.Scratch, s, 1.95 + 0.01 * s, lr: 0.003, selection: 2.10);
            b.Run($"s{s}-b", Method.Scratch, s, 2.00 + 0.01 * s, lr: 0.01, selection: 2.05);
            b.Run($"z{s}", Method.Szp, s, 1.90 + 0.01 * s, 3.0, g: 4, baseId: $"base{s}", lr: 0.01, selection: 1.95);
        }
        var grid = Tuning.Grid(b.Build());
        Assert.True(grid.Single(c => c.Method == Method.Scratch && c.Lr == 0.01).Kept);
        Assert.False(grid.Single(c => c.Method == Method.Scratch && c.Lr == 0.003).Kept);
        Assert.Equal(2.05, grid.Single(c => c.Method == Method.Scratch && c.Lr == 0.01).SelectionLoss, 12);
        Assert.Contains("chosen on held-out batches, mean 2.050", Readings.Tuning(b.Build()));
    }

    /// <summary>
    /// SZP tuned at two growth factors whose own bests differ: at g = 2 LR 0.003 has the lowest held-out loss (1.90),
    /// at g = 4 LR 0.01 (1.95); averaged over the g's 0.003 scores 2.00, 0.01 1.935 and 0.03 1.98, so 0.01 is kept
    /// for both. Scratch keeps 0.01 (held-out 2.00). Final loss = held-out loss + 0.01 · seed.
    /// </summary>
    static ResultTables TwoGrowthFactors()
    {
        var b = new Sweep.Builder();
        double[] lrs = [0.003, 0.01, 0.03], scratch = [2.10, 2.00, 2.05], atG2 = [1.90, 1.92, 2.00], atG4 = [2.10, 1.95, 1.96];
        for (int s = 0; s < 3; s++)
        {
            b.Run($"b2-{s}", Method.Scratch, s, 2.4, model: "M50", n: 50, lr: 0.01, selection: 2.4)
             .Run($"b4-{s}", Method.Scratch, s, 2.6, model: "M25", n: 25, lr: 0.01, selection: 2.6);
            for (int i = 0; i < lrs.Length; i++)
                b.Run($"s{s}-{i}", Method.Scratch, s, scratch[i] + 0.01 * s, lr: lrs[i], selection: scratch[i])
                 .Run($"z2-{s}-{i}", Method.Szp, s, atG2[i] + 0.01 * s, 3.0, g: 2, baseId: $"b2-{s}", lr: lrs[i], selection: atG2[i])
                 .Run($"z4-{s}-{i}", Method.Szp, s, atG4[i] + 0.01 * s, 3.0, g: 4, baseId: $"b4-{s}", lr: lrs[i], selection: atG4[i]);
        }
        return b.Build();
    }

    [Fact]
    public void TheKeptSettingIsOneOverEveryGrowthFactorAndTheGridMarksItApartFromEachGsOwnBest()
    {
        var tables = TwoGrowthFactors();
        var szp = Assert.Single(Tuning.Kept(tables), k => k.Method == Method.Szp);
        Assert.Equal((0.01, 1.0, 2), (szp.Lr, szp.InitScale, szp.Gs));
        Assert.Equal((1.92 + 1.95) / 2, szp.SelectionLoss, 12);
        Assert.True(szp.LrInterior);
        var grid = Tuning.Grid(tables).Where(c => c.Method == Method.Szp).ToList();
        // Kept on both g's rows at LR 0.01; g = 2's own best (0.003, the grid's lower edge) is marked apart.
        Assert.Equal([0.01, 0.01], grid.Where(c => c.Kept).Select(c => c.Lr));
        Assert.Equal(0.003, grid.Single(c => c.BestAtG && c.G == 2).Lr);
        Assert.Equal(0.01, grid.Single(c => c.BestAtG && c.G == 4).Lr);
        Assert.Contains("| szp | 2 | 0.003 | 1 | 3 | 1.9 | 1.910 | -0.02 [-0.02, -0.02] | best at this g alone |", AnalysisMarkdown.Tuning(tables));
        // Each method at its kept setting, paired by seed: SZP at g = 2 (1.92) − scratch (2.00) = −0.08 on every seed,
        // not the −0.10 of g = 2's own best.
        var atKept = Tuning.AtKept(tables);
        Assert.Equal(-0.08, atKept.Single(x => x.Method == Method.Szp && x.G == 2).WarmMinusScratch.Value, 9);
        Assert.Equal(-0.05, atKept.Single(x => x.Method == Method.Szp && x.G == 4).WarmMinusScratch.Value, 9);
    }

    [Fact]
    public void ASettingThatLostSeedsToDivergenceIsNotKeptOnTheSurvivorsLoss()
    {
        // SZP at LR 0.03 at g = 4 diverged on seeds 1 and 2; its one survivor's held-out 1.80 would make 0.03's average
        // over the g's (2.00 + 1.80) / 2 = 1.90 the lowest, but 0.01 (1.935) kept all its seeds.
        var t = TwoGrowthFactors();
        t = new ResultTables(t.Runs.Select(r => r.RunId is "z4-1-2" or "z4-2-2" ? r with { Diverged = true }
                                              : r.RunId == "z4-0-2" ? r with { SelectionValLoss = 1.80 } : r).ToList(), t.Curves);
        Assert.Equal(0.01, Tuning.Kept(t).Single(k => k.Method == Method.Szp).Lr);
    }

    [Fact]
    public void AMethodWithNoSettingTriedAtEveryGrowthFactorSaysSoInsteadOfVanishing()
    {
        // SZP at g = 4 tried only LR 0.03, which g = 2 never tried: nothing to average over both g's.
        var t = TwoGrowthFactors();
        t = new ResultTables(t.Runs.Where(r => !(r.RunId.StartsWith("z4-") && !r.RunId.EndsWith("-2")) && !(r.RunId.StartsWith("z2-") && r.RunId.EndsWith("-2"))).ToList(), t.Curves);
        Assert.DoesNotContain(Tuning.Kept(t), k => k.Method == Method.Szp);
        Assert.Contains("szp: no setting was tried at every growth factor, so none is kept.", Readings.Tuning(t));
    }

    [Fact]
    public void AStudyWithOneSettingOrWithGriddedBasesIsNotATuningGrid()
    {
        Assert.False(Tuning.Applies(StatisticsTests.IsoFlopSweepForControls()));
        // The LR-transfer study grids its bases too: no single default setting, so no tuning reading.
        var lr = new Sweep.Builder();
        foreach (var x in new[] { 0.003, 0.01 })
            lr.Run($"b{x}", Method.Scratch, 0, 2.5, model: "M25", n: 25, lr: x).Run($"s{x}", Method.Scratch, 0, 2.0, lr: x)
              .Run($"z{x}", Method.Szp, 0, 1.9, 3.0, g: 4, baseId: $"b{x}", lr: x);
        Assert.False(Tuning.Applies(lr.Build()));
    }

    /// <summary>
    /// Scratch at its kept setting (LR 0.007) in the growth study against scratch at the default (LR 0.01) in the
    /// scratch-default study, paired by seed, by hand: per seed the differences are −0.02, −0.03, −0.01, +0.005, so the
    /// mean is −0.01375 and the t interval with 3 degrees of freedom is mean ± 3.182 · s/√4.
    /// </summary>
    [Fact]
    public void ScratchAtItsKeptSettingIsPairedBySeedWithScratchAtTheDefault()
    {
        double[] d = [-0.02, -0.03, -0.01, 0.005];
        var growth = new Sweep.Builder();
        var atDefault = new Sweep.Builder();
        for (int s = 0; s < d.Length; s++)
        {
            growth.Run($"b{s}", Method.Scratch, s, 2.5, model: "M25", n: 25) // a base: another model, left out
                  .Run($"k{s}", Method.Scratch, s, 2.0 + 0.1 * s + d[s], lr: 0.007)
                  .Run($"z{s}", Method.Szp, s, 1.9, 3.0, g: 4, baseId: $"b{s}", lr: 0.007);
            atDefault.Run($"d{s}", Method.Scratch, s, 2.0 + 0.1 * s, lr: 0.01);
        }
        atDefault.Run("d9", Method.Scratch, 9, 2.0); // a seed the growth study lacks: unpaired, left out
        var row = Assert.Single(Tuning.ScratchAtKeptVsDefault(growth.Build(), atDefault.Build()));
        Assert.Equal(("M100", 0.007, 0.01), (row.Model, row.KeptLr, row.DefaultLr));
        Assert.Equal(4, row.KeptMinusDefault.N);
        Assert.Equal(3, row.Below);
        double mean = d.Average(), sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / 3);
        Assert.Equal(mean, row.KeptMinusDefault.Value, 12);
        Assert.Equal(mean - 3.182446305284263 * sd / 2, row.KeptMinusDefault.Lo, 9);
        Assert.Equal(mean + 3.182446305284263 * sd / 2, row.KeptMinusDefault.Hi, 9);

        // A grid on either side is refused by name: the check reads one kept setting.
        growth.Run("k0b", Method.Scratch, 0, 2.0, lr: 0.01);
        var e = Assert.Throws<ArgumentException>(() => Tuning.ScratchAtKeptVsDefault(growth.Build(), atDefault.Build()));
        Assert.Contains("the growth study trains scratch's M100 at 20 TPP at more than one setting", e.Message);
    }
}
