using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>
/// Multi-head causal self-attention with a fused Q|K|V projection (nanoGPT's "c_attn") and partial rotary positions,
/// computed by PyTorch's scaled_dot_product_attention or by the fused small-head kernel (<see cref="GptConfig.Attention"/>).
/// Under µP the scores are scaled by 1/d_head rather than 1/√d_head.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    readonly Linear c_attn;
    readonly Linear c_proj;
    readonly bool rotary;
    readonly int heads, headSize;
    readonly double queryScale;
    readonly AttentionGeometry? fused; // the fused kernel's geometry; null on the SDPA path

    public CausalSelfAttention(string name, GptConfig config) : base(name)
    {
        heads = config.Heads;
        headSize = config.HeadSize;
        // SDPA always divides by √d_head; µP wants 1/d_head, so queries carry the remaining 1/√d_head.
        queryScale = config.Param == Parameterization.MuP ? 1.0 / Math.Sqrt(headSize) : 1.0;
        c_attn = nn.Linear(config.Width, 3 * config.Width, hasBias: config.Bias);
        c_proj = nn.Linear(config.Width, config.Width, hasBias: config.Bias);
        RegisterComponents();
        rotary = config.Positions == PositionKind.Rotary;
        if (rotary) // buffers, not parameters: they move with .to(device) but are not saved in checkpoints
        {
            var tables = Rotary.Build(headSize, config.RotaryDims, config.ContextLength);
            register_buffer("rope_cos", tables.Cos, persistent: false);
            register_buffer("rope_sin", tables.Sin, persistent: false);
            register_buffer("rope_rotate", tables.RotateHalf, persistent: false);
        }
        if (config.Attention == AttentionKernel.Fused)
        {
            var (cos, sin) = rotary ? Rotary.Angles(headSize, config.RotaryDims, config.ContextLength) : ([], []);
            // One score multiplier for the kernel: SDPA's 1/√d_head times the query's µP factor.
            fused = new AttentionGeometry(heads, headSize, (float)(queryScale / Math.Sqrt(headSize)), config.RotaryDims, cos, sin);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return c_proj.forward(Attend(c_attn.forward(x))).MoveToOuterDisposeScope();
    }

    /// <summary>Everything between the two projections: the fused q|k|v activation (B, T, 3d) → heads merged (B, T, d).</summary>
    public Tensor Attend(Tensor qkvFused)
    {
        // The kernel is fp32 CPU code; a GPU or a bf16 model takes SDPA, the fast path there.
        if (fused is not null && qkvFused.dtype == ScalarType.Float32 && qkvFused.device_type == TorchSharp.DeviceType.CPU)
            return FusedAttention.Apply(qkvFused, fused);
        using var scope = NewDisposeScope();
        long b = qkvFused.shape[0], t = qkvFused.shape[1], d = qkvFused.shape[2] / 3;
        var qkv = qkvFused.view(b, t, 3, heads, headSize).permute(2, 0, 3, 1, 4); // (3, B, H, T, hs)
        Tensor q, k;
        if (rotary)
        {
            var qk = ApplyRotary(qkv.narrow(0, 0, 2));
            (q, k) = (qk[0], qk[1]);
        }
        else (q, k) = (qkv[0], qkv[1]);
        if (queryScale != 1.0) q = q * queryScale;
        var y = nn.functional.scaled_dot_product_attention(q, k, qkv[2], is_casual: true);   // (B, H, T, hs)
        return y.transpose(1, 2).reshape(b, t, d).MoveToOuterDisposeScope();
    }

    /// <summary>RoPE on (…, T, d_head) with this module's tables (the SDPA path; the fused kernel rotates as it gathers).</summary>
    public Tensor ApplyRotary(Tensor x) =>
        Rotary.Apply(x, get_buffer("rope_cos")!, get_buffer("rope_sin")!, get_buffer("rope_rotate")!);
}
