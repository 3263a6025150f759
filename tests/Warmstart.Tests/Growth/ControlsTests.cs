using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;
using static TorchSharp.torch;

namespace Warmstart.Tests.Growth;

/// <summary>
/// The operator switches behind the controls that separate what the base learned from its weights' scale: a permuted
/// base and scratch rescaled to SZP's norms (the third control, an untrained base, is a zero-step run: TrainerTests).
/// See docs/research.md, "How a claim is decided".
/// </summary>
public class ControlsTests
{
    public ControlsTests() => TestSupport.Init();

    static readonly GptConfig BaseConfig = TestSupport.Tiny(heads: 2, layers: 2);   // d = 16
    static readonly GptConfig TargetConfig = TestSupport.Tiny(heads: 4, layers: 2); // d = 32

    static Gpt RandomBase(long seed = 1)
    {
        var model = new Gpt(BaseConfig, seed);
        var generator = new Generator((ulong)seed + 100);
        using var _ = no_grad();
        foreach (var p in model.parameters()) p.copy_(normal(0, 0.2, p.shape, generator: generator));
        return model;
    }

    [Fact]
    public void APermutedBaseKeepsEachTensorsValuesAndNormButNotItsOrder()
    {
        using var b = RandomBase();
        var original = TestSupport.Parameters(b);
        var permuted = Grower.Permuted(b, seed: 5);
        var again = Grower.Permuted(b, seed: 5);
        int moved = 0;
        for (int i = 0; i < permuted.Count; i++)
        {
            var (spec, t) = permuted[i];
            var o = original[spec.Name];
            Assert.Equal(o.shape, t.shape);
            Assert.True(o.flatten().sort().Values.equal(t.flatten().sort().Values).all().item<bool>(), $"{spec.Name}: the multiset of values changed");
            Assert.Equal(o.norm().item<float>(), t.norm().item<float>(), 4);
            Assert.True(t.equal(again[i].Tensor).all().item<bool>(), $"{spec.Name}: the permutation is not deterministic from the seed");
            if (!t.equal(o).all().item<bool>()) moved++;
        }
        Assert.True(moved >= permuted.Count - 2, $"only {moved} of {permuted.Count} tensors were shuffled");
        foreach (var (_, t) in permuted.Concat(again)) t.Dispose();
    }

    [Fact]
    public void SzpFromAPermutedBaseIsSzpOfThePermutedTensors()
    {
        using var b = RandomBase();
        var op = GrowthOperator.Parse("szp-permuted-base");
        Assert.True(op.PermuteBase);
        Assert.Equal((0.4, 1.0), (op.Lambda, op.Sigma));
        using var grown = Grower.Grow(b, new GptArchitecture(TargetConfig), op, seed: 3);
        using var szp = Grower.Grow(b, new GptArchitecture(TargetConfig), GrowthOperator.Parse("szp"), seed: 3);
        using var fresh = new Gpt(TargetConfig, 3);
        var (g, s, f) = (TestSupport.Parameters(grown), TestSupport.Parameters(szp), TestSupport.Parameters(fresh));
        // λ·Embed(base) has the same norm either way (zero padding keeps entries): compare the base part's norm.
        foreach (var name in g.Keys)
            Assert.Equal((s[name] - f[name]).norm().item<float>(), (g[name] - f[name]).norm().item<float>(), 3);
        Assert.False(g["h.0.attn.c_attn.weight"].equal(s["h.0.attn.c_attn.weight"]).all().item<bool>());
    }

    [Fact]
    public void RescaledScratchHasTheSzpStartsPerTensorNormsAndTheFreshInitsDirection()
    {
        using var b = RandomBase();
        var op = GrowthOperator.Parse("scratch-rescaled");
        Assert.Equal((0.0, 1.0), (op.Lambda, op.Sigma));
        Assert.Equal("szp", op.NormsOf!.Name);
        using var rescaled = Grower.Grow(b, new GptArchitecture(TargetConfig), op, seed: 3);
        using var szp = Grower.Grow(b, new GptArchitecture(TargetConfig), GrowthOperator.Parse("szp"), seed: 3);
        using var fresh = new Gpt(TargetConfig, 3);
        var (r, s, f) = (TestSupport.Parameters(rescaled), TestSupport.Parameters(szp), TestSupport.Parameters(fresh));
        foreach (var name in r.Keys)
        {
            double want = s[name].norm().item<float>(), have = r[name].norm().item<float>();
            Assert.True(Math.Abs(have - want) <= 1e-4 * Math.Max(1, want), $"{name}: norm {have} is not the SZP start's {want}");
            double init = f[name].norm().item<float>();
            if (init > 0) // a drawn (or ones) init keeps its direction: cosine 1 with the fresh init
            {
                double cos = (r[name] * f[name]).sum().item<float>() / (have * init);
                Assert.True(cos > 0.9999, $"{name}: not the fresh init rescaled (cos {cos})");
            }
        }
        // The µP readout starts at zero in scratch: rescaled it is a random draw with SZP's norm, unlike the base's head.
        Assert.True(r["lm_head.weight"].norm().item<float>() > 0);
        // Different operator, different id; the default operators' JSON is unchanged by the new switches.
        var json = System.Text.Json.JsonSerializer.Serialize(GrowthOperator.Parse("szp"), Files.Json);
        Assert.DoesNotContain("permute", json);
        Assert.DoesNotContain("norms_of", json);
        Assert.Contains("norms_of", System.Text.Json.JsonSerializer.Serialize(op, Files.Json));
    }

}
