using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Model;

/// <summary>
/// The fused small-head kernel against libtorch's SDPA path of the same module: forward and every gradient within
/// 1e-5 relative on shapes that exercise the kernel's edges, and bit-identical results run to run.
/// </summary>
public class FusedAttentionTests
{
    public FusedAttentionTests() => TestSupport.Init();

    const double Tolerance = 1e-5;

    public static TheoryData<int, int, int, int, Parameterization, PositionKind> Shapes() => new()
    {
        // head size, heads, T, batch, parameterisation, positions
        { 8, 8, 128, 2, Parameterization.MuP, PositionKind.Rotary },   // the quick studies' shape
        { 4, 3, 13, 1, Parameterization.MuP, PositionKind.Rotary },    // smallest head, odd T, batch 1
        { 8, 2, 1, 3, Parameterization.MuP, PositionKind.Rotary },     // T = 1: each query sees only itself
        { 12, 2, 33, 2, Parameterization.Standard, PositionKind.Rotary }, // head size not a whole vector; T past a 32-key block
        { 16, 4, 40, 1, Parameterization.MuP, PositionKind.Learned },  // no rotary
        { 32, 2, 7, 2, Parameterization.Standard, PositionKind.Learned },
        { 64, 2, 64, 1, Parameterization.MuP, PositionKind.Rotary },   // the paper's head size
    };

    [Theory, MemberData(nameof(Shapes))]
    public void ForwardAndGradientsMatchSdpa(int headSize, int heads, int time, int batch, Parameterization param, PositionKind positions)
    {
        var config = new GptConfig
        {
            VocabSize = 64, ContextLength = Math.Max(time, 16), Layers = 1, Heads = heads, HeadSize = headSize,
            BaseWidth = 16, Param = param, Positions = positions, RotaryFraction = 0.5,
        };
        var (ySdpa, gradsSdpa) = ForwardBackward(config, batch, time);
        var (yFused, gradsFused) = ForwardBackward(config with { Attention = AttentionKernel.Fused }, batch, time);

        AssertClose(ySdpa, yFused, "output");
        Assert.Equal(gradsSdpa.Keys.Order(), gradsFused.Keys.Order());
        foreach (var (name, expected) in gradsSdpa) AssertClose(expected, gradsFused[name], $"gradient of {name}");
    }

    [Fact]
    public void TwoRunsAtOneThreadCountAreBitIdentical()
    {
        var config = new GptConfig
        {
            VocabSize = 64, ContextLength = 64, Layers = 1, Heads = 8, HeadSize = 8, BaseWidth = 16,
            Attention = AttentionKernel.Fused,
        };
        var (y1, g1) = ForwardBackward(config, batch: 3, time: 61);
        var (y2, g2) = ForwardBackward(config, batch: 3, time: 61);
        Assert.Equal(y1, y2);
        foreach (var (name, grad) in g1) Assert.True(grad.SequenceEqual(g2[name]), $"gradient of {name} differs between two runs");
    }

    [Fact]
    public void TheKernelGivesTheSameBitsOnOneThreadAndOnTwo()
    {
        // Each (batch, head) is computed start to end by one thread, so the thread count cannot change a result.
        var (cos, sin) = Rotary.Angles(8, 4, 32);
        var geometry = new AttentionGeometry(Heads: 4, HeadSize: 8, ScoreScale: 0.125f, RotaryDims: 4, cos, sin);
        var generator = new Generator(3);
        using var qkv = normal(0, 1, [3, 29, 96], generator: generator);
        using var upstream = normal(0, 1, [3, 29, 32], generator: generator);
        float[] Run(int threads)
        {
            int before = get_num_threads();
            set_num_threads(threads);
            try
            {
                using var x = qkv.clone().requires_grad_();
                using var y = FusedAttention.Apply(x, geometry);
                y.backward([upstream]);
                return [.. y.detach().data<float>().ToArray(), .. x.grad!.data<float>().ToArray()];
            }
            finally { set_num_threads(before); }
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Fact]
    public void AWholeModelTrainsTheSameOnEitherPath()
    {
        // One optimizer step of a small GPT: the losses before and after agree to float rounding.
        var config = TestSupport.Tiny(heads: 4, layers: 2) with { ContextLength = 32, InitScheme = InitScheme.Litgpt };
        double[] Losses(GptConfig c)
        {
            using var model = new Gpt(c, seed: 5);
            using var optimizer = new FlatAdamW(model, new TrainConfig { BatchSize = 4, Tokens = 1, Tpp = null, Lr = 1e-2 });
            var generator = new Generator(11);
            using var idx = randint(0, 64, [4, 32], generator: generator);
            using var targets = randint(0, 64, [4, 32], generator: generator);
            using var before = model.Loss(idx, targets);
            before.backward();
            optimizer.Step(1e-2);
            optimizer.ZeroGrad();
            using var after = model.Loss(idx, targets);
            return [before.item<float>(), after.item<float>()];
        }
        var sdpa = Losses(config);
        var fused = Losses(config with { Attention = AttentionKernel.Fused });
        Assert.True(sdpa[1] < sdpa[0], "the step should lower the loss");
        for (int i = 0; i < 2; i++) Assert.InRange(fused[i], sdpa[i] - 1e-5 * sdpa[i], sdpa[i] + 1e-5 * sdpa[i]);
    }

    [Fact]
    public void ApplyRefusesInputItCannotCompute()
    {
        var geometry = new AttentionGeometry(2, 8, 0.125f, 0, [], []);
        using var wrongWidth = zeros(1, 4, 40);
        Assert.Contains("(B, T, 3·16)", Assert.Throws<ArgumentException>(() => FusedAttention.Apply(wrongWidth, geometry)).Message);
        using var doubles = zeros([1, 4, 48], dtype: ScalarType.Float64);
        Assert.Contains("fp32 CPU", Assert.Throws<ArgumentException>(() => FusedAttention.Apply(doubles, geometry)).Message);
    }

    /// <summary>One attention module (fixed random weights), forward on a random input, backward of a random upstream gradient.</summary>
    static (float[] Output, Dictionary<string, float[]> Gradients) ForwardBackward(GptConfig config, int batch, int time)
    {
        using var scope = NewDisposeScope();
        using var attention = new CausalSelfAttention("attn", config);
        var generator = new Generator(7);
        using (no_grad())
            foreach (var p in attention.parameters()) p.copy_(normal(0, 0.3, p.shape, generator: generator));
        var x = normal(0, 1, [batch, time, config.Width], generator: generator).requires_grad_();
        var upstream = normal(0, 1, [batch, time, config.Width], generator: generator);
        var y = attention.forward(x);
        y.backward([upstream]);
        var grads = attention.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        grads["input"] = x.grad!.data<float>().ToArray();
        return (y.detach().data<float>().ToArray(), grads);
    }

    /// <summary>max |a − b| within <see cref="Tolerance"/> of max |expected|: relative to the tensor's scale.</summary>
    static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs((double)v)), worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs((double)expected[i] - actual[i]));
        Assert.True(worst <= Tolerance * scale, $"{what}: max |Δ| = {worst:G3} exceeds {Tolerance:G2} × max |expected| = {Tolerance * scale:G3}");
    }
}
