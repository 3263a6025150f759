using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Tests.Experiments;

/// <summary>The dense-MLP study end to end at the smoke scale (a whole sweep: outside the unit tier).</summary>
[Outer(OuterReason.Slow)]
public class MlpStudyTests
{
    public MlpStudyTests() => TestSupport.Init();

    [Fact]
    public void MlpSmokeSweepRunsEndToEnd()
    {
        using var dir = TestSupport.Temp();
        var outcome = SweepRunner.Run(SweepPresets.Get("mlp-smoke"), dir.Path);
        Assert.Equal(0, outcome.Failed);
        var results = new ResultStore(dir.Path).Load();
        Assert.Equal(24, Speedup.Compute(results).Count); // 3 targets × 2 budgets × 2 growth factors × (SZP, fp)
        var fits = ScalingLaw.FitByMethod(results);
        // Three target sizes and two budgets identify the laws (with two sizes any exponent fits, so a law is refused).
        Assert.Equal("", fits.Single(f => f.Method == Method.Scratch).Reason);
        Assert.All(fits, f => Assert.True(f.Reason == "" || f.Reason.Contains("distinct values of each"), f.Reason));
    }
}
