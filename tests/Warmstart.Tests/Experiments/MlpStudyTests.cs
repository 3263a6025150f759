using Warmstart.Analysis;
using Warmstart.Experiments;

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
        Assert.Equal(24, (int)Speedup.Compute(results).Rows.Count); // 3 targets × 2 budgets × 2 growth factors × (SZP, fp)
        var fits = ScalingLaw.FitByMethod(results);
        // Three target sizes and two budgets identify the laws (with two sizes any exponent fits, so a law is refused).
        var reasons = Frames.Strings(fits, "reason");
        Assert.Equal("", reasons[Array.IndexOf(Frames.Strings(fits, "method"), "scratch")]);
        Assert.All(reasons, r => Assert.True(r == "" || r.Contains("distinct values of each"), r));
    }
}
