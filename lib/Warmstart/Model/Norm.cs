using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>LayerNorm (optionally with bias) or RMSNorm over the last dimension; parameters "weight" and "bias".</summary>
public sealed class Norm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight;
    readonly Parameter? bias;
    readonly NormKind kind;
    readonly long[] shape;
    readonly double eps;

    public Norm(string name, int size, NormKind kind, bool bias, double eps) : base(name)
    {
        this.kind = kind;
        this.eps = eps;
        shape = [size];
        weight = nn.Parameter(ones(size));
        this.bias = kind == NormKind.LayerNorm && bias ? nn.Parameter(zeros(size)) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (kind == NormKind.LayerNorm) return nn.functional.layer_norm(x, shape, weight, bias, eps);
        using var scope = NewDisposeScope();
        var rms = x.square().mean([-1L], keepdim: true).add_(eps).rsqrt_();
        return (x * rms * weight).MoveToOuterDisposeScope();
    }
}
