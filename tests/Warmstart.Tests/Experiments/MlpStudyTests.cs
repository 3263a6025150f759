using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Notebooks;
using Warmstart.Training;

namespace Warmstart.Tests.Experiments;

/// <summary>
/// The dense-MLP study end to end at the smoke scale (a whole sweep: outside the unit tier), trained the way a notebook
/// regenerates it — into runs/mlp-smoke, the folder notebooks 05 and 07 regenerate into, so their file-based apps in
/// this test run find it trained and reported instead of training it again.
/// </summary>
[Outer(OuterReason.Slow)]
public class MlpStudyTests
{
    public MlpStudyTests() => TestSupport.Init();

    [Fact]
    public void MlpSmokeSweepRunsEndToEnd()
    {
        var results = Workbook.Results("mlp", "smoke", regenerate: true);
        Assert.DoesNotContain(results.Runs, r => !r.IsFinished);
        Assert.True(File.Exists(Path.Combine(Workbook.RegeneratedResults("mlp-smoke"), "analysis", "scaling_fits.csv")));
        Assert.Equal(24, Speedup.Compute(results).Count); // 3 targets × 2 budgets × 2 growth factors × (SZP, fp)
        var fits = ScalingLaw.FitByMethod(results);
        // Three target sizes and two budgets identify the laws (with two sizes any exponent fits, so a law is refused).
        Assert.Equal("", fits.Single(f => f.Method == Method.Scratch).Reason);
        Assert.All(fits, f => Assert.True(f.Reason == "" || f.Reason.Contains("distinct values of each"), f.Reason));
    }
}
