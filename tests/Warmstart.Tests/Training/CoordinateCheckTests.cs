using Warmstart.Data;
using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Training;

/// <summary>
/// microsoft/mup's coordinate check: train a few Adam steps at one LR across widths and watch the output scale.
/// Under µP it stays put as width grows 16×; under SP it grows with width (the reason SP's best LR shifts).
/// </summary>
public class CoordinateCheckTests
{
    static double LogitScaleAfterSteps(Parameterization param, int heads, int steps = 4, InitScheme init = InitScheme.Gpt2)
    {
        TestSupport.Init();
        var config = new GptConfig { VocabSize = 256, ContextLength = 32, Layers = 2, Heads = heads, HeadSize = 8, BaseWidth = 16, Param = param, InitScheme = init };
        using var model = new Gpt(config, seed: 1);
        using var optimizer = new FlatAdamW(model, new TrainConfig { Tokens = 1, Tpp = null });
        var data = new Batches(new InMemoryTokens(Enumerable.Range(0, 5000).Select(i => (i * 7 + i / 13) % 256).ToArray()), 8, 32, 0);
        double scale = 0;
        for (int s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = data.Get(s);
            model.Loss(x, y).backward();
            optimizer.Step(1e-2);
            optimizer.ZeroGrad();
            using (no_grad()) scale = model.forward(x).abs().mean().item<float>();
        }
        return scale;
    }

    [Fact]
    public void UnderMuPTheOutputScaleDoesNotGrowWithWidth()
    {
        double narrow = LogitScaleAfterSteps(Parameterization.MuP, heads: 2);  // d = 16
        double wide = LogitScaleAfterSteps(Parameterization.MuP, heads: 32);   // d = 256
        Assert.True(wide / narrow < 1.5, $"µP: mean |logit| went from {narrow:F3} (d=16) to {wide:F3} (d=256)");
    }

    [Fact]
    public void UnderMuPWithTheLitgptInitTheOutputScaleDoesNotGrowWithWidth()
    {
        double narrow = LogitScaleAfterSteps(Parameterization.MuP, heads: 2, init: InitScheme.Litgpt);
        double wide = LogitScaleAfterSteps(Parameterization.MuP, heads: 32, init: InitScheme.Litgpt);
        Assert.True(wide / narrow < 1.5, $"µP (litgpt init): mean |logit| went from {narrow:F3} (d=16) to {wide:F3} (d=256)");
    }

    [Fact]
    public void UnderStandardParameterisationTheOutputScaleGrowsWithWidth()
    {
        double narrow = LogitScaleAfterSteps(Parameterization.Standard, heads: 2);
        double wide = LogitScaleAfterSteps(Parameterization.Standard, heads: 32);
        Assert.True(wide / narrow > 3, $"SP: mean |logit| went from {narrow:F3} (d=16) to {wide:F3} (d=256)");
    }
}
