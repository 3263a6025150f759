using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Training;

public class TrainerTests
{
    public TrainerTests() => TestSupport.Init();

    /// <summary>A run of a few hundred thousand tokens: seconds on 2 cores.</summary>
    static RunSpec Small(long tokens = 40_960, int checkpointEvery = 0) => new()
    {
        Model = RunPresets.CpuModel(heads: 2) with { ContextLength = 64 },
        Train = new TrainConfig
        {
            Lr = 1e-2, BatchSize = 8, Tokens = tokens, Tpp = null, EvalEvery = 10, EvalBatches = 2,
            CheckpointEvery = checkpointEvery, Threads = 2,
        },
    };

    [Fact]
    [Outer(OuterReason.Slow)]
    public void SmokePresetLossFallsFarBelowUniform()
    {
        using var dir = TestSupport.Temp();
        var config = RunPresets.Get("smoke");
        var summary = Trainer.Run(config with { Train = config.Train with { Tokens = 300_000 } }, dir["run"]);
        Assert.False(summary.Diverged);
        Assert.Equal(Math.Log(256), summary.InitialValLoss, 3); // µP's zero readout: exactly uniform at step 0
        Assert.True(summary.FinalValLoss < 3.0, $"val loss only fell to {summary.FinalValLoss}");
        var curve = CurvePoint.ReadAll(dir["run/curve.csv"]);
        Assert.Equal(summary.Steps, curve[^1].Step);
        Assert.True(curve[^1].TrainLoss < curve[1].TrainLoss - 1.5);
        foreach (var f in new[] { "spec.json", "curve.csv", "summary.json", "checkpoint/model.safetensors", "checkpoint/optimizer.safetensors", "checkpoint/state.json" })
            Assert.True(File.Exists(dir[Path.Combine("run", f)]), f);
    }

    [Fact]
    public void BudgetInTokensPerParameterSetsTheSteps()
    {
        using var dir = TestSupport.Temp();
        var config = Small() with { Train = Small().Train with { Tokens = null, Tpp = 0.5 } };
        var summary = Trainer.Run(config, dir["run"]);
        long n = config.Model!.ParameterCount();
        long perStep = 8L * 64;
        Assert.Equal(n, summary.Params);
        Assert.Equal((long)Math.Round(0.5 * n), summary.BudgetTokens);
        Assert.Equal((summary.BudgetTokens + perStep - 1) / perStep, summary.Steps);
        Assert.Equal(6.0 * n * summary.Tokens, summary.Flops, 6);
    }

    [Fact]
    public void TheFinalLossReadsMoreBatchesThanTheCurveAndTheSelectionLossReadsOthers()
    {
        using var dir = TestSupport.Temp();
        var spec = Small(tokens: 8 * 64 * 20) with { Train = Small().Train with { Tokens = 8 * 64 * 20, FinalEvalBatches = 6, SelectionBatches = 3 } };
        var summary = Trainer.Run(spec, dir["run"]);
        var curve = CurvePoint.ReadAll(dir["run/curve.csv"]);

        // Re-score the trained weights by hand: batches 0..5 give the final loss, their first 2 the curve's last
        // point, and 3 batches from the selection offset the selection loss.
        using var data = spec.OpenData();
        using var model = spec.Architecture().CreateModel(spec.Train.Seed);
        Checkpoint.LoadWeights(model, dir["run/checkpoint/" + Checkpoint.ModelFile]);
        var six = Trainer.EvaluateBatches(model, data, 6, CPU);
        var (mean, se) = Trainer.MeanAndSe(six);
        Assert.Equal(mean, summary.FinalValLoss, 12);
        Assert.Equal(se, summary.FinalValLossSe, 12);
        Assert.Equal(six.Take(2).Average(), curve[^1].ValLoss, 12);
        Assert.NotEqual(summary.FinalValLoss, curve[^1].ValLoss);
        var selection = Trainer.EvaluateBatches(model, data, 3, CPU, TrainConfig.SelectionBatchOffset);
        Assert.Equal(selection.Average(), summary.SelectionValLoss, 12);
        Assert.DoesNotContain(selection, six.Contains); // drawn apart: no batch of the selection is a batch of the final loss
    }

    [Fact]
    public void AFinalEvaluationSmallerThanTheCurvesIsRefused() =>
        Assert.Contains("final eval batches must be ≥ the eval batches (2)", Assert.Throws<ArgumentException>(() =>
            (Small().Train with { FinalEvalBatches = 1 }).Validate()).Message);

    [Fact]
    public void ResumedRunEqualsTheUninterruptedRunExactly()
    {
        using var dir = TestSupport.Temp();
        var config = Small(tokens: 8 * 64 * 30, checkpointEvery: 10);
        var straight = Trainer.Run(config, dir["straight"]);

        // Interrupt after step 17 (a "kill" between checkpoints 10 and 20), then resume.
        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress(p => { if (p.Step == 17) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() =>
            Trainer.Run(config, dir["resumed"], new TrainOptions { Progress = progress, Cancel = cancel.Token }));
        Assert.False(File.Exists(dir["resumed/summary.json"]));
        var resumed = Trainer.Run(config, dir["resumed"], new TrainOptions { Resume = true });

        Assert.Equal(straight.FinalValLoss, resumed.FinalValLoss);
        Assert.Equal(straight.FinalTrainLoss, resumed.FinalTrainLoss);
        var a = CurvePoint.ReadAll(dir["straight/curve.csv"]);
        var b = CurvePoint.ReadAll(dir["resumed/curve.csv"]);
        Assert.Equal(a.Select(p => (p.Step, p.Tokens, p.TrainLoss, p.ValLoss, p.GradNorm, p.Lr)),
                     b.Select(p => (p.Step, p.Tokens, p.TrainLoss, p.ValLoss, p.GradNorm, p.Lr)));
    }

    [Fact]
    [Outer(OuterReason.Slow)]
    public void LiveTensorCountStaysConstantOverAThousandSteps()
    {
        var config = RunPresets.CpuModel(heads: 1, layers: 1) with { ContextLength = 16 };
        using var model = new Gpt(config, seed: 0);
        var train = new TrainConfig { Tokens = 1, Tpp = null };
        using var optimizer = new FlatAdamW(model, train);
        var data = new Warmstart.Data.Batches(new Warmstart.Data.InMemoryTokens(Enumerable.Range(0, 4096).Select(i => i % 256).ToArray()), 2, 16, 0);
        using var lossSum = zeros(1);
        long LiveAfter(int steps, int start)
        {
            for (int s = start; s < start + steps; s++)
            {
                using var scope = NewDisposeScope();
                var (x, y) = data.Get(s);
                var loss = model.Loss(x, y);
                loss.backward();
                lossSum.add_(loss.detach());
                optimizer.ClipAndNorm();
                optimizer.Step(1e-3);
                optimizer.ZeroGrad();
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        }
        long afterWarmup = LiveAfter(10, 0);
        long afterThousand = LiveAfter(1000, 10);
        Assert.Equal(afterWarmup, afterThousand);
    }

    [Fact]
    public void DivergenceStopsTheRunAndIsRecorded()
    {
        using var dir = TestSupport.Temp();
        var config = Small(tokens: 8 * 64 * 40) with { Train = Small().Train with { Tokens = 8 * 64 * 40, Lr = 1e4, Schedule = Schedule.Constant, WarmupFraction = 0 } };
        var summary = Trainer.Run(config, dir["run"]);
        Assert.True(summary.Diverged);
        Assert.NotNull(summary.DivergedStep);
        Assert.True(summary.Steps < 40);
        Assert.Contains("\"diverged\": true", File.ReadAllText(dir["run/summary.json"]));
    }

    [Fact]
    [Outer(OuterReason.Slow)]
    public void Bf16TrainingKeepsFp32MastersAndMatchesFp32Closely()
    {
        using var dir = TestSupport.Temp();
        var fp32 = Trainer.Run(Small(tokens: 8 * 64 * 40), dir["fp32"]);
        var config = Small(tokens: 8 * 64 * 40) with { Train = Small(tokens: 8 * 64 * 40).Train with { Bf16 = true } };
        var bf16 = Trainer.Run(config, dir["bf16"]);
        Assert.True(bf16.FinalValLoss < bf16.InitialValLoss - 1);
        Assert.InRange(bf16.FinalValLoss - fp32.FinalValLoss, -0.1, 0.1);
        // The checkpoint holds the fp32 masters, loadable into an fp32 model.
        using var model = new Gpt((GptConfig)config.Model);
        Checkpoint.LoadWeights(model, dir["bf16/checkpoint/model.safetensors"]);
        Assert.All(model.parameters(), p => Assert.Equal(TorchSharp.torch.ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void TensorBoardScalarsAreWrittenOnRequest()
    {
        using var dir = TestSupport.Temp();
        var config = Small(tokens: 8 * 64 * 10) with { Train = Small(tokens: 8 * 64 * 10).Train with { TensorBoard = true } };
        Trainer.Run(config, dir["run"]);
        var events = Directory.GetFiles(dir["run/tensorboard"], "events.out.tfevents.*");
        Assert.Single(events);
        Assert.True(new FileInfo(events[0]).Length > 100);
        Trainer.Run(Small(tokens: 8 * 64 * 10), dir["plain"]);
        Assert.False(Directory.Exists(dir["plain/tensorboard"]));
    }

    sealed class InlineProgress(Action<TrainProgress> report) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value) => report(value);
    }

    /// <summary>A tiny litgpt-initialised run; untrained: the control's zero-step base.</summary>
    static RunSpec TinyRun(bool untrained = false) => new()
    {
        Model = RunPresets.CpuModel(heads: 2) with { ContextLength = 32, HeadSize = 8, RotaryFraction = 0.5, InitScheme = InitScheme.Litgpt },
        Train = new TrainConfig { Lr = 1e-2, BatchSize = 4, Tokens = 4 * 32 * 6, Tpp = null, EvalEvery = 3, EvalBatches = 4, Seed = 2, Threads = 2 },
        Untrained = untrained,
    };

    [Fact]
    public void AnUntrainedRunTakesNoStepAndItsCheckpointIsTheModelsOwnInit()
    {
        using var dir = TestSupport.Temp();
        var spec = TinyRun(untrained: true);
        Assert.Equal(Method.Untrained, spec.Method);
        Assert.NotEqual(TinyRun().Id, spec.Id);
        Assert.Contains("\"untrained\": true", spec.IdentityJson());
        Assert.DoesNotContain("untrained", TinyRun().IdentityJson());
        var summary = Trainer.Run(spec, dir["run"]);
        Assert.Equal(0, summary.Steps);
        Assert.Equal(0, summary.Tokens);
        Assert.False(summary.Diverged);
        Assert.Equal(summary.InitialValLoss, summary.FinalValLoss);
        var curve = CurvePoint.ReadStrict(dir["run/curve.csv"]);
        Assert.Single(curve);
        Assert.False(double.IsNaN(curve[0].ValLossSe));
        using var loaded = spec.Architecture().CreateModel(seed: 99);
        Checkpoint.LoadWeights(loaded, Path.Combine(dir["run"], Trainer.CheckpointFolder, Checkpoint.ModelFile));
        using var init = spec.Architecture().CreateModel(spec.Train.Seed);
        var (l, i) = (TestSupport.Parameters(loaded), TestSupport.Parameters(init));
        foreach (var name in l.Keys) Assert.True(l[name].equal(i[name]).all().item<bool>(), $"{name} is not the base's init");
        Assert.Equal(summary.Steps, Trainer.Run(spec, dir["run"]).Steps); // finished: a no-op

        var warm = TinyRun() with { Model = ((GptConfig)TinyRun().Model) with { Heads = 4 }, Operator = GrowthOperator.Parse("szp"), Base = spec };
        Assert.Equal(Method.SzpUntrainedBase, warm.Method);
        Assert.Throws<ArgumentException>(() => (warm with { Untrained = true }).Validate());
    }

    [Fact]
    public void CurvesCarryTheValidationSeAndOldEightFieldCurvesStillRead()
    {
        using var dir = TestSupport.Temp();
        File.WriteAllText(dir["old.csv"], CurvePoint.HeaderV1 + "\n0,0,0,0,,2.5,,0.1\n10,100,600,0.01,2.4,2.3,0.5,1.2\n");
        var old = CurvePoint.ReadStrict(dir["old.csv"]);
        Assert.Equal(2, old.Count);
        Assert.True(double.IsNaN(old[1].ValLossSe));
        Assert.Equal(2, CurvePoint.ReadAll(dir["old.csv"]).Count);
        var point = new CurvePoint(5, 50, 300, 0.01, 2.0, 1.9, 0.4, 1.0, 0.012);
        Assert.Equal(point, CurvePoint.Parse(point.ToCsv()));
        Assert.StartsWith(CurvePoint.HeaderV1 + ",val_loss_se", CurvePoint.Header);
        var (mean, se) = Trainer.MeanAndSe([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3 / 4), se, 12);
        Assert.True(double.IsNaN(Trainer.MeanAndSe([1.0]).Se));
    }
}
