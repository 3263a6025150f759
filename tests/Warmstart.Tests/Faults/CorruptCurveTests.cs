using Warmstart.Analysis;
using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Model;
using Warmstart.Tests.Cli;
using Warmstart.Training;

namespace Warmstart.Tests.Faults;

/// <summary>
/// A corrupt curve.csv marks its run invalid and the report names it: dropping it silently would change the analyses
/// without anyone knowing a run was missing.
/// </summary>
[Outer(OuterReason.Process)]
public class CorruptCurveTests
{
    public CorruptCurveTests() => TestSupport.Init();

    static RunSpec Mlp(long seed) => new()
    {
        Model = new MlpConfig { Width = 16, Depth = 1 }, Data = new TeacherConfig(),
        Train = new TrainConfig { Lr = 1e-2, BatchSize = 64, Tokens = 64 * 20, Tpp = null, EvalEvery = 5, EvalBatches = 1, Seed = seed },
    };

    [Fact]
    public void AnUnreadableCurveRowMarksTheRunInvalidAndTheReportNamesIt()
    {
        using var dir = TestSupport.Temp();
        var sweep = new Sweep("faults", [Mlp(0), Mlp(1)], "two tiny MLP runs");
        Assert.Equal(0, SweepRunner.Run(sweep, dir.Path).Failed);
        var bad = sweep.Ordered()[1].Id;
        var curve = Path.Combine(dir.Path, "runs", bad, Trainer.CurveFile);
        var lines = File.ReadAllLines(curve);
        lines[3] = "3,192,x9,0.01,2.3,,0.5,0.1,"; // a flipped byte: still 9 fields, one of them not a number
        File.WriteAllLines(curve, lines);

        var store = new ResultStore(dir.Path);
        var rows = store.Load().Runs;
        Assert.Equal(2, rows.Count);                                                  // kept, not dropped …
        Assert.Equal(RunStatus.Invalid, rows.Single(r => r.RunId == bad).Status);     // … and marked
        Assert.Equal(RunStatus.Finished, rows.Single(r => r.RunId != bad).Status);
        Assert.Equal("curve.csv line 4 is not a row of 9 numbers: '3,192,x9,0.01,2.3,,0.5,0.1,'", store.Problems[bad]);

        var result = CliRunner.Run("report", "--results", dir.Path, "--no-charts");
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"note: run {bad}: invalid, left out of the analyses: curve.csv line 4 is not a row of 9 numbers", result.Output);
        Assert.Contains($"run {bad}: invalid", File.ReadAllText(Path.Combine(dir.Path, "analysis", "notes.txt")));
        Assert.Contains("invalid", File.ReadAllText(Path.Combine(dir.Path, "runs.csv")));
    }
}
