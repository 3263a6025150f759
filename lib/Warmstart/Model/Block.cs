using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>A pre-norm transformer block; parallel (x + attn(ln₁x) + mlp(ln₂x)) or sequential residual.</summary>
public sealed class Block : nn.Module<Tensor, Tensor>
{
    readonly Norm ln_1;
    readonly CausalSelfAttention attn;
    readonly Norm ln_2;
    readonly FeedForward mlp; // the field's name is the checkpoint's: h.N.mlp.* as in nanoGPT and PyTorch readers
    readonly bool parallel;

    public Block(string name, GptConfig config) : base(name)
    {
        parallel = config.ParallelResidual;
        ln_1 = new Norm("ln_1", config.Width, config.Norm, config.Bias, config.NormEps);
        attn = new CausalSelfAttention("attn", config);
        ln_2 = new Norm("ln_2", config.Width, config.Norm, config.Bias, config.NormEps);
        mlp = new FeedForward("mlp", config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor y;
        if (parallel)
        {
            var a = attn.forward(ln_1.forward(x));
            y = (x + a).add_(mlp.forward(ln_2.forward(x)));
        }
        else
        {
            var h = x + attn.forward(ln_1.forward(x));
            y = h + mlp.forward(ln_2.forward(h)); // not in place: ln_2 saved h for its backward
        }
        return y.MoveToOuterDisposeScope();
    }
}
