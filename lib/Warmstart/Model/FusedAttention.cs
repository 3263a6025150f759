using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Warmstart.Model;

/// <summary>
/// <see cref="AttentionKernels"/> as a TorchSharp autograd function: qkv (B, T, 3d) → y (B, T, d), causal, with RoPE
/// and the score multiplier of <see cref="AttentionGeometry"/>. The forward saves qkv, a detached alias of y and each
/// row's softmax statistics (2·B·H·T floats); the backward recomputes the probabilities from them.
/// </summary>
public sealed class FusedAttention : SingleTensorFunction<FusedAttention>
{
    public override string Name => nameof(FusedAttention);

    /// <summary>Causal attention over <paramref name="qkv"/> (fp32, CPU), differentiable with respect to it.</summary>
    public static Tensor Apply(Tensor qkv, AttentionGeometry geometry)
    {
        if (qkv.dtype != ScalarType.Float32 || qkv.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException($"the fused attention kernel takes fp32 CPU tensors, got {qkv.dtype} on {qkv.device}");
        if (qkv.dim() != 3 || qkv.shape[2] != 3L * geometry.Width)
            throw new ArgumentException($"qkv must be (B, T, 3·{geometry.Width}), got ({string.Join(", ", qkv.shape)})");
        if (qkv.shape[1] > geometry.Context)
            throw new ArgumentException($"sequence length {qkv.shape[1]} exceeds the rotary tables' {geometry.Context} positions");
        return apply(qkv, geometry);
    }

    public override unsafe Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var qkv = ((Tensor)vars[0]).contiguous();
        var geometry = (AttentionGeometry)vars[1];
        int batch = (int)qkv.shape[0], time = (int)qkv.shape[1];
        var y = empty([batch, time, geometry.Width], dtype: ScalarType.Float32);
        var stats = empty([batch, geometry.Heads, AttentionKernels.StatisticsPerHead(time)], dtype: ScalarType.Float32);
        AttentionKernels.Forward(qkv.Pointer(), y.Pointer(), stats.Pointer(), batch, time, geometry, get_num_threads());
        // y itself becomes this node's output; saving it would tie the node to itself, so the backward reads an alias.
        ctx.save_for_backward([qkv, y.detach(), stats]);
        ctx.save_data("geometry", geometry);
        return y;
    }

    public override unsafe List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (qkv, y, stats) = (saved[0], saved[1], saved[2]);
        var geometry = (AttentionGeometry)ctx.get_data("geometry");
        var dy = gradOutput.contiguous();
        int batch = (int)qkv.shape[0], time = (int)qkv.shape[1];
        var dqkv = empty_like(qkv);
        AttentionKernels.Backward(qkv.Pointer(), y.Pointer(), stats.Pointer(), dy.Pointer(), dqkv.Pointer(), batch, time, geometry,
            get_num_threads());
        return [dqkv, null!];
    }
}

static class TensorMemory
{
    /// <summary>The first float of a contiguous CPU tensor's native storage (it never moves, unlike managed memory).</summary>
    public static unsafe float* Pointer(this Tensor t) => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.bytes));
}
