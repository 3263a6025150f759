using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Analysis;

public class StatisticsTests
{
    [Fact]
    public void PairedDeltaLossMatchesAHandComputedTInterval()
    {
        // Scratch finals 2.0, 2.1, 1.9; SZP finals 1.9, 2.05, 1.7 → ΔL = −0.1, −0.05, −0.2 (same seed each).
        var tables = new Sweep.Builder()
            .Run("s0", Method.Scratch, 0, 2.0).Run("s1", Method.Scratch, 1, 2.1).Run("s2", Method.Scratch, 2, 1.9)
            .Run("w0", Method.Szp, 0, 1.9, 3.0, g: 4).Run("w1", Method.Szp, 1, 2.05, 3.0, g: 4).Run("w2", Method.Szp, 2, 1.7, 3.0, g: 4).Build();
        var speedups = Speedup.Compute(tables);
        Assert.All(speedups, r => Assert.True(r.Paired));
        var summary = Speedup.Summary(speedups).Single();
        // mean −0.116667; s = sqrt(((1/60)² + (1/15)² + (1/12)²)/2) = 0.0763763; t(0.975, 2) = 4.302653.
        Assert.Equal(4.302652729911275, Stats.TQuantile(2), 9);
        double half = 4.302652729911275 * 0.07637626158259733 / Math.Sqrt(3);
        Assert.Equal(-0.35 / 3, summary.DeltaLossMean, 9);
        Assert.Equal(-0.35 / 3 - half, summary.DeltaLossLo, 6);
        Assert.Equal(-0.35 / 3 + half, summary.DeltaLossHi, 6);
        Assert.Equal(3, summary.Paired);
    }

    [Fact]
    public void AWarmRunBelowTheTargetAtStartGetsAFiniteLowerBoundNeverInfinity()
    {
        // Scratch ends at 2.0 (first reached at 1000 tokens); the warm run starts at 1.95, already below.
        var tables = new Sweep.Builder().Run("s0", Method.Scratch, 0, 2.0).Run("w0", Method.Szp, 0, 1.8, 1.95, g: 4, baseFlops: 6 * 25 * 400).Build();
        var speedups = Speedup.Compute(tables);
        var row = speedups.Single();
        Assert.Equal(SpeedupState.BelowAtStart, row.State);
        Assert.Equal(SpeedupBound.Lower, row.SpeedupBound);
        Assert.Equal(1000.0 / 250, row.SpeedupTokens, 12); // scratch tokens / the first evaluation interval
        Assert.All(new[] { row.SpeedupTokens, row.SpeedupFlops, row.SpeedupFlopsWithBase }, v => Assert.True(double.IsFinite(v)));
        var summary = Speedup.Summary(speedups);
        Assert.Equal(SpeedupEstimate.LowerBound, summary[0].SpeedupKind);
        Assert.Equal(1, summary[0].BelowAtStart);
        var shown = Display.SpeedupSummary(summary).Single();
        Assert.StartsWith("≥ 4", shown.Speedup);
        Assert.DoesNotContain("∞", shown.Speedup);
    }

    [Fact]
    public void OneSeedShowsNoSpread()
    {
        var tables = new Sweep.Builder().Run("s0", Method.Scratch, 0, 2.0).Run("w0", Method.Szp, 0, 1.8, 3.0, g: 4).Build();
        var summary = Speedup.Summary(Speedup.Compute(tables)).Single();
        Assert.All(new[] { summary.DeltaLossLo, summary.DeltaLossHi, summary.SpeedupLo, summary.SpeedupHi, summary.SpeedupStd }, v => Assert.True(double.IsNaN(v)));
        Assert.False(double.IsNaN(summary.SpeedupMean));
        var shown = Display.SpeedupSummary([summary]).Single();
        Assert.DoesNotContain("[", shown.Speedup);
        Assert.DoesNotContain("[", shown.DeltaLoss);
        Assert.True(double.IsNaN(Stats.Std([1.5])));
        Assert.True(double.IsNaN(Stats.TInterval([1.5]).Lo));
    }

    [Fact]
    public void SpeedupIsNeverAveragedOverOnlyTheSeedsThatReached()
    {
        // Seeds 0 and 1 reach (speedups 2 and 1.5), seed 2 never does: not estimable, median = the lower exact one.
        var b = new Sweep.Builder();
        for (int s = 0; s < 3; s++) b.Run($"s{s}", Method.Scratch, s, 2.0);
        b.Run("w0", Method.Szp, 0, 1.5, 2.5, g: 4);   // crosses 2.0 at 500 tokens → 2
        b.Run("w1", Method.Szp, 1, 1.75, 2.5, g: 4);  // crosses at 2000/3 → 1.5
        b.Run("w2", Method.Szp, 2, 2.2, 2.5, g: 4);   // never
        var summary = Speedup.Summary(Speedup.Compute(b.Build())).Single();
        Assert.Equal(2, summary.Reached);
        Assert.Equal(3, summary.Runs);
        Assert.True(double.IsNaN(summary.SpeedupMean));
        Assert.Equal(SpeedupEstimate.NotEstimable, summary.SpeedupKind);
        Assert.Equal(1.5, summary.SpeedupMedian, 9);
        Assert.Equal(MedianKind.Median, summary.SpeedupMedianKind);
        Assert.Contains("2 of 3 reached", summary.Statement);
        // With two of three not reaching, the median is only bounded above.
        var (m, kind) = Speedup.CensoredMedian([(2.0, SpeedupState.Reached), (0.9, SpeedupState.NotReached), (0.95, SpeedupState.NotReached)]);
        Assert.Equal(MedianKind.UpperBound, kind);
        Assert.Equal(0.95, m);
    }

    [Fact]
    public void AllReachedGivesTheGeometricMeanWithALogTInterval()
    {
        var e = Stats.LogTInterval([1.0, 2.0, 4.0]);
        Assert.Equal(2.0, e.Value, 12);
        double half = Stats.TQuantile(2) * Math.Log(2) / Math.Sqrt(3);
        Assert.Equal(2.0 * Math.Exp(-half), e.Lo, 9);
        Assert.Equal(2.0 * Math.Exp(half), e.Hi, 9);
    }

    [Fact]
    public void BootstrapIsReproducibleWithItsFixedSeed()
    {
        var groups = new[] { 1.0, 2, 3, 4, 5 };
        var a = Stats.Bootstrap(groups, d => d.Average(), 200);
        var b = Stats.Bootstrap(groups, d => d.Average(), 200);
        Assert.Equal(a, b);
        Assert.NotEqual(a, Stats.Bootstrap(groups, d => d.Average(), 200, rngSeed: 7));
        // The iso-FLOP intervals too: the same tables give the same bootstrap ends.
        var tables = IsoFlopSweep(seeds: 5);
        var (_, f1) = IsoFlop.Compute(tables, Method.Szp, withBaseCompute: false, bootstrap: 200);
        var (_, f2) = IsoFlop.Compute(tables, Method.Szp, withBaseCompute: false, bootstrap: 200);
        Assert.Equal(f1.Select(f => (f.GOptLo, f.GOptHi, f.GUpperLo, f.GUpperHi)), f2.Select(f => (f.GOptLo, f.GOptHi, f.GUpperLo, f.GUpperHi)));
        Assert.Contains(f1, f => double.IsFinite(f.GOptLo));
        Assert.All(f1, f => Assert.Equal(5, f.Seeds));
        // Below five seeds the percentiles would be single-seed refits: no interval at all.
        var (_, few) = IsoFlop.Compute(IsoFlopSweep(seeds: 4), Method.Szp, withBaseCompute: false, bootstrap: 200);
        Assert.All(few, f => Assert.True(double.IsNaN(f.GOptLo)));
        Assert.All(few, f => Assert.True(double.IsNaN(f.GUpperHi)));
    }

    [Fact]
    public void IsoFlopGUpperStatesAreExactlyOneOfFour()
    {
        var g = new[] { 1.5, 2, 3, 4, 6, 8, 12 };
        var bowl = g.Select(v => 2.0 + 0.1 * Math.Pow(Math.Log(v) - Math.Log(3), 2)).ToArray();
        Assert.Equal(GUpperState.Value, IsoFlop.FitQuadratic(g, bowl, 2.1).GUpperState);
        Assert.Equal(GUpperState.BelowSmallest, IsoFlop.FitQuadratic(g, bowl, 1.9).GUpperState);   // the whole fit is above scratch
        Assert.Equal(GUpperState.NotReached, IsoFlop.FitQuadratic(g, bowl, 5.0).GUpperState);
        Assert.Equal(GUpperState.NotBracketed, IsoFlop.FitQuadratic(g, bowl, double.NaN).GUpperState);
        Assert.Equal(GUpperState.NotBracketed, IsoFlop.FitQuadratic([2.0, 4], [3.0, 3.1], 3.05).GUpperState);
        Assert.False(IsoFlop.FitQuadratic(g, bowl, 2.1).Interpolation);
        var three = IsoFlop.FitQuadratic([2.0, 4, 8, 2, 4, 8], [3.0, 2.9, 3.0, 3.02, 2.92, 3.01], 3.5);
        Assert.True(three.Interpolation);
        Assert.Contains("interpolation", three.Reason);
    }

    [Fact]
    public void ScratchCanBeTheGOnePointOfTheIsoFlopFit()
    {
        var tables = IsoFlopSweep(seeds: 2);
        var (without, fitsWithout) = IsoFlop.Compute(tables, Method.Szp, withBaseCompute: false, bootstrap: 0);
        var (with, fitsWith) = IsoFlop.Compute(tables, Method.Szp, withBaseCompute: false, includeScratch: true, bootstrap: 0);
        Assert.DoesNotContain(without, p => p.G == 1.0);
        Assert.Contains(with, p => p.G == 1.0);
        Assert.All(fitsWith, f => Assert.True(f.IncludeScratch));
        Assert.All(fitsWithout, f => Assert.False(f.IncludeScratch));
        Assert.Equal(fitsWithout[0].DistinctG + 1, fitsWith[0].DistinctG);
    }

    [Fact]
    public void LawsAreRefusedWithFewerThanThreeDistinctNOrD()
    {
        // Two sizes × three budgets: six points, but N has only two values.
        var points = (from n in new[] { 1e5, 1e6 } from tpp in new[] { 10.0, 20, 30 } select new LossPoint(n, tpp * n, 2 + 10 / Math.Sqrt(n) + 50 / Math.Sqrt(tpp * n))).ToList();
        var e = Assert.Throws<ArgumentException>(() => ScalingLaw.Fit(points));
        Assert.Contains("refused", e.Message);
        Assert.Contains("2 distinct N", e.Message);
        Assert.Throws<ArgumentException>(() => ScalingLaw.Map(new Sweep.Builder().Run("s0", Method.Scratch, 0, 2.0).Build(), Method.Szp, margin: 100));
    }

    [Fact]
    public void ParametersAtTheirBoundsAreFlagged()
    {
        var fit = new ScalingFit(0.09, 4, 13.2, 0.135, Math.Exp(-30), 0.99, 9, 0); // α = 4 and E = e^−30, like the old budget-quick scratch fit
        var flags = ScalingLaw.AtBounds(fit);
        Assert.Contains(flags, f => f.StartsWith("alpha at its upper bound"));
        Assert.Contains(flags, f => f.StartsWith("E at its lower bound"));
        Assert.Empty(ScalingLaw.AtBounds(new ScalingFit(406.4, 0.34, 410.7, 0.28, 1.69, 1, 0, 0)));
    }

    [Fact]
    public void SelectionKeepsOneSettingPerConfigurationChosenOnHeldOutBatchesForEverySeed()
    {
        // Two seeds, two LRs. On the reported (final) losses LR 0.003 wins seed 0 and LR 0.01 wins seed 1 — choosing per
        // seed would keep each seed's lucky run. On the held-out batches LR 0.01 has the lower mean (2.05 vs 2.10), so
        // both seeds keep LR 0.01, whatever their final losses say.
        var tables = new Sweep.Builder()
            .Run("a0", Method.Scratch, 0, 2.1, lr: 0.01, selection: 2.06).Run("b0", Method.Scratch, 0, 1.9, lr: 0.003, selection: 2.12)
            .Run("a1", Method.Scratch, 1, 2.0, lr: 0.01, selection: 2.04).Run("b1", Method.Scratch, 1, 2.2, lr: 0.003, selection: 2.08)
            .Run("w0", Method.Szp, 0, 1.8, 3, g: 4, lr: 0.01, selection: 1.9).Run("v0", Method.Szp, 0, 1.85, 3, g: 4, lr: 0.003, selection: 1.8)
            .Build();
        var (selected, best) = Selection.BestPerConfiguration(tables);
        Assert.Equal(["a0", "a1", "v0"], selected.Runs.Select(r => r.RunId).Order());
        Assert.True(Selection.HasGrid(best));
        var scratch = best.Single(b => b.Method == Method.Scratch);
        Assert.Equal((0.01, 2, 2, Selection.HeldOut), (scratch.Lr, scratch.Settings, scratch.Seeds, scratch.ChosenOn));
        Assert.Equal((2.06 + 2.04) / 2, scratch.SelectionLoss, 12);
        Assert.Equal((2.12 + 2.08) / 2, scratch.RunnerUpSelectionLoss, 12);
        Assert.Equal((2.1 + 2.0) / 2, scratch.FinalValLoss, 12); // the reported loss is the final one, never the selection one
        // The warm run is paired with the kept scratch run of its own seed (a0), even though their LRs differ.
        var speed = Speedup.Compute(selected).Single();
        Assert.Equal("a0", speed.ScratchId);
        Assert.Equal(1.85 - 2.1, speed.DeltaLoss, 12);
    }

    [Fact]
    public void SettingsThatScoreExactlyAlikeKeepTheUnscaledInit()
    {
        // fp copies the base and adds no fresh noise (σ = 0), so its init-scale grid trains one model three times.
        var rows = new Sweep.Builder()
            .Run("f05", Method.Fp, 0, 1.9, 3, g: 4, selection: 1.95).Run("f1", Method.Fp, 0, 1.9, 3, g: 4, selection: 1.95).Run("f2", Method.Fp, 0, 1.9, 3, g: 4, selection: 1.95)
            .Build();
        double[] scales = [0.5, 1, 2];
        var tables = rows with { Runs = rows.Runs.Select((r, i) => r with { InitScale = scales[i] }).ToList() };
        var (selected, best) = Selection.BestPerConfiguration(tables);
        Assert.Equal(["f1"], selected.Runs.Select(r => r.RunId));
        Assert.Equal(1, best.Single().InitScale);
    }

    [Fact]
    public void RunsWithoutHeldOutLossesAreChosenOnTheirFinalLossAndSaySo()
    {
        var tables = new Sweep.Builder().Run("a", Method.Scratch, 0, 2.1, lr: 0.01).Run("b", Method.Scratch, 0, 1.9, lr: 0.003).Build();
        var (selected, best) = Selection.BestPerConfiguration(tables);
        Assert.Equal(["b"], selected.Runs.Select(r => r.RunId));
        Assert.Equal(Selection.Reported, best.Single().ChosenOn);
    }

    [Fact]
    public void AWarmRunIsNeverPairedWithAnotherSeedsScratch()
    {
        var tables = new Sweep.Builder().Run("s0", Method.Scratch, 0, 2.0).Run("w1", Method.Szp, 1, 1.9, 3, g: 4).Build();
        Assert.Empty(Speedup.Compute(tables));
        Assert.Null(Pairing.ScratchOf(tables.Runs, tables.Runs.Single(r => r.RunId == "w1")));
    }

    [Fact]
    public void TheTTestHolmAndFiellerMatchHandComputations()
    {
        // Deviations −2…2 (SD √2.5) around m = t(0.975, 4)·√2.5/√5: the t statistic is exactly the 97.5% quantile, p = 0.05.
        double m = 2.7764451051977987 * Math.Sqrt(2.5) / Math.Sqrt(5);
        Assert.Equal(0.05, Stats.TTestP(new[] { -2.0, -1, 0, 1, 2 }.Select(d => m + d)), 9);
        Assert.Equal(1.0, Stats.TTestP([-1.0, 1, -2, 2]), 12);
        Assert.True(double.IsNaN(Stats.TTestP([0.3])));
        // Holm: sorted 0.01, 0.03, 0.04 → ×3, ×2 (0.06), ×1 (0.04, raised to the running 0.06).
        Assert.Equal([0.03, 0.06, 0.06], Stats.Holm([0.01, 0.04, 0.03]).Select(p => Math.Round(p, 12)));
        Assert.Equal(1.0, Stats.Holm([0.5, 0.6])[1]);
        // Fieller: ratio 0.6 of the paired means; at each end of the interval the t statistic of a − R·b is the quantile.
        double[] a = [0.03, 0.04, 0.035, 0.05, 0.025], b = [0.06, 0.065, 0.055, 0.07, 0.05];
        var r = Stats.FiellerRatio(a, b);
        Assert.Equal(0.6, r.Value, 12);
        Assert.Equal(0.4658733205643726, r.Lo, 9);
        Assert.Equal(0.7066244131285122, r.Hi, 9);
        foreach (var end in new[] { r.Lo, r.Hi })
        {
            var d = a.Zip(b, (x, y) => x - end * y).ToList();
            Assert.Equal(2.7764451051977987, Math.Abs(d.Average()) / (Stats.Std(d) / Math.Sqrt(5)), 6);
        }
        // A denominator that is not clearly away from 0 leaves the ratio without an interval.
        Assert.True(double.IsNaN(Stats.FiellerRatio(a, [0.01, -0.02, 0.015, -0.01, 0.0]).Lo));
    }

    internal static ResultTables IsoFlopSweepForControls() => IsoFlopSweep(3);

    /// <summary>Scratch and SZP at g = 2, 4, 8, 16 with seed-dependent noise: a bowl in ln g.</summary>
    internal static ResultTables IsoFlopSweep(int seeds)
    {
        var b = new Sweep.Builder();
        for (int s = 0; s < seeds; s++)
        {
            double noise = 0.01 * (s - (seeds - 1) / 2.0);
            b.Run($"s{s}", Method.Scratch, s, 2.0 + noise);
            foreach (var g in new[] { 2.0, 4, 8, 16 })
                b.Run($"w{s}-{g}", Method.Szp, s, 1.9 + 0.05 * Math.Pow(Math.Log(g / 4), 2) + noise * (g / 4), 2.6, g: g);
        }
        return b.Build();
    }
}

public class VerdictTests
{
    /// <summary>Scratch, SZP and fp at g = 2, 4, 8 over seeds, with ΔL(SZP − fp) = <paramref name="szpMinusFp"/> + noise.</summary>
    static ResultTables Claims12(double szpMinusFp, double noise, int seeds = 4, double szpStartGap = 0.5)
    {
        var b = new Sweep.Builder();
        for (int s = 0; s < seeds; s++)
        {
            double e = noise * (s % 2 == 0 ? 1 : -1) * (1 + s);
            b.Run($"base{s}", Method.Scratch, s, 2.5, model: "M25", n: 25);
            b.Run($"s{s}", Method.Scratch, s, 2.0);
            foreach (var g in new[] { 2.0, 4, 8 })
            {
                b.Run($"fp{s}-{g}", Method.Fp, s, 2.0, 2.5, g: g, baseId: $"base{s}", lambda: 1);
                b.Run($"szp{s}-{g}", Method.Szp, s, 2.0 + szpMinusFp + e, 2.5 + szpStartGap, g: g, baseId: $"base{s}");
            }
        }
        return b.Build();
    }

    static VerdictRow Claim(List<VerdictRow> rows, string claim) => rows.Single(r => r.Claim == claim);

    [Fact]
    public void ClaimTwoFollowsTheSideOfZeroTheIntervalIsOn()
    {
        Assert.Equal(Verdict.Reproduced, Claim(Verdicts.ForStudy(Claims12(-0.1, 0.01), "t"), "2").Verdict);
        Assert.Equal(Verdict.NotReproduced, Claim(Verdicts.ForStudy(Claims12(+0.1, 0.01), "t"), "2").Verdict);
        Assert.Equal(Verdict.Inconclusive, Claim(Verdicts.ForStudy(Claims12(-0.01, 0.1), "t"), "2").Verdict);
        var one = Claim(Verdicts.ForStudy(Claims12(-0.1, 0.01, seeds: 1), "t"), "2");
        Assert.Equal(Verdict.Inconclusive, one.Verdict); // one seed: no interval
        Assert.Equal(1, one.N);
        Assert.True(double.IsNaN(one.Lo));
    }

    [Fact]
    public void ClaimOneNeedsSzpToReallyBreakTheBaseFunction()
    {
        Assert.Equal(Verdict.Reproduced, Claim(Verdicts.ForStudy(Claims12(-0.1, 0.01), "t"), "1").Verdict);
        // SZP's start no worse than the base (gap 0): the comparison says nothing about preservation.
        var row = Claim(Verdicts.ForStudy(Claims12(-0.1, 0.01, szpStartGap: -0.5), "t"), "1");
        Assert.Equal(Verdict.Inconclusive, row.Verdict);
        Assert.Contains("precondition unmet", row.Detail);
    }

    [Fact]
    public void ClaimFourBReadsTheGainAgainstBudget()
    {
        VerdictRow Run(double shrink)
        {
            var b = new Sweep.Builder();
            for (int s = 0; s < 3; s++)
            foreach (var tpp in new[] { 10.0, 30 })
            {
                b.Run($"s{s}-{tpp}", Method.Scratch, s, 2.0, tpp: tpp);
                foreach (var g in new[] { 2.0, 4 })
                    b.Run($"w{s}-{tpp}-{g}", Method.Szp, s, 2.0 - 0.1 + (tpp == 30 ? shrink : 0) + 0.003 * s, 3, g: g, tpp: tpp);
            }
            return Claim(Verdicts.ForStudy(b.Build(), "t"), "4b");
        }
        Assert.Equal(Verdict.Reproduced, Run(0.05).Verdict);
        Assert.Equal(Verdict.NotReproduced, Run(-0.05).Verdict);
        Assert.Equal(0.05, Run(0.05).Value, 9);
    }

    [Fact]
    [Outer(OuterReason.Slow)] // loads and analyses every committed study: about a minute on two busy cores
    public void GatheringTheCommittedResultsGivesEveryClaimOneVerdict()
    {
        var studies = Verdicts.StudyFolders(Path.Combine(NotebookRunner.RepoRoot, "data", "results"));
        var holdOuts = studies.ToDictionary(s => s.Study, s => HoldOut.Of(s.Tables));
        var perStudy = studies.Select(s => (s.Study, Rows: Verdicts.ForStudy(s.Tables, s.Study, holdOuts[s.Study]))).ToList();
        var rows = Verdicts.Choose(perStudy);
        // The notebooks show each study's committed analysis/verdicts.csv rather than deciding anew: it must be what
        // today's rules decide from the committed runs.
        foreach (var (study, decided) in perStudy)
        {
            var analysis = AnalysisFiles.Of(Path.Combine(NotebookRunner.RepoRoot, "data", "results", study));
            Assert.True(File.Exists(AnalysisFiles.Verdicts.In(analysis)), $"{study}: no committed verdicts.csv (run report --results on it)");
            Assert.True(decided.SequenceEqual(AnalysisFiles.Verdicts.Read(analysis)),
                $"{study}: the committed verdicts.csv differs from what the rules decide now; run report --results data/results/{study}");
            // Claim 5's table of hold-out errors, where the study has one.
            if (holdOuts[study] is { } holdOut)
                Assert.True(holdOut.Rows().SequenceEqual(AnalysisFiles.HoldOut.Read(analysis)),
                    $"{study}: the committed holdout.csv differs from what the code computes now; run report --results data/results/{study}");
            else
                Assert.False(File.Exists(AnalysisFiles.HoldOut.In(analysis)), $"{study}: a holdout.csv, but claim 5 does not apply to its runs; delete it");
        }
        // The README's headline reads the speedups a study's report wrote: they too must be today's.
        foreach (var (study, tables) in studies)
        {
            var computed = Speedup.Summary(Speedup.Compute(Warmstart.Reporting.Report.Compared(Selection.BestPerConfiguration(tables).Selected)));
            var committed = AnalysisFiles.SpeedupSummary.Read(AnalysisFiles.Of(Path.Combine(NotebookRunner.RepoRoot, "data", "results", study)));
            Assert.True(computed.SequenceEqual(committed), $"{study}: the committed speedup_summary.csv differs from what the code computes now; run report --results data/results/{study}");
            // So do the readings beyond the paper (tuning, controls, routes, progressive growth), sentence for sentence.
            var readings = Warmstart.Reporting.StudyReadings.Of(tables, computed);
            var written = Warmstart.Reporting.StudyReadings.File.Read(AnalysisFiles.Of(Path.Combine(NotebookRunner.RepoRoot, "data", "results", study)));
            Assert.True(readings.SequenceEqual(written), $"{study}: the committed readings.csv differs from what the code writes now; run report --results data/results/{study}");
        }
        Assert.Equal(["1", "2", "3", "4", "4a", "4b", "5"], rows.Select(r => r.Claim));
        Assert.All(rows, r => Assert.True(r.Verdict.Outcome != Outcome.NotObserved || r.Claim == "3", r.Verdict.ToString()));
        var md = Warmstart.Reporting.AnalysisMarkdown.Verdicts(rows);
        Assert.StartsWith("| claim | verdict | statistic | value [95% interval] | n |", md);
        Console.WriteLine(md);
    }
}
