using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Notebooks;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Experiments;

/// <summary>
/// The dense-MLP study end to end at the smoke scale (a whole sweep: outside the unit tier), trained the way a notebook
/// regenerates it — into runs/mlp-smoke, the folder notebooks 05 and 07 regenerate into, so their file-based apps in
/// this test run find it trained and reported instead of training it again. Like theirs, it reuses runs that an earlier
/// sweep there finished (a run's id names its spec, not the code that trained it): from a clean clone, as in CI, it
/// trains every run.
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
        // The notebooks read the report's fits when it is current: the same laws as fitted here.
        Assert.True(Report.IsCurrent(Workbook.RegeneratedResults("mlp-smoke")));
        var read = Workbook.ScalingFits("mlp", "smoke", regenerate: true, results);
        Assert.Equal(fits.Select(f => (f.Method, f.A, f.Alpha, f.B, f.Beta, f.E, f.Reason)), read.Select(f => (f.Method, f.A, f.Alpha, f.B, f.Beta, f.E, f.Reason)));
        // Three target sizes and two budgets identify the laws (with two sizes any exponent fits, so a law is refused).
        Assert.Equal("", fits.Single(f => f.Method == Method.Scratch).Reason);
        Assert.All(fits, f => Assert.True(f.Reason == "" || f.Reason.Contains("distinct values of each"), f.Reason));
    }
}
