using Warmstart.Experiments;
using Warmstart.Model;
using Warmstart.Reporting;
using Warmstart.Runtime;
using Warmstart.Tests.Cli;
using Warmstart.Training;

namespace Warmstart.Tests.Faults;

/// <summary>
/// Restarting and resuming: every preset checkpoints periodically, a run killed before its first checkpoint restarts
/// to the same result, a finished run is not trained again, options that a grown model fixes are refused with --init,
/// and a diverged run says so on resume and in the report — so that an interrupted campaign can always be re-run.
/// </summary>
public class ResumeTests
{
    public ResumeTests() => TestSupport.Init();

    static RunSpec Mlp(double lr = 1e-2) => RunPresets.Get("mlp") with
    {
        Model = new MlpConfig { Width = 16, Depth = 1 },
        Train = RunPresets.Get("mlp").Train with { Lr = lr, BatchSize = 64, Tokens = 64 * 40, Tpp = null, EvalEvery = 10, EvalBatches = 1 },
    };

    [Fact]
    public void EveryPresetCheckpointsPeriodically()
    {
        foreach (var name in RunPresets.Names)
            Assert.True(RunPresets.Get(name).Train.CheckpointInterval(1000) is > 0 and <= 250, name);
        foreach (var name in SweepPresets.Names.Where(n => !n.EndsWith("paper")))
            foreach (var spec in SweepPresets.Get(name).Ordered())
                Assert.True(spec.Train.CheckpointInterval(1000) is > 0 and <= 250, $"{name}: {spec.Id}");
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void ARunKilledBeforeItsFirstCheckpointRestartsToTheSameResult()
    {
        using var dir = TestSupport.Temp();
        var spec = Mlp();
        var straight = Trainer.Run(spec, dir["straight"]);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainProgress>(p => { if (p.Step == 2) cancel.Cancel(); }); // before the first checkpoint (every 4 steps)
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(spec, dir["killed"], new TrainOptions { Progress = progress, Cancel = cancel.Token }));
        Assert.False(Directory.Exists(dir["killed/checkpoint"]));
        var again = Trainer.Run(spec, dir["killed"]);                  // the same call, no --resume: starts again
        Assert.Equal(straight.FinalValLoss, again.FinalValLoss);        // bit for bit
        var cli = CliRunner.Run("train", "--preset", "mlp", "--tokens", "2560", "--out", dir["cli"]);
        Assert.Equal(0, cli.ExitCode);
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void ResumingAFinishedRunRewritesNothing()
    {
        using var dir = TestSupport.Temp();
        var spec = Mlp();
        var first = Trainer.Run(spec, dir["run"]);
        var before = Refusal.Listing(dir["run"]);
        var again = Trainer.Run(spec, dir["run"], new TrainOptions { Resume = true });
        Assert.Equal(first, again);
        Assert.Equal(before, Refusal.Listing(dir["run"]));
        var cli = CliRunner.Run("train", "--preset", "mlp", "--tokens", "2560", "--out", dir["c"]);
        var resumed = CliRunner.Run("train", "--preset", "mlp", "--tokens", "2560", "--out", dir["c"], "--resume");
        Assert.Equal((0, 0), (cli.ExitCode, resumed.ExitCode));
        Assert.Contains("this run finished earlier", resumed.Output);
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void OptionsThatTheGrownModelFixesAreAnErrorWithInit()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal(0, CliRunner.Run("train", "--preset", "mlp", "--tokens", "2560", "--out", dir["base"]).ExitCode);
        Assert.Equal(0, CliRunner.Run("grow", "--base", dir["base"], "--operator", "szp", "--target-width", "96", "--out", dir["grown"]).ExitCode);
        var line = Refusal.Check(dir, "train", "--preset", "mlp", "--init", dir["grown"], "--layers", "5", "--out", dir["warm"]);
        Assert.Equal($"error: --layers cannot be combined with --init: the grown checkpoint '{dir["grown"]}' fixes the model", line);
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void ADivergedRunSaysSoOnResumeAndInTheReport()
    {
        using var dir = TestSupport.Temp();
        var diverged = CliRunner.Run("train", "--preset", "smoke", "--tokens", "40000", "--eval-batches", "1", "--lr", "1000", "--out", dir["d"]);
        Assert.True(diverged.ExitCode == 3, diverged.Output);
        var resumed = CliRunner.Run("train", "--preset", "smoke", "--tokens", "40000", "--eval-batches", "1", "--lr", "1000", "--out", dir["d"], "--resume");
        Assert.Equal(3, resumed.ExitCode);
        Assert.Contains("this run diverged earlier at step", resumed.Output);
        Assert.DoesNotContain("stopped before its first", resumed.Output);

        // In a sweep, the report names the diverged run beside the speedup table.
        var sweep = SweepPresets.Get("smoke");
        var scratch = sweep.Ordered().First(s => !s.IsWarm);
        var bad = scratch with { Train = scratch.Train with { Lr = 1e3 } };
        SweepRunner.Run(sweep with { Runs = [bad] }, dir["sweep"]);
        var notes = Report.Write(dir["sweep"], charts: false).Notes;
        Assert.Contains(notes, n => n.StartsWith($"run {bad.Id}: diverged (") && n.EndsWith("left out of the speedup and iso-FLOP analyses"));
    }
}
