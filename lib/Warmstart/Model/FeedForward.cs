using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>
/// The block's feed-forward part: GELU (c_fc → GELU → c_proj) or SwiGLU with a fused gate|up c_fc. Not the dense MLP
/// model (<see cref="DenseMlp"/>, configured by <see cref="MlpConfig"/>). Its block holds it as "mlp", so its
/// checkpoint names stay nanoGPT's (h.0.mlp.c_fc.weight).
/// </summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    readonly Linear c_fc;
    readonly Linear c_proj;
    readonly MlpKind kind;

    public FeedForward(string name, GptConfig config) : base(name)
    {
        kind = config.Mlp;
        int fused = kind == MlpKind.SwiGlu ? 2 * config.MlpHidden : config.MlpHidden;
        c_fc = nn.Linear(config.Width, fused, hasBias: config.Bias);
        c_proj = nn.Linear(config.MlpHidden, config.Width, hasBias: config.Bias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = c_fc.forward(x);
        if (kind == MlpKind.Gelu) h = nn.functional.gelu(h);
        else
        {
            var parts = h.chunk(2, -1);
            h = nn.functional.silu(parts[0]) * parts[1];
        }
        return c_proj.forward(h).MoveToOuterDisposeScope();
    }
}
