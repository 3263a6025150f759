using TorchSharp;
using Warmstart.Experiments;
using Warmstart.Model;
using static TorchSharp.torch;

namespace Warmstart.Tests.Model;

public class ModelTests
{
    public ModelTests() => TestSupport.Init();

    public static TheoryData<GptConfig> Variants() => new()
    {
        TestSupport.Tiny(),
        TestSupport.Tiny() with { Norm = NormKind.RmsNorm, Bias = false },
        TestSupport.Tiny() with { Positions = PositionKind.Learned, ParallelResidual = false },
        TestSupport.Tiny() with { Mlp = MlpKind.SwiGlu, Norm = NormKind.RmsNorm },
        TestSupport.Tiny(heads: 3, layers: 1) with { TiedHead = true, Param = Parameterization.Standard },
        TestSupport.Tiny() with { Bias = false },
    };

    [Theory, MemberData(nameof(Variants))]
    public void ParameterCountFormulaMatchesTheModule(GptConfig config)
    {
        using var model = new Gpt(config, seed: 1);
        Assert.Equal(config.ParameterCount(), model.ParameterCount());
        var specs = model.Architecture.ParameterSpecs();
        var actual = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(specs.Select(s => s.Name).OrderBy(n => n), actual.Keys.OrderBy(n => n));
        foreach (var s in specs) Assert.Equal(s.Shape, actual[s.Name]);
    }

    [Fact]
    public void PaperFamilyParameterCountsMatchTheAuthors()
    {
        // The authors' counts (docs/research.md, "The authors' model family"): d ∈ {128, 256, 512, 768} →
        // N ≈ {14.6M, 32.3M, 77.1M, 134.6M} with GPT-2 BPE padded to 50688.
        var expected = new Dictionary<int, double> { [2] = 14.6e6, [4] = 32.3e6, [8] = 77.1e6, [12] = 134.6e6 };
        foreach (var (heads, n) in expected)
            Assert.InRange(new GptConfig { Heads = heads }.ParameterCount(), n * 0.995, n * 1.005);
    }

    [Fact]
    public void StateDictUsesPyTorchStyleNames()
    {
        using var model = new Gpt(TestSupport.Tiny(), seed: 1);
        var names = model.state_dict().Keys.ToHashSet();
        Assert.Contains("wte.weight", names);
        Assert.Contains("h.0.attn.c_attn.weight", names);
        Assert.Contains("h.1.mlp.c_proj.bias", names);
        Assert.Contains("ln_f.weight", names);
        Assert.Contains("lm_head.weight", names);
        Assert.DoesNotContain(names, n => n.Contains("rope")); // rotary tables are non-persistent buffers
    }

    [Theory]
    [InlineData(Parameterization.MuP)]
    [InlineData(Parameterization.Standard)]
    public void CausalAttentionMatchesAFloat64Reference(Parameterization param)
    {
        var config = TestSupport.Tiny(heads: 2, layers: 1, param) with { Positions = PositionKind.Learned, Bias = true };
        using var attention = new CausalSelfAttention("attn", config);
        var generator = new Generator(7);
        using (no_grad())
            foreach (var p in attention.parameters()) p.copy_(normal(0, 0.3, p.shape, generator: generator));
        using var x = normal(0, 1, [2, 10, config.Width], generator: generator);
        using var y = attention.forward(x);

        // Independent reference in float64: per head softmax(q·kᵀ·s + causal mask)·v, then the output projection.
        var p64 = attention.named_parameters().ToDictionary(p => p.name, p => p.parameter.to_type(ScalarType.Float64));
        var x64 = x.to_type(ScalarType.Float64);
        var qkv = x64.matmul(p64["c_attn.weight"].t()) + p64["c_attn.bias"];
        int d = config.Width, hs = config.HeadSize;
        double scale = param == Parameterization.MuP ? 1.0 / hs : 1.0 / Math.Sqrt(hs);
        var outHeads = new List<Tensor>();
        for (int h = 0; h < config.Heads; h++)
        {
            var q = qkv.narrow(2, h * hs, hs);
            var k = qkv.narrow(2, d + h * hs, hs);
            var v = qkv.narrow(2, 2 * d + h * hs, hs);
            var scores = q.matmul(k.transpose(1, 2)) * scale;
            var mask = ones(10, 10, dtype: ScalarType.Bool).triu(1);
            scores = scores.masked_fill(mask, double.NegativeInfinity);
            outHeads.Add(scores.softmax(-1).matmul(v));
        }
        var expected = cat(outHeads, 2).matmul(p64["c_proj.weight"].t()) + p64["c_proj.bias"];
        double err = (y.to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        double size = expected.abs().max().item<double>();
        Assert.True(err / size < 1e-5, $"relative error {err / size}");

        // Causality: changing the last position leaves earlier outputs unchanged.
        using var x2 = x.clone();
        using (no_grad()) x2[.., 9, ..] = normal(0, 1, [2, config.Width], generator: generator);
        using var y2 = attention.forward(x2);
        Assert.True((y2.narrow(1, 0, 9) - y.narrow(1, 0, 9)).abs().max().item<float>() == 0f);
    }

    [Fact]
    public void MuPReadoutIsZeroInitialisedSoTheFirstLossIsUniform()
    {
        var config = TestSupport.Tiny();
        using var model = new Gpt(config, seed: 3);
        var head = model.named_parameters().Single(p => p.name == "lm_head.weight").parameter;
        Assert.Equal(0.0, head.abs().max().item<float>());
        using var idx = randint(0, config.VocabSize, [2, 8]);
        using var loss = model.Loss(idx, idx);
        Assert.Equal(Math.Log(config.VocabSize), loss.item<float>(), 5);
    }

    [Fact]
    public void MuPReadoutMultiplierIsOneOverWidthMultiplier()
    {
        var config = TestSupport.Tiny(heads: 4) with { BaseWidth = 8 }; // d = 32 → m = 4
        using var model = new Gpt(config, seed: 3);
        Assert.Equal(0.25, model.Architecture.ReadoutMultiplier, 12);
        var head = model.named_parameters().Single(p => p.name == "lm_head.weight").parameter;
        using (no_grad()) head.copy_(randn(head.shape));
        using var idx = randint(0, config.VocabSize, [1, 5]);
        using var logits = model.forward(idx);
        // The same weights in a model whose only difference is m = 1 (multiplier 1) give 4× the logits.
        using var wide = new Gpt(config with { BaseWidth = 32 }, seed: 3); // m = 1 → multiplier 1
        wide.load_state_dict(model.state_dict());
        using var logitsM1 = wide.forward(idx);
        Assert.True((logits * 4 - logitsM1).abs().max().item<float>() < 1e-4);
    }

    [Fact]
    public void MuPGroupsScaleHiddenLearningRatesAndInitByWidth()
    {
        var config = TestSupport.Tiny(heads: 4) with { BaseWidth = 8 }; // m = 4
        var specs = new GptArchitecture(config).ParameterSpecs().ToDictionary(s => s.Name);
        Assert.Equal(0.25, specs["h.0.attn.c_attn.weight"].LrMultiplier, 12);
        Assert.Equal(0.25, specs["h.1.mlp.c_proj.weight"].LrMultiplier, 12);
        Assert.Equal(1.0, specs["wte.weight"].LrMultiplier);
        Assert.Equal(1.0, specs["lm_head.weight"].LrMultiplier);
        Assert.Equal(1.0, specs["h.0.ln_1.weight"].LrMultiplier);
        Assert.Equal(config.InitStd / 2, specs["h.0.attn.c_attn.weight"].InitStd, 12); // σ/√m
        Assert.Equal(config.InitStd, specs["wte.weight"].InitStd, 12);
        Assert.Equal(InitKind.Zeros, specs["lm_head.weight"].Init);
        Assert.False(specs["h.0.ln_1.bias"].WeightDecay);

        var sp = new GptArchitecture(config with { Param = Parameterization.Standard }).ParameterSpecs();
        Assert.All(sp, s => Assert.Equal(1.0, s.LrMultiplier));
    }

    [Fact]
    public void InitialisationIsDeterministicPerSeed()
    {
        using var a = new Gpt(TestSupport.Tiny(), seed: 5);
        using var b = new Gpt(TestSupport.Tiny(), seed: 5);
        using var c = new Gpt(TestSupport.Tiny(), seed: 6);
        var pa = a.parameters().ToList(); var pb = b.parameters().ToList(); var pc = c.parameters().ToList();
        Assert.All(pa.Zip(pb), t => Assert.True(t.First.allclose(t.Second, 0, 0)));
        Assert.Contains(pa.Zip(pc), t => !t.First.allclose(t.Second, 0, 0));
    }

    [Theory]
    [InlineData(0, 2, 8, "Heads")]
    [InlineData(2, 0, 8, "Layers")]
    [InlineData(2, 2, -1, "HeadSize")]
    public void NonPositiveSizesAreRejectedByName(int heads, int layers, int headSize, string field)
    {
        var e = Assert.Throws<ArgumentException>(() => new GptConfig { Heads = heads, Layers = layers, HeadSize = headSize }.Validate());
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void RotaryFractionMustGiveEvenWholeDims()
    {
        var e = Assert.Throws<ArgumentException>(() => (TestSupport.Tiny() with { RotaryFraction = 0.3 }).Validate());
        Assert.Contains("rotary dims", e.Message);
    }

    [Fact]
    public void TheLitgptSchemeDrawsTheAuthorsStds()
    {
        var c = RunPresets.CpuModel(heads: 8) with { HeadSize = 8, Layers = 2, BaseWidth = 64, InitScheme = InitScheme.Litgpt }; // d = 64
        var specs = new GptArchitecture(c).ParameterSpecs().ToDictionary(s => s.Name);
        double d = 64, L = 2;
        Assert.Equal(Math.Sqrt(2 / (5 * d)), specs["h.0.attn.c_attn.weight"].InitStd, 12);      // 0.079 at d = 64
        Assert.Equal(Math.Sqrt(2 / (5 * d)), specs["h.1.mlp.c_fc.weight"].InitStd, 12);
        Assert.Equal(1 / (Math.Sqrt(d) * L), specs["h.0.attn.c_proj.weight"].InitStd, 12);
        Assert.Equal(1 / (Math.Sqrt(d) * L), specs["h.1.mlp.c_proj.weight"].InitStd, 12);
        Assert.Equal(Math.Sqrt(2 / (5 * 64.0)), specs["wte.weight"].InitStd, 12);               // constant: the base width
        Assert.Equal(InitKind.Zeros, specs["lm_head.weight"].Init);                             // µP: zero readout
        Assert.Equal(InitKind.Zeros, specs["h.0.attn.c_attn.bias"].Init);
        var wide = new GptArchitecture(c with { Heads = 32 }).ParameterSpecs().ToDictionary(s => s.Name);
        Assert.Equal(Math.Sqrt(2 / (5 * 64.0)), wide["wte.weight"].InitStd, 12);                // embeddings do not scale with d
        Assert.Equal(Math.Sqrt(2 / (5 * 256.0)), wide["h.0.attn.c_attn.weight"].InitStd, 12);   // 0.040 at d = 256
        var scaled = new GptArchitecture(c with { InitScale = 2 }).ParameterSpecs().ToDictionary(s => s.Name);
        foreach (var (name, s) in specs) Assert.Equal(2 * s.InitStd, scaled[name].InitStd, 12);
        var gpt2 = new GptArchitecture(c with { InitScheme = InitScheme.Gpt2, InitScale = 2 }).ParameterSpecs().ToDictionary(s => s.Name);
        Assert.Equal(0.04, gpt2["wte.weight"].InitStd, 12);                                      // init scale 2 ≡ σ 0.04

        // A drawn model matches its specs.
        using var model = new Gpt(c, seed: 4);
        var p = TestSupport.Parameters(model);
        Assert.Equal(Math.Sqrt(2 / (5 * d)), p["h.0.mlp.c_fc.weight"].std().item<float>(), 2);
        Assert.Equal(0, p["lm_head.weight"].abs().max().item<float>());
    }
}
