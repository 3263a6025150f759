using System.Text.Json.Serialization;

namespace Warmstart.Model;

[JsonConverter(typeof(JsonStringEnumConverter<NormKind>))] public enum NormKind { LayerNorm, RmsNorm }
[JsonConverter(typeof(JsonStringEnumConverter<PositionKind>))] public enum PositionKind { Rotary, Learned }
[JsonConverter(typeof(JsonStringEnumConverter<MlpKind>))] public enum MlpKind { Gelu, SwiGlu }
[JsonConverter(typeof(JsonStringEnumConverter<Parameterization>))] public enum Parameterization { Standard, MuP }

/// <summary>
/// How attention is computed. Sdpa: libtorch's scaled_dot_product_attention on (B, H, T, d_head) views, with RoPE and
/// the query scaling as separate ops. Fused: <see cref="AttentionKernels"/>, one C# kernel over the fused Q|K|V
/// activation with RoPE inside, several times faster for many small heads on a CPU; on a GPU or in bf16 it runs SDPA
/// (the kernel is fp32 CPU code). The two agree to float rounding, not bit for bit, so the choice is part of a run's id.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AttentionKernel>))] public enum AttentionKernel { Sdpa, Fused }

/// <summary>
/// How a GPT's weights are drawn (see <see cref="GptArchitecture"/>). Gpt2: GPT-2's fixed σ (<see cref="GptConfig.InitStd"/>,
/// 0.02) with µP's 1/√m on hidden matrices and residual projections ÷ √(2L). Litgpt: the authors' litgpt µP module
/// (GPT-NeoX init, docs/research.md "Initialisation"): every Linear √(2/(5d)), residual-writing projections
/// 1/(√d·L), embeddings the constant √(2/(5·d_base)), biases zero, readout zero under µP.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<InitScheme>))] public enum InitScheme { Gpt2, Litgpt }

/// <summary>
/// A decoder-only transformer. The architecture defaults are the paper's family (the authors' litgpt configs,
/// docs/research.md "The authors' model family"): depth 8, head size 64, width grown by adding heads, GPT-2 BPE,
/// context 1024, µP. The init default is not the paper's: it stays GPT-2's, because a spec.json written before the
/// init scheme existed has no "init_scheme" and was trained with GPT-2's init, so the default must read it back as
/// that. The presets name the paper's litgpt init explicitly, and override the sizes for CPU work.
/// </summary>
public sealed record GptConfig : ModelConfig, IScalableConfig<GptConfig>
{
    public int VocabSize { get; init; } = 50688;        // GPT-2 BPE (50257) padded to a multiple of 512, as the authors' counts imply
    public int ContextLength { get; init; } = 1024;     // the authors' context
    public int Layers { get; init; } = 8;               // fixed depth across the authors' width ladder
    public int Heads { get; init; } = 4;                // d = 4 × 64 = 256 → the 32.3M model the authors tuned batch 64 on
    public int HeadSize { get; init; } = 64;            // fixed: width grows by heads, so per-head maths never changes
    public NormKind Norm { get; init; } = NormKind.LayerNorm;   // litgpt default (RmsNorm for the Llama-style variant)
    public bool Bias { get; init; } = true;             // LayerNorm/Linear biases, as in the authors' GPT configs
    public PositionKind Positions { get; init; } = PositionKind.Rotary; // no learned position table in their configs
    public double RotaryFraction { get; init; } = 0.25; // litgpt default: rotate the first 25% of each head's dims
    public bool ParallelResidual { get; init; } = true; // litgpt default: attention and MLP read the same input
    public MlpKind Mlp { get; init; } = MlpKind.Gelu;   // GELU MLP; SwiGlu for the Llama-style variant
    public int MlpRatio { get; init; } = 4;             // hidden = 4d (both MLP kinds, so growth maps the same axis)
    public bool TiedHead { get; init; } = false;        // untied LM head: the paper's N counts it separately
    public Parameterization Param { get; init; } = Parameterization.MuP; // the paper trains every size with µP
    public int BaseWidth { get; init; } = 256;          // µP base shape d_base: widths are measured as m = d / d_base
    public double InitStd { get; init; } = 0.02;        // GPT-2's σ (InitScheme gpt2 only); under µP the std at d_base (hidden: σ/√m)

    /// <summary>
    /// The init scheme. The C# default stays gpt2 on purpose: a spec.json written before this field existed has no
    /// "init_scheme" and was trained with GPT-2's init, so the default must read it back as gpt2 (and the field is left
    /// out of the JSON at its default, so every existing run id is unchanged). The paper-faithful scheme is litgpt: the
    /// sweep presets name it explicitly (<c>SweepPresets</c>), so their runs carry "init_scheme": "litgpt" in their id.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public InitScheme InitScheme { get; init; } = InitScheme.Gpt2;

    /// <summary>
    /// Multiplies every drawn (normal) init std of the scheme — the init-scale axis of a tuning grid. Default 1, left
    /// out of the JSON (and so of the run id) at 1, so ids of runs that never set it are unchanged.
    /// </summary>
    [JsonIgnore] public double InitScale { get; init; } = 1.0;

    /// <summary>InitScale as written in JSON: absent at 1.</summary>
    [JsonInclude, JsonPropertyName("init_scale"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    double? InitScaleJson { get => InitScale == 1.0 ? null : InitScale; init => InitScale = value ?? 1.0; }
    public double NormEps { get; init; } = 1e-5;        // PyTorch LayerNorm default

    /// <summary>
    /// The attention path. Sdpa is the default because every spec written before the field existed trained on it: left
    /// out of the JSON at Sdpa, so their ids (and folders) are unchanged; "attention": "fused" joins a new run's id.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public AttentionKernel Attention { get; init; } = AttentionKernel.Sdpa;

    [JsonIgnore] public int Width => Heads * HeadSize;
    [JsonIgnore] public int MlpHidden => MlpRatio * Width;
    [JsonIgnore] public int RotaryDims => Positions == PositionKind.Rotary ? (int)Math.Round(RotaryFraction * HeadSize) : 0;

    /// <summary>µP width multiplier m = d / d_base (1 under standard parameterisation, which has no base shape).</summary>
    [JsonIgnore] public double WidthMultiplier => Param == Parameterization.MuP ? (double)Width / BaseWidth : 1.0;

    /// <summary>Throws an ArgumentException naming the first bad field and what is allowed.</summary>
    public override GptConfig Validate()
    {
        Positive(VocabSize, nameof(VocabSize)); Positive(ContextLength, nameof(ContextLength));
        Positive(Layers, nameof(Layers)); Positive(Heads, nameof(Heads)); Positive(HeadSize, nameof(HeadSize));
        Positive(MlpRatio, nameof(MlpRatio)); Positive(BaseWidth, nameof(BaseWidth));
        if (!(InitStd > 0) || double.IsInfinity(InitStd)) throw new ArgumentException($"InitStd must be a positive finite number, got {InitStd}");
        if (!(InitScale > 0) || double.IsInfinity(InitScale)) throw new ArgumentException($"InitScale must be a positive finite number, got {InitScale}");
        if (!Enum.IsDefined(InitScheme)) throw new ArgumentException($"InitScheme must be gpt2 or litgpt, got {InitScheme}");
        if (!Enum.IsDefined(Attention)) throw new ArgumentException($"Attention must be sdpa or fused, got {Attention}");
        if (!(NormEps > 0)) throw new ArgumentException($"NormEps must be > 0, got {NormEps}");
        if (Positions == PositionKind.Rotary)
        {
            if (!(RotaryFraction > 0 && RotaryFraction <= 1))
                throw new ArgumentException($"RotaryFraction must be in (0, 1] with rotary positions, got {RotaryFraction}");
            double dims = RotaryFraction * HeadSize;
            if (Math.Abs(dims - Math.Round(dims)) > 1e-9 || RotaryDims % 2 != 0 || RotaryDims < 2)
                throw new ArgumentException(
                    $"RotaryFraction {RotaryFraction} × HeadSize {HeadSize} = {dims} rotary dims: it must be an even whole number ≥ 2");
        }
        return this;
    }

    static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentException($"{name} must be a positive whole number, got {value}");
    }

    /// <summary>Total parameter count N (embeddings and untied head included), computed from the config alone.</summary>
    public override long ParameterCount()
    {
        long d = Width, v = VocabSize, f = MlpHidden, b = Bias ? 1 : 0;
        long norm = Norm == NormKind.LayerNorm && Bias ? 2 * d : d;          // weight (+ bias)
        long attn = 3 * d * d + 3 * d * b + d * d + d * b;                     // fused QKV + output projection
        long mlp = Mlp == MlpKind.Gelu
            ? d * f + f * b + f * d + d * b                                    // c_fc, c_proj
            : 2 * d * f + 2 * f * b + f * d + d * b;                           // fused gate|up, c_proj
        long block = 2 * norm + attn + mlp;
        long embeddings = v * d + (Positions == PositionKind.Learned ? (long)ContextLength * d : 0);
        long head = TiedHead ? 0 : v * d;                                      // no head bias (litgpt, nanoGPT)
        return embeddings + Layers * block + norm + head;
    }

    /// <summary>
    /// Training FLOPs per token as in nanoGPT/PaLM: 6N for the weights plus 12·L·d·T for attention scores and values
    /// (full context, causal halving ignored). The analyses use the paper's C = 6·N·D; this is for throughput (MFU).
    /// </summary>
    public double TrainingFlopsPerToken(int? contextLength = null) =>
        6.0 * ParameterCount() + 12.0 * Layers * Width * (contextLength ?? ContextLength);

    [JsonIgnore] public override int WidthUnits => Heads;
    [JsonIgnore] public override int DepthUnits => Layers;
    public override GptConfig Resized(int widthUnits, int depthUnits) => this with { Heads = widthUnits, Layers = depthUnits };
    public override IArchitecture Architecture() => new GptArchitecture(this);

    /// <summary>A short label such as "L4-H8x16 (d128, 0.85M)".</summary>
    public override string Label() => $"L{Layers}-H{Heads}x{HeadSize} (d{Width}, {ParameterCount() / 1e6:0.###}M)";
}
