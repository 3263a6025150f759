using Warmstart.Data;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Growth;

/// <summary>Growing dense MLPs with the operators the language models use: SZP, function-preserving width growth, stacking.</summary>
public class MlpGrowthTests
{
    public MlpGrowthTests() => TestSupport.Init();

    [Fact]
    public void AnMlpAndALanguageModelGrowThroughTheSameOperator()
    {
        var szp = GrowthOperator.Parse("szp");
        using var mlpBase = new DenseMlp(new MlpConfig { Width = 16 }, seed: 1);
        using var lmBase = new Gpt(TestSupport.Tiny(heads: 2), seed: 1);
        using var mlp = Grower.Grow(mlpBase, new MlpArchitecture(new MlpConfig { Width = 32 }), szp, seed: 2);
        using var lm = Grower.Grow(lmBase, new GptArchitecture(TestSupport.Tiny(heads: 4)), szp, seed: 2);
        Assert.Equal(new MlpConfig { Width = 32 }.ParameterCount(), mlp.ParameterCount());
        Assert.Equal(TestSupport.Tiny(heads: 4).ParameterCount(), lm.ParameterCount());
        // λ·pad(base) + σ·init in both: the leading block of a hidden matrix is 0.4 × base + the fresh draw.
        using var fresh = new DenseMlp(new MlpConfig { Width = 32 }, seed: 2);
        var grownW = mlp.named_parameters().Single(p => p.name == "h.0.weight").parameter;
        var baseW = mlpBase.named_parameters().Single(p => p.name == "h.0.weight").parameter;
        var initW = fresh.named_parameters().Single(p => p.name == "h.0.weight").parameter;
        var expected = initW.clone();
        expected.narrow(0, 0, 16).narrow(1, 0, 16).add_(baseW * 0.4);
        Assert.True((grownW - expected).abs().max().item<float>() < 1e-6);
    }

    [Theory]
    [InlineData("hypercloning", 32)]
    [InlineData("net2net", 27)]
    [InlineData("fp", 40)]
    public void FunctionPreservingMlpGrowthKeepsTheOutputs(string op, int width)
    {
        foreach (var param in new[] { Parameterization.MuP, Parameterization.Standard })
        {
            var config = new MlpConfig { Width = 16, BaseWidth = 16, Param = param };
            using var b = new DenseMlp(config, seed: 1);
            using (no_grad()) foreach (var p in b.parameters()) p.copy_(randn(p.shape, generator: new Generator(5)) * 0.3);
            using var grown = Grower.Grow(b, new MlpArchitecture(config with { Width = width }), GrowthOperator.Parse(op), seed: 3);
            using var x = randn(64, config.InputDim, generator: new Generator(9));
            using var _ = no_grad();
            using var y0 = b.forward(x);
            using var y1 = grown.forward(x);
            double rel = (y1 - y0).abs().max().item<float>() / y0.abs().max().item<float>();
            Assert.True(rel < 1e-5, $"{op} ×{width / 16.0} under {param}: outputs changed by {rel:E2}");
        }
    }

    [Fact]
    public void MlpDepthGrowsByStacking()
    {
        using var b = new DenseMlp(new MlpConfig { Width = 16, Depth = 2 }, seed: 1);
        using var deep = Grower.Grow(b, new MlpArchitecture(new MlpConfig { Width = 16, Depth = 4 }), GrowthOperator.Parse("stack"), seed: 3);
        var bp = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var dp = deep.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (int i in new[] { 0, 1, 2, 3 })
            Assert.True(dp[$"h.{i}.weight"].equal(bp[$"h.{i % 2}.weight"]).all().item<bool>());
    }

    [Fact]
    public void IdentityLayersKeepAnMlpsFunctionAsNet2DeeperNetDoes()
    {
        using var dir = TestSupport.Temp();
        // 20 steps: enough for a readout that is no longer zero, so that keeping the base's outputs is not trivial.
        var config = new RunSpec { Model = new MlpConfig { Width = 16 }, Data = new TeacherConfig(),
            Train = new TrainConfig { BatchSize = 32, Tokens = 32 * 20, Tpp = null, EvalEvery = 50, EvalBatches = 1 } };
        Trainer.Run(config, dir["base"]);
        var deeper = GrowJob.Run(dir["base"], ((MlpConfig)config.Model) with { Depth = 5 }, GrowthOperator.Parse("identity"), 0, dir["g"]);
        Assert.True(deeper.BaseValLoss > 0 && double.IsFinite(deeper.BaseValLoss));
        Assert.Equal(deeper.BaseValLoss, deeper.GrownValLoss, 5); // new layers I·h with zero bias: ReLU(h) = h for h ≥ 0
        using var grown = new DenseMlp(((MlpConfig)config.Model) with { Depth = 5 });
        Checkpoint.LoadWeights(grown, Path.Combine(dir["g"], Checkpoint.ModelFile));
        var p = grown.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.True(p["h.4.weight"].equal(eye(16)).all().item<bool>());
        Assert.Equal(0.0, p["h.4.bias"].abs().max().item<float>());
        var report = GrowJob.Run(dir["base"], ((MlpConfig)config.Model) with { Width = 32 }, GrowthOperator.Parse("hypercloning"), 0, dir["g2"]);
        Assert.Equal(report.BaseValLoss, report.GrownValLoss, 4);
        Assert.IsType<MlpConfig>(GrownCheckpoint.ReadConfig(dir["g2"])); // model.json names its family
    }
}
