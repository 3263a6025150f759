using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>
/// The GPT's parameter list as specs: names, shapes, µP roles, init scales and LR multipliers. This is where the
/// parameterisation lives (microsoft/mup conventions with Adam). Init, by <see cref="GptConfig.InitScheme"/>:
/// <list type="bullet">
/// <item>gpt2: embeddings N(0, σ) at every width; hidden matrices N(0, σ²/m) — variance ∝ 1/fan_in; residual outputs
/// also ÷ √(2L) (GPT-2); under SP everything N(0, σ) (residual outputs σ/√(2L)).</item>
/// <item>litgpt (the authors' litgpt µP module, GPT-NeoX init; docs/research.md "Initialisation"): every Linear N(0, 2/(5d));
/// residual-writing projections (attention and MLP c_proj) std 1/(√d·L); embeddings the constant std √(2/(5·d_base))
/// under µP (√(2/(5d)) under SP, which has no base shape); an SP readout is a Linear, so √(2/(5d)).</item>
/// </list>
/// Both: biases zero, norm gains one, readout zero under µP with logits × 1/m (the same as scaling its input by 1/m
/// in the forward pass: the head is linear without bias), hidden Adam LR ÷ m, embeddings/biases/norms at base LR.
/// <see cref="GptConfig.InitScale"/> multiplies every drawn std.
/// </summary>
public sealed record GptArchitecture(GptConfig Config) : IArchitecture
{
    public int Depth => Config.Layers;

    public double ReadoutMultiplier => 1.0 / Config.WidthMultiplier;

    public int SpaceSize(Space space) => space switch
    {
        Space.Residual or Space.Heads => Config.Width,
        Space.MlpHidden => Config.MlpHidden,
        _ => throw new ArgumentException($"space {space} has no size"),
    };

    public int SpaceUnit(Space space) => space == Space.Heads ? Config.HeadSize : 1;

    public long ParameterCount() => Config.ParameterCount();

    public TrainableModel CreateModel(long seed, Device? device = null) => new Gpt(Config, seed, device);

    public IReadOnlyList<ParamSpec> ParameterSpecs()
    {
        var c = Config;
        long d = c.Width, f = c.MlpHidden, v = c.VocabSize;
        bool mup = c.Param == Parameterization.MuP;
        double m = c.WidthMultiplier;
        double k = c.InitScale;
        double hiddenStd, residualStd, embeddingStd, readoutStd;
        if (c.InitScheme == InitScheme.Litgpt)
        {
            hiddenStd = k * Math.Sqrt(2.0 / (5.0 * d));                            // small_init: √(2/(5d)) for every Linear
            residualStd = k / (Math.Sqrt(d) * c.Layers);                          // wang_init as litgpt writes it: 1/(√d·L)
            embeddingStd = k * Math.Sqrt(2.0 / (5.0 * (mup ? c.BaseWidth : d)));  // constant at the base width under µP
            readoutStd = hiddenStd;                                              // drawn only under SP (zero under µP)
        }
        else
        {
            double sigma = k * c.InitStd;
            hiddenStd = mup ? sigma / Math.Sqrt(m) : sigma;
            residualStd = hiddenStd / Math.Sqrt(2.0 * c.Layers);
            embeddingStd = readoutStd = sigma;
        }
        double hiddenLr = mup ? 1.0 / m : 1.0;
        var specs = new List<ParamSpec>();

        ParamSpec Matrix(string name, long rows, long cols, Space rowSpace, Space colSpace, int rowSegments, double std,
            int? layer, string local, bool blockOutput) =>
            new(name, [rows, cols], ParamRole.Hidden, [rowSpace, colSpace], [rowSegments, 1], InitKind.Normal, std,
                hiddenLr, WeightDecay: true, layer, local, FanInAxis: 1, IsBlockOutput: blockOutput);
        ParamSpec Vec(string name, long size, Space space, int segments, InitKind init, int? layer, string local, bool blockOutput = false) =>
            new(name, [size], ParamRole.Vector, [space], [segments], init, 0.0, 1.0, WeightDecay: false, layer, local,
                IsBlockOutput: blockOutput);
        void NormSpecs(string prefix, int? layer, string localPrefix)
        {
            specs.Add(Vec($"{prefix}.weight", d, Space.Residual, 1, InitKind.Ones, layer, $"{localPrefix}.weight"));
            if (c.Norm == NormKind.LayerNorm && c.Bias)
                specs.Add(Vec($"{prefix}.bias", d, Space.Residual, 1, InitKind.Zeros, layer, $"{localPrefix}.bias"));
        }

        specs.Add(new ParamSpec("wte.weight", [v, d], ParamRole.Embedding, [Space.Fixed, Space.Residual], [1, 1],
            InitKind.Normal, embeddingStd, 1.0, WeightDecay: true, LocalName: "wte.weight"));
        if (c.Positions == PositionKind.Learned)
            specs.Add(new ParamSpec("wpe.weight", [c.ContextLength, d], ParamRole.Embedding, [Space.Fixed, Space.Residual],
                [1, 1], InitKind.Normal, embeddingStd, 1.0, WeightDecay: true, LocalName: "wpe.weight"));

        int swiglu = c.Mlp == MlpKind.SwiGlu ? 2 : 1;
        for (int i = 0; i < c.Layers; i++)
        {
            string p = $"h.{i}";
            NormSpecs($"{p}.ln_1", i, "ln_1");
            specs.Add(Matrix($"{p}.attn.c_attn.weight", 3 * d, d, Space.Heads, Space.Residual, 3, hiddenStd, i, "attn.c_attn.weight", false));
            if (c.Bias) specs.Add(Vec($"{p}.attn.c_attn.bias", 3 * d, Space.Heads, 3, InitKind.Zeros, i, "attn.c_attn.bias"));
            specs.Add(Matrix($"{p}.attn.c_proj.weight", d, d, Space.Residual, Space.Heads, 1, residualStd, i, "attn.c_proj.weight", true));
            if (c.Bias) specs.Add(Vec($"{p}.attn.c_proj.bias", d, Space.Residual, 1, InitKind.Zeros, i, "attn.c_proj.bias", true));
            NormSpecs($"{p}.ln_2", i, "ln_2");
            specs.Add(Matrix($"{p}.mlp.c_fc.weight", swiglu * f, d, Space.MlpHidden, Space.Residual, swiglu, hiddenStd, i, "mlp.c_fc.weight", false));
            if (c.Bias) specs.Add(Vec($"{p}.mlp.c_fc.bias", swiglu * f, Space.MlpHidden, swiglu, InitKind.Zeros, i, "mlp.c_fc.bias"));
            specs.Add(Matrix($"{p}.mlp.c_proj.weight", d, f, Space.Residual, Space.MlpHidden, 1, residualStd, i, "mlp.c_proj.weight", true));
            if (c.Bias) specs.Add(Vec($"{p}.mlp.c_proj.bias", d, Space.Residual, 1, InitKind.Zeros, i, "mlp.c_proj.bias", true));
        }
        NormSpecs("ln_f", null, "ln_f");
        if (!c.TiedHead)
            specs.Add(new ParamSpec("lm_head.weight", [v, d], ParamRole.Readout, [Space.Fixed, Space.Residual], [1, 1],
                mup ? InitKind.Zeros : InitKind.Normal, readoutStd, 1.0, WeightDecay: true, LocalName: "lm_head.weight", FanInAxis: 1));
        return specs;
    }

    public void CheckGrowableInto(IArchitecture target)
    {
        if (target is not GptArchitecture t)
            throw new ArgumentException($"cannot grow a GPT into a {target.GetType().Name}");
        var (a, b) = (Config, t.Config);
        void Same<T>(T x, T y, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(x, y))
                throw new ArgumentException($"base and target must share {what}: base has {x}, target has {y}");
        }
        Same(a.HeadSize, b.HeadSize, "the head size (width grows by adding heads)");
        Same(a.VocabSize, b.VocabSize, "the vocabulary size");
        Same(a.ContextLength, b.ContextLength, "the context length");
        Same(a.Norm, b.Norm, "the norm"); Same(a.Bias, b.Bias, "bias on/off");
        Same(a.Positions, b.Positions, "the position scheme"); Same(a.RotaryFraction, b.RotaryFraction, "the rotary fraction");
        Same(a.ParallelResidual, b.ParallelResidual, "the residual layout"); Same(a.Mlp, b.Mlp, "the MLP kind");
        Same(a.MlpRatio, b.MlpRatio, "the MLP ratio"); Same(a.TiedHead, b.TiedHead, "head tying");
        Same(a.Param, b.Param, "the parameterisation");
        if (a.Param == Parameterization.MuP) Same(a.BaseWidth, b.BaseWidth, "the µP base width");
        if (b.Heads < a.Heads) throw new ArgumentException($"target is narrower than the base: {b.Heads} heads < {a.Heads}");
        if (b.Layers < a.Layers) throw new ArgumentException($"target is shallower than the base: {b.Layers} layers < {a.Layers}");
    }
}
