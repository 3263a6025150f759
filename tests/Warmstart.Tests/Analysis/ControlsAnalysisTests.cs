using Warmstart.Analysis;
using Warmstart.Reporting;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Tests.Analysis;

public class ControlsAnalysisTests
{
    /// <summary>
    /// A controls study at g = 2 and 8 over <paramref name="seeds"/> seeds: scratch ends at 2.0 + e, and each arm at
    /// scratch + its offset + e (e = the seed's noise, shared within a seed, so paired differences are exact offsets
    /// plus <paramref name="armNoise"/> × ±(1 + s)).
    /// </summary>
    static ResultTables Study(double szp, double untrained, double permuted, double rescaled, int seeds = 5, double armNoise = 0.002,
        int scratchSeeds = int.MaxValue)
    {
        var b = new Sweep.Builder();
        for (int s = 0; s < seeds; s++)
        {
            double e = 0.03 * (s - 2), wiggle = armNoise * (s % 2 == 0 ? 1 : -1) * (1 + s);
            if (s < scratchSeeds) b.Run($"s{s}", Method.Scratch, s, 2.0 + e);
            foreach (var g in new[] { 2.0, 8 })
            {
                b.Run($"b{s}-{g}", Method.Scratch, s, 2.4, model: "Mb", n: 100 / g);
                b.Run($"u{s}-{g}", Method.Untrained, s, 5.5, model: "Mb", n: 100 / g);
                b.Run($"z{s}-{g}", Method.Szp, s, 2.0 + e + szp + wiggle, 3.0, g: g, baseId: $"b{s}-{g}");
                b.Run($"zu{s}-{g}", Method.SzpUntrainedBase, s, 2.0 + e + untrained - wiggle, 5.0, g: g, baseId: $"u{s}-{g}");
                b.Run($"zp{s}-{g}", Method.SzpPermutedBase, s, 2.0 + e + permuted + wiggle / 2, 4.0, g: g, baseId: $"b{s}-{g}");
                b.Run($"r{s}-{g}", Method.ScratchRescaled, s, 2.0 + e + rescaled - wiggle / 2, 5.2, g: g, baseId: $"b{s}-{g}", lambda: 0);
            }
        }
        return b.Build();
    }

    [Fact]
    public void PairedDifferencesMatchAHandComputedTInterval()
    {
        // SZP − scratch per seed = −0.05 + wiggle, wiggle = 0.002·(+1, −2, +3, −4, +5): values −0.048, −0.054, −0.044,
        // −0.058, −0.040; mean −0.0488, sample SD 0.0072938, t(0.975, 4) = 2.776445 → half-width 0.0090565.
        var rows = Controls.Compare(Study(szp: -0.05, untrained: 0, permuted: 0, rescaled: 0));
        var szp = rows.Single(r => r.G == 2 && r.Method == Method.Szp);
        Assert.Equal(5, szp.N);
        Assert.Equal(-0.0488, szp.VsScratch, 9);
        double half = 2.7764451051977987 * Math.Sqrt((0.0008 * 0.0008 + 0.0052 * 0.0052 + 0.0048 * 0.0048 + 0.0092 * 0.0092 + 0.0088 * 0.0088) / 4) / Math.Sqrt(5);
        Assert.Equal(-0.0488 - half, szp.VsScratchLo, 9);
        Assert.Equal(-0.0488 + half, szp.VsScratchHi, 9);
        Assert.Equal(5, szp.Wins);
        Assert.True(double.IsNaN(szp.VsSzp)); // SZP is the reference of the second comparison
        Assert.Equal(3.0, szp.StartLoss, 12);
        // Untrained base: ends at scratch (offset 0) → 0 − SZP = +0.05 − 2·wiggle per seed.
        var untrained = rows.Single(r => r.G == 8 && r.Method == Method.SzpUntrainedBase);
        Assert.Equal(new[] { 0.046, 0.058, 0.038, 0.066, 0.030 }.Average(), untrained.VsSzp, 9);
        Assert.Equal(4, rows.Count(r => r.G == 8)); // four arms per g; scratch and the bases are not arms
    }

    [Fact]
    public void SzpBelowEveryControlMeansTheBaseKnowledgeIsTransferred()
    {
        var answers = Controls.Answer(Controls.Compare(Study(szp: -0.06, untrained: 0.0, permuted: -0.01, rescaled: 0.01)));
        Assert.Equal(3, answers.Count);
        Assert.All(answers, a => Assert.Equal(ControlsLabel.Knowledge, a.Label));
        Assert.Contains("At every g studied (2, 8)", Readings.Controls(answers[^1]));
        Assert.Contains("5 of 5 seeds below scratch", Readings.Controls(answers[0]));
    }

    [Fact]
    public void TheGainSplitsExactlyIntoScaleAndTheRestAndBothBelowZeroIsBoth()
    {
        // Of SZP's 0.06: rescaled scratch − scratch = −0.035 (scale) and SZP − rescaled = −0.025 (the rest): they add up.
        var rows = Controls.Compare(Study(szp: -0.06, untrained: 0.0, permuted: -0.02, rescaled: -0.035));
        var szp = rows.Single(r => r.G == 2 && r.Method == Method.Szp);
        var rescaled = rows.Single(r => r.G == 2 && r.Method == Method.ScratchRescaled);
        Assert.Equal(szp.VsScratch, rescaled.VsScratch + -rescaled.VsSzp, 12); // seed by seed the sum is exact, so it is in the means
        var answers = Controls.Answer(rows);
        Assert.All(answers, a => Assert.Equal(ControlsLabel.Both, a.Label));
        Assert.Contains("= scale (rescaled scratch − scratch) ", Readings.Controls(answers[0]));
        Assert.Contains("+ the rest (SZP − rescaled scratch) ", Readings.Controls(answers[0]));
        Assert.Contains("apart, the permuted base: SZP(permuted base) − scratch", Readings.Controls(answers[0])); // a test of its own, not a share
    }

    [Fact]
    public void ALabelThatOneSeedTurnsDoesNotCount()
    {
        // SZP − rescaled scratch per seed: −0.02, +0.002, −0.025, −0.03, −0.028: below 0 over five seeds (95% interval
        // [−0.036, −0.004]), but without seed 0 the interval reaches above 0 (t with 3 degrees of freedom): not robust.
        double[] rest = [-0.02, 0.002, -0.025, -0.03, -0.028];
        var noiseless = Study(szp: -0.06, untrained: 0.0, permuted: 0.0, rescaled: 0.0, armNoise: 0);
        var study = noiseless with
        {
            Runs = noiseless.Runs.Select(r => r.Method == Method.ScratchRescaled
                ? r with { FinalValLoss = noiseless.Runs.Single(z => z.Method == Method.Szp && z.Seed == r.Seed && z.G == r.G).FinalValLoss - rest[(int)r.Seed] }
                : r).ToList(),
        };
        var plain = Controls.Answer(Controls.Compare(study));
        var robust = Controls.Answer(study);
        Assert.Equal(ControlsLabel.Both, plain[0].Label);
        Assert.Equal(ControlsLabel.Inconclusive, robust[0].Label);
        Assert.Contains($"inconclusive — the data read \"{ControlsAnswer.Spelling(ControlsLabel.Both)}\", but one seed turns it (without seed 0: {ControlsAnswer.Spelling(ControlsLabel.Scale)}", Readings.Controls(robust[0]));
        // A clear-cut study keeps its label under every leave-one-out.
        Assert.All(Controls.Answer(Study(szp: -0.06, untrained: 0.0, permuted: -0.01, rescaled: 0.01)), a => Assert.Equal(ControlsLabel.Knowledge, a.Label));
    }

    [Fact]
    public void RescaledScratchAsGoodAsSzpMeansTheStartingScaleExplainsTheGain()
    {
        var answers = Controls.Answer(Controls.Compare(Study(szp: -0.06, untrained: -0.06, permuted: -0.06, rescaled: -0.061)));
        Assert.Equal(ControlsLabel.Scale, answers[^1].Label);
    }

    [Fact]
    public void NoGainAndOneSeedAreSaidAsSuch()
    {
        Assert.Equal(ControlsLabel.NoGain, Controls.Answer(Controls.Compare(Study(szp: 0.0, untrained: 0.0, permuted: 0.0, rescaled: 0.0)))[^1].Label);
        var one = Controls.Answer(Controls.Compare(Study(szp: -0.06, untrained: 0, permuted: 0, rescaled: 0, seeds: 1)));
        Assert.Equal(ControlsLabel.Inconclusive, one[^1].Label);
        Assert.Contains("1 of 1 seeds below scratch", Readings.Controls(one[0]));
    }

    [Fact]
    public void MissingPairsAreCountedAndNeverReadAsNoGain()
    {
        // Scratch finished for one seed only: SZP has one pair with scratch, so no interval — inconclusive, not "no gain".
        var rows = Controls.Compare(Study(szp: -0.06, untrained: 0, permuted: 0, rescaled: 0, scratchSeeds: 1));
        var szp = rows.Single(r => r.G == 2 && r.Method == Method.Szp);
        Assert.Equal(1, szp.N);
        Assert.Equal(1, szp.Wins);
        Assert.Equal(5, rows.Single(r => r.G == 2 && r.Method == Method.SzpPermutedBase).NVsSzp); // the SZP pairs are all there
        Assert.All(Controls.Answer(rows), a => Assert.Equal(ControlsLabel.Inconclusive, a.Label));
        Assert.Contains("1 of 1 seeds below scratch", Warmstart.Reporting.AnalysisMarkdown.Controls(Study(szp: -0.06, untrained: 0, permuted: 0, rescaled: 0, scratchSeeds: 1)));
    }

    [Fact]
    public void TheAnswerShowsSzpMinusEachControlWithItsSignTurned()
    {
        // untrained − SZP = 0.05 − 2·wiggle per seed, so SZP − untrained = −0.05 + 2·wiggle: mean −0.0476.
        var answers = Controls.Answer(Controls.Compare(Study(szp: -0.05, untrained: 0, permuted: 0, rescaled: 0)));
        Assert.Contains($"SZP − SZP(untrained base) {Numbers.Number(-0.0476, 3)} [", Readings.Controls(answers[0]));
        Assert.Contains("(n = 5)", Readings.Controls(answers[0]));
    }

    [Fact]
    public void OnlyStudiesWithControlArmsAreControlsStudies()
    {
        Assert.True(Controls.Applies(Study(-0.05, 0, 0, 0)));
        Assert.False(Controls.Applies(StatisticsTests.IsoFlopSweepForControls()));
    }
}
