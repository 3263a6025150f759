using TorchSharp.Modules;
using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Training;

/// <summary>The flat-buffer AdamW against PyTorch's own per-parameter AdamW with µP parameter groups.</summary>
public class OptimizerTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void FlatAdamWMatchesTorchAdamWStepForStep(double weightDecay)
    {
        TestSupport.Init();
        var config = TestSupport.Tiny(heads: 4) with { BaseWidth = 8 }; // m = 4: hidden groups at LR/4
        var train = new TrainConfig { Tokens = 1, Tpp = null, WeightDecay = weightDecay };
        using var flatModel = new Gpt(config, seed: 11);
        using var refModel = new Gpt(config, seed: 11);
        using (no_grad()) // µP's zero readout would hide half the update: start it non-zero in both
        {
            foreach (var m in new[] { flatModel, refModel })
                m.named_parameters().Single(p => p.name == "lm_head.weight").parameter.copy_(full(config.VocabSize, config.Width, 0.01));
        }
        using var flat = new FlatAdamW(flatModel, train);

        // Reference: torch.optim.AdamW, one group per (LR multiplier, decay) as the specs say.
        double lr = 3e-3;
        var groups = refModel.SpecifiedParameters()
            .GroupBy(p => (p.Spec.LrMultiplier, p.Spec.WeightDecay))
            .Select(g => new AdamW.ParamGroup(g.Select(p => (Parameter)p.Parameter),
                new AdamW.Options { LearningRate = lr * g.Key.LrMultiplier, beta1 = 0.9, beta2 = 0.95, eps = 1e-8, weight_decay = g.Key.WeightDecay ? weightDecay : 0 }))
            .ToList();
        var reference = optim.AdamW(groups, lr, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: weightDecay);

        var generator = new Generator(3);
        for (int step = 0; step < 10; step++)
        {
            using var scope = NewDisposeScope();
            var x = randint(0, config.VocabSize, [4, config.ContextLength], generator: generator);
            var y = randint(0, config.VocabSize, [4, config.ContextLength], generator: generator);
            flatModel.Loss(x, y).backward();
            flat.Step(lr);
            flat.ZeroGrad();
            reference.zero_grad();
            refModel.Loss(x, y).backward();
            reference.step();

            var a = flatModel.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (name, p) in refModel.named_parameters())
            {
                double diff = (a[name] - p).abs().max().item<float>();
                double size = Math.Max(p.abs().max().item<float>(), 1e-12);
                Assert.True(diff / size < 1e-6, $"step {step + 1}, {name}: relative difference {diff / size:E2}");
            }
        }
    }

    [Fact]
    public void ParametersAndGradientsAreViewsOfTheFlatBuffers()
    {
        TestSupport.Init();
        using var model = new Gpt(TestSupport.Tiny(), seed: 1);
        using var flat = new FlatAdamW(model, new TrainConfig { Tokens = 1, Tpp = null });
        using (no_grad()) flat.Weights.fill_(0.5f);
        Assert.All(model.parameters(), p => Assert.Equal(0.5f, p.mean().item<float>()));
        using var idx = randint(0, 64, [2, 8]);
        model.Loss(idx, idx).backward();
        Assert.True(flat.Grads.abs().sum().item<float>() > 0);
        flat.ZeroGrad();
        Assert.All(model.parameters(), p => Assert.Equal(0f, p.grad!.abs().sum().item<float>()));
    }

    [Fact]
    public void ClippingCapsTheGlobalNorm()
    {
        TestSupport.Init();
        using var model = new Gpt(TestSupport.Tiny(), seed: 1);
        using var flat = new FlatAdamW(model, new TrainConfig { Tokens = 1, Tpp = null, ClipNorm = 1e-3 });
        using var idx = randint(0, 64, [2, 8]);
        model.Loss(idx, idx).backward();
        using var before = flat.ClipAndNorm();
        Assert.True(before.item<float>() > 1e-3);
        Assert.Equal(1e-3, flat.Grads.norm().item<float>(), 5);
    }
}
