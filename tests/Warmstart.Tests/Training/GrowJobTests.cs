using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Tests.Training;

/// <summary>Growth from a trained run folder to a grown checkpoint, then training from it.</summary>
public class GrowJobTests : IClassFixture<GrowJobTests.TrainedBase>
{
    /// <summary>One small base trained once for the whole class.</summary>
    public sealed class TrainedBase : IDisposable
    {
        public TempFolder Dir { get; } = TestSupport.Temp();
        public RunSpec Config { get; }
        public GptConfig Model => (GptConfig)Config.Model;
        public string Run => Dir["base"];

        public TrainedBase()
        {
            TestSupport.Init();
            Config = new RunSpec
            {
                Model = RunPresets.CpuModel(heads: 2) with { ContextLength = 64 },
                Train = new TrainConfig { Lr = 1e-2, BatchSize = 8, Tokens = 8 * 64 * 60, Tpp = null, EvalEvery = 20, EvalBatches = 2 },
            };
            Trainer.Run(Config, Run);
        }

        public void Dispose() => Dir.Dispose();
    }

    readonly TrainedBase trained;
    public GrowJobTests(TrainedBase trained) => this.trained = trained;

    [Theory]
    [InlineData("scratch", 4, 2)]
    [InlineData("zeros", 4, 2)]
    [InlineData("zeros-shrink", 4, 2)]
    [InlineData("zeros-perturb", 4, 2)]
    [InlineData("szp", 3, 2)]
    [InlineData("fp", 3, 2)]
    [InlineData("hypercloning", 4, 2)]
    [InlineData("net2net", 3, 2)]
    [InlineData("stack", 2, 4)]
    [InlineData("interleave", 2, 4)]
    [InlineData("identity", 2, 3)]
    [Outer(OuterReason.Slow)]
    public void EveryOperatorGivesAGrownModelThatTrains(string name, int heads, int layers)
    {
        using var dir = TestSupport.Temp();
        var target = trained.Model with { Heads = heads, Layers = layers };
        var report = GrowJob.Run(trained.Run, target, GrowthOperator.Parse(name), seed: 1, dir["grown"]);
        Assert.Equal(target.ParameterCount(), report.TargetParams);
        Assert.Equal((double)report.TargetParams / report.BaseParams, report.G, 12);
        if (report.FunctionPreserving && name != "net2net" && name != "fp" || name == "identity")
            Assert.Equal(report.BaseValLoss, report.GrownValLoss, 4);

        var warm = trained.Config with
        {
            Model = GrownCheckpoint.ReadConfig(dir["grown"]),
            Init = dir["grown"],
            Train = trained.Config.Train with { Tokens = 8 * 64 * 20, EvalEvery = 10 },
        };
        var summary = Trainer.Run(warm, dir["warm"]);
        Assert.Equal(report.GrownValLoss, summary.InitialValLoss, 4); // training starts from the grown weights
        Assert.True(summary.FinalValLoss < summary.InitialValLoss, $"{name}: {summary.InitialValLoss} → {summary.FinalValLoss}");
        Assert.Equal("../grown", summary.Init); // relative to the run folder, so the pair can move together
    }

    [Fact]
    public void TheGrowthReportNamesBothSizesTheGrowthFactorAndBothLosses()
    {
        using var dir = TestSupport.Temp();
        GrowJob.Run(trained.Run, trained.Model with { Heads = 4 }, GrowthOperator.Parse("szp"), 1, dir["g"]);
        var json = File.ReadAllText(dir["g/report.json"]);
        foreach (var field in new[] { "base_params", "target_params", "\"g\"", "base_val_loss", "grown_val_loss" })
            Assert.Contains(field, json);
        Assert.True(File.Exists(dir["g/model.safetensors"]));
        Assert.Equal(trained.Model with { Heads = 4 }, Files.ReadJson<GptConfig>(dir["g/model.json"]));
    }

    [Theory]
    [InlineData(1, 2, 16, "narrower")]
    [InlineData(2, 1, 16, "shallower")]
    [InlineData(2, 2, 8, "head size")]
    public void IncompatibleTargetsAreRejectedAndNothingIsWritten(int heads, int layers, int headSize, string expected)
    {
        using var dir = TestSupport.Temp();
        var target = trained.Model with { Heads = heads, Layers = layers, HeadSize = headSize };
        var e = Assert.Throws<ArgumentException>(() => GrowJob.Run(trained.Run, target, GrowthOperator.Parse("szp"), 1, dir["g"]));
        Assert.Contains(expected, e.Message);
        Assert.False(Directory.Exists(dir["g"]));
    }

    [Fact]
    public void OtherMismatchesAndBadOperatorsAreRejected()
    {
        using var dir = TestSupport.Temp();
        var model = trained.Model with { Heads = 4 };
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() =>
            GrowJob.Run(trained.Run, model with { VocabSize = 300 }, GrowthOperator.Parse("szp"), 1, dir["g"])).Message);
        Assert.Contains("context", Assert.Throws<ArgumentException>(() =>
            GrowJob.Run(trained.Run, model with { ContextLength = 32 }, GrowthOperator.Parse("szp"), 1, dir["g"])).Message);
        Assert.Contains("unknown growth operator 'lora'", Assert.Throws<ArgumentException>(() => GrowthOperator.Parse("lora")).Message);
        Assert.Contains("λ (shrink) must be in [0, 1], got 1.5", Assert.Throws<ArgumentException>(() => GrowthOperator.Parse("szp", lambda: 1.5)).Message);
        Assert.Contains("σ (perturbation) must be ≥ 0, got -0.1", Assert.Throws<ArgumentException>(() => GrowthOperator.Parse("szp", sigma: -0.1)).Message);
        Assert.Contains("fixed λ", Assert.Throws<ArgumentException>(() => GrowthOperator.Parse("zeros", lambda: 0.5)).Message);
        Assert.Contains("integer width multiple", Assert.Throws<ArgumentException>(() =>
            GrowJob.Run(trained.Run, trained.Model with { Heads = 3 }, GrowthOperator.Parse("hypercloning"), 1, dir["g"])).Message);
        Assert.False(Directory.Exists(dir["g"]));
    }

    [Fact]
    public void ABaseCheckpointThatDoesNotMatchItsConfigIsRejected()
    {
        using var dir = TestSupport.Temp();
        // Copy the base run, then claim a different width in its spec.json.
        var fake = dir["fake"];
        Directory.CreateDirectory(Path.Combine(fake, "checkpoint"));
        foreach (var f in Directory.GetFiles(Path.Combine(trained.Run, "checkpoint")))
            File.Copy(f, Path.Combine(fake, "checkpoint", Path.GetFileName(f)));
        var lie = trained.Config with { Model = trained.Model with { Heads = 3 } };
        Files.WriteJsonAtomic(Path.Combine(fake, "spec.json"), lie);
        var e = Assert.Throws<InvalidDataException>(() =>
            GrowJob.Run(fake, trained.Model with { Heads = 6 }, GrowthOperator.Parse("szp"), 1, dir["g"]));
        Assert.Contains("config needs", e.Message);
        Assert.False(Directory.Exists(dir["g"]));
    }
}
