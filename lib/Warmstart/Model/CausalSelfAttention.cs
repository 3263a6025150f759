using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>
/// Multi-head causal self-attention with a fused Q|K|V projection (nanoGPT's "c_attn"), partial rotary positions and
/// PyTorch's fused scaled_dot_product_attention. Under µP the scores are scaled by 1/d_head rather than 1/√d_head.
/// </summary>
public sealed class CausalSelfAttention : nn.Module<Tensor, Tensor>
{
    readonly Linear c_attn;
    readonly Linear c_proj;
    readonly bool rotary;
    readonly int heads, headSize;
    readonly double queryScale;

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
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1], d = x.shape[2];
        var qkv = c_attn.forward(x).view(b, t, 3, heads, headSize).permute(2, 0, 3, 1, 4); // (3, B, H, T, hs)
        Tensor q, k;
        if (rotary)
        {
            var qk = Rotary.Apply(qkv.narrow(0, 0, 2), get_buffer("rope_cos")!, get_buffer("rope_sin")!, get_buffer("rope_rotate")!);
            (q, k) = (qk[0], qk[1]);
        }
        else (q, k) = (qkv[0], qkv[1]);
        if (queryScale != 1.0) q = q * queryScale;
        var y = nn.functional.scaled_dot_product_attention(q, k, qkv[2], is_casual: true);   // (B, H, T, hs)
        var merged = y.transpose(1, 2).reshape(b, t, d);
        return c_proj.forward(merged).MoveToOuterDisposeScope();
    }
}
