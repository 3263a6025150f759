using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using TorchSharp.PyBridge;
using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Training;

/// <summary>
/// The safetensors header's <c>__metadata__</c>, which lets a checkpoint be used without this library: it is there,
/// it is valid safetensors, and its conventions are enough to rebuild the forward pass elsewhere — checked by doing
/// exactly that in float64 from the file's tensors and metadata alone.
/// </summary>
public class CheckpointMetadataTests
{
    public CheckpointMetadataTests() => TestSupport.Init();

    static CheckpointState State() => new(0, 0, 0, 0, 0, 0, []);

    static Gpt RandomGpt(GptConfig config)
    {
        var model = new Gpt(config, seed: 5);
        var generator = new Generator(11);
        using (no_grad())
            foreach (var p in model.parameters()) p.copy_(normal(0, 0.2, p.shape, generator: generator)); // µP zero-inits the readout: draw everything
        return model;
    }

    [Fact]
    public void CheckpointHeaderCarriesConfigAndConventions()
    {
        using var dir = TestSupport.Temp();
        var config = TestSupport.Tiny(heads: 4);
        using var model = RandomGpt(config);
        Checkpoint.Save(dir["ckpt"], model, null, State());
        var path = Path.Combine(dir["ckpt"], Checkpoint.ModelFile);

        // A well-formed header: 8-byte little-endian length, JSON padded to a multiple of 8, __metadata__ all strings.
        var bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, n % 8);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        var meta = header.RootElement.GetProperty("__metadata__");
        Assert.All(meta.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));

        var read = Checkpoint.ReadMetadata(path);
        Assert.Equal("pt", read["format"]);
        Assert.Equal("gpt", read["warmstart.family"]);
        Assert.Equal(config, JsonSerializer.Deserialize<GptConfig>(read["warmstart.config"]));
        Assert.Equal(config.ParameterCount().ToString(CultureInfo.InvariantCulture), read["warmstart.parameter_count"]);
        Assert.Equal((double)config.BaseWidth / config.Width, double.Parse(read["warmstart.readout_multiplier"], CultureInfo.InvariantCulture), 12);
        Assert.Equal(1.0 / config.HeadSize, double.Parse(read["warmstart.attention_scale"], CultureInfo.InvariantCulture), 12);
        Assert.Equal("10000", read["warmstart.rotary_base"]);
        Assert.Contains("[Q | K | V]", read["warmstart.qkv_layout"]);
        Assert.Contains("rotate-half", read["warmstart.positions"]);
        Assert.StartsWith("parallel", read["warmstart.residual"]);
        Assert.Contains("exact GELU", read["warmstart.mlp"]);

        // The file still loads (library and PyBridge) and the state records the rewritten size.
        Checkpoint.ReadState(dir["ckpt"]);
        using var again = new Gpt(config, seed: 9);
        Checkpoint.LoadWeights(again, path);
        using var idx = randint(0, config.VocabSize, [1, 6]);
        using var a = model.forward(idx);
        using var b = again.forward(idx);
        Assert.Equal(0f, (a - b).abs().max().item<float>());
    }

    public static TheoryData<GptConfig> Variants() => new()
    {
        TestSupport.Tiny(heads: 4),                                                                 // µP, parallel, GELU, RoPE ¼
        TestSupport.Tiny(heads: 2, param: Parameterization.Standard) with { ParallelResidual = false, RotaryFraction = 0.5 },
        TestSupport.Tiny(heads: 2) with { Positions = PositionKind.Learned, Mlp = MlpKind.SwiGlu, Norm = NormKind.RmsNorm, Bias = false },
    };

    /// <summary>A PyTorch user's forward pass, written from the header alone, gives the library's logits.</summary>
    [Theory, MemberData(nameof(Variants))]
    public void ForwardRebuiltFromTheMetadataMatchesTheModel(GptConfig config)
    {
        using var dir = TestSupport.Temp();
        using var model = RandomGpt(config);
        var path = dir["model.safetensors"];
        Checkpoint.SaveWeights(model, path);

        var meta = Checkpoint.ReadMetadata(path);
        var c = JsonSerializer.Deserialize<GptConfig>(meta["warmstart.config"])!;
        double readout = double.Parse(meta["warmstart.readout_multiplier"], CultureInfo.InvariantCulture);
        double scale = double.Parse(meta["warmstart.attention_scale"], CultureInfo.InvariantCulture);
        bool parallel = meta["warmstart.residual"].StartsWith("parallel");
        bool gelu = meta["warmstart.mlp"].Contains("exact GELU");
        bool rotary = meta["warmstart.rotary_base"] != "none";
        double theta = rotary ? double.Parse(meta["warmstart.rotary_base"], CultureInfo.InvariantCulture) : 0;
        var w = Safetensors.LoadStateDict(path).ToDictionary(p => p.Key, p => p.Value.to_type(ScalarType.Float64));

        const int T = 7;
        using var idx = randint(0, c.VocabSize, [2, T], generator: new Generator(3));
        int d = c.Width, hs = c.HeadSize, heads = c.Heads, r = (int)Math.Round(c.RotaryFraction * hs);
        Tensor Linear(Tensor x, string name) => w.TryGetValue(name + ".bias", out var bias) ? x.matmul(w[name + ".weight"].t()) + bias : x.matmul(w[name + ".weight"].t());
        Tensor Norm(Tensor x, string name) => c.Norm == NormKind.LayerNorm
            ? nn.functional.layer_norm(x, [d], w[name + ".weight"], w.GetValueOrDefault(name + ".bias"), c.NormEps)
            : x * (x.square().mean([-1L], keepdim: true) + c.NormEps).rsqrt() * w[name + ".weight"];
        Tensor Rope(Tensor x) // (B, H, T, hs): rotate-half on the first r dims, angle = t · θ^(−2(i mod r/2)/r)
        {
            var pos = arange(T, dtype: ScalarType.Float64).unsqueeze(1);
            var i = arange(r, dtype: ScalarType.Float64).remainder(r / 2);
            var angle = pos * pow(theta, -2.0 * i / r).unsqueeze(0);
            var xr = x.narrow(-1, 0, r);
            var rotated = cat([-xr.narrow(-1, r / 2, r / 2), xr.narrow(-1, 0, r / 2)], -1);
            return cat([xr * angle.cos() + rotated * angle.sin(), x.narrow(-1, r, hs - r)], -1);
        }
        Tensor Attention(Tensor x, string p)
        {
            var qkv = Linear(x, p + ".c_attn");
            Tensor Heads(int part) => qkv.narrow(-1, part * d, d).view(2, T, heads, hs).transpose(1, 2);
            var (q, k, v) = (Heads(0), Heads(1), Heads(2));
            if (rotary) (q, k) = (Rope(q), Rope(k));
            var scores = q.matmul(k.transpose(-1, -2)) * scale;
            scores = scores.masked_fill(ones(T, T, dtype: ScalarType.Bool).triu(1), double.NegativeInfinity);
            var y = scores.softmax(-1).matmul(v).transpose(1, 2).reshape(2, T, d);
            return Linear(y, p + ".c_proj");
        }
        Tensor Mlp(Tensor x, string p)
        {
            var h = Linear(x, p + ".c_fc");
            if (gelu) h = 0.5 * h * (1 + (h / Math.Sqrt(2)).erf());
            else { var parts = h.chunk(2, -1); h = parts[0] * parts[0].sigmoid() * parts[1]; }
            return Linear(h, p + ".c_proj");
        }

        var x = w["wte.weight"].index_select(0, idx.flatten()).view(2, T, d);
        if (!rotary) x = x + w["wpe.weight"].narrow(0, 0, T);
        for (int l = 0; l < c.Layers; l++)
        {
            string p = $"h.{l}";
            if (parallel) x = x + Attention(Norm(x, p + ".ln_1"), p + ".attn") + Mlp(Norm(x, p + ".ln_2"), p + ".mlp");
            else { x = x + Attention(Norm(x, p + ".ln_1"), p + ".attn"); x = x + Mlp(Norm(x, p + ".ln_2"), p + ".mlp"); }
        }
        var expected = Norm(x, "ln_f").matmul(w["lm_head.weight"].t()) * readout;

        using var actual = model.forward(idx).to_type(ScalarType.Float64);
        double err = (actual - expected).abs().max().item<double>(), size = expected.abs().max().item<double>();
        Assert.True(err / size < 1e-4, $"relative error {err / size}");
        foreach (var t in w.Values) t.Dispose();
    }

    [Fact]
    public void MlpCheckpointsCarryTheirConfigToo()
    {
        using var dir = TestSupport.Temp();
        var config = new MlpConfig { Width = 32, BaseWidth = 16 };
        using var model = new DenseMlp(config, seed: 1);
        Checkpoint.SaveWeights(model, dir["mlp.safetensors"]);
        var meta = Checkpoint.ReadMetadata(dir["mlp.safetensors"]);
        Assert.Equal("mlp", meta["warmstart.family"]);
        Assert.Equal(config, JsonSerializer.Deserialize<MlpConfig>(meta["warmstart.config"]));
        Assert.Equal(0.5, double.Parse(meta["warmstart.readout_multiplier"], CultureInfo.InvariantCulture), 12);
    }
}
