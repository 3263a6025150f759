using TorchSharp;
using TorchSharp.Modules;
using Warmstart.Model;
using static TorchSharp.torch;

namespace Warmstart.Training;

/// <summary>
/// AdamW over one contiguous buffer. Every parameter of the model becomes a view into <see cref="Weights"/> and
/// every gradient a view into <see cref="Grads"/>, so a step is a handful of large tensor ops instead of a dozen per
/// parameter — what makes small models fast on a CPU. µP's per-group learning rates become a per-element scale.
/// The update is PyTorch's AdamW (decoupled decay, bias-corrected moments); a test pins it against
/// torch.optim.AdamW with the same groups.
/// <para>
/// With <see cref="TrainConfig.Bf16"/> it is also the mixed-precision scheme (TorchSharp has no autocast): the model
/// runs in bf16 — its parameters and gradients are views of bf16 buffers — while the optimizer keeps fp32 master
/// weights and moments; each step casts the bf16 gradient up, updates the masters and casts them back down.
/// </para>
/// </summary>
public sealed class FlatAdamW : IDisposable
{
    readonly TrainConfig config;
    readonly Tensor lrScale, denom;
    readonly Tensor? decayScale, decayFactor; // float64: (1 − lr·λ·s) is formed in double like PyTorch's per-group scalar
    readonly double beta1, beta2;
    readonly Tensor? modelWeights, modelGrads; // bf16 buffers the model runs on (null in fp32 mode)
    readonly IReadOnlyList<(string Name, long Offset, long[] Shape)> layout;

    /// <summary>fp32 master weights (in fp32 mode the model's parameters themselves).</summary>
    public Tensor Weights { get; }
    public Tensor Grads { get; }
    public Tensor ExpAvg { get; }
    public Tensor ExpAvgSq { get; }
    public long StepCount { get; private set; }

    public FlatAdamW(TrainableModel model, TrainConfig config)
    {
        this.config = config;
        (beta1, beta2) = (config.Beta1, config.Beta2);
        var parameters = model.SpecifiedParameters();
        long total = parameters.Sum(p => p.Spec.Numel);
        var device = parameters[0].Parameter.device;
        Weights = zeros(total, device: device);
        Grads = zeros(total, device: device);
        ExpAvg = zeros(total, device: device);
        ExpAvgSq = zeros(total, device: device);
        denom = zeros(total, device: device);
        var scale = new float[total];
        var decay = new float[total];
        var slots = new List<(string, long, long[])>();
        long offset = 0;
        using (no_grad())
        {
            foreach (var (spec, p) in parameters)
            {
                long n = spec.Numel;
                Weights.narrow(0, offset, n).view(spec.Shape).copy_(p);
                Array.Fill(scale, (float)spec.LrMultiplier, (int)offset, (int)n);
                Array.Fill(decay, spec.WeightDecay ? (float)spec.LrMultiplier : 0f, (int)offset, (int)n);
                slots.Add((spec.Name, offset, spec.Shape));
                offset += n;
            }
            layout = slots;
            if (config.Bf16)
            {
                model.to(ScalarType.BFloat16); // casts buffers too (rotary tables); parameters are re-pointed below
                modelWeights = Weights.to_type(ScalarType.BFloat16);
                modelGrads = zeros(total, dtype: ScalarType.BFloat16, device: device);
                parameters = model.SpecifiedParameters();
            }
            var weightBuffer = modelWeights ?? Weights;
            var gradBuffer = modelGrads ?? Grads;
            foreach (var ((spec, p), (_, start, shape)) in parameters.Zip(layout))
            {
                p.set_(weightBuffer.narrow(0, start, spec.Numel).view(shape));  // the parameter now lives in the flat buffer
                p.grad = gradBuffer.narrow(0, start, spec.Numel).view(shape);   // autograd accumulates into the flat buffer
            }
        }
        lrScale = tensor(scale, device: device);
        if (config.WeightDecay > 0)
        {
            decayScale = tensor(decay.Select(v => (double)v).ToArray(), device: device);
            decayFactor = zeros(total, dtype: ScalarType.Float64, device: device);
        }
    }

    /// <summary>The fp32 master weights by parameter name (views), for checkpoints in either precision.</summary>
    public Dictionary<string, Tensor> MasterWeights() =>
        layout.ToDictionary(l => l.Name, l => Weights.narrow(0, l.Offset, l.Shape.Aggregate(1L, (a, b) => a * b)).view(l.Shape));

    /// <summary>Zeroes the gradient buffer in one op (gradients are never set to null: they are views).</summary>
    public void ZeroGrad() => (modelGrads ?? Grads).zero_();

    /// <summary>Global L2 norm of the gradient, clipped to <see cref="TrainConfig.ClipNorm"/> when that is > 0. No host sync.</summary>
    public Tensor ClipAndNorm()
    {
        if (modelGrads is not null) Grads.copy_(modelGrads); // bf16 gradient → fp32 for the update
        var norm = Grads.norm();
        if (config.ClipNorm > 0)
        {
            using var coef = (config.ClipNorm / (norm + 1e-6)).clamp_(max: 1.0);
            Grads.mul_(coef);
        }
        return norm;
    }

    /// <summary>One AdamW step at base learning rate <paramref name="lr"/> (each element scaled by its group's multiplier).</summary>
    public void Step(double lr)
    {
        using var _ = no_grad();
        StepCount++;
        double bc1 = 1 - Math.Pow(beta1, StepCount);
        double bc2 = 1 - Math.Pow(beta2, StepCount);
        if (decayFactor is not null) // p ← p·(1 − lr·λ·s), the factor rounded to fp32 once, as torch.optim.AdamW does
        {
            decayFactor.copy_(decayScale!).mul_(-lr * config.WeightDecay).add_(1.0);
            Weights.mul_(decayFactor.to_type(ScalarType.Float32));
        }
        ExpAvg.mul_(beta1).add_(Grads, 1 - beta1);
        ExpAvgSq.mul_(beta2).addcmul_(Grads, Grads, 1 - beta2);
        denom.copy_(ExpAvgSq).sqrt_().div_(Math.Sqrt(bc2)).add_(config.Eps).div_(lrScale);
        Weights.addcdiv_(ExpAvg, denom, -lr / bc1);
        modelWeights?.copy_(Weights); // fp32 masters → the bf16 weights the model runs on
    }

    /// <summary>Optimizer state for a checkpoint.</summary>
    public Dictionary<string, Tensor> StateDict() => new()
    {
        ["exp_avg"] = ExpAvg, ["exp_avg_sq"] = ExpAvgSq, ["step"] = tensor(StepCount),
    };

    public void LoadStateDict(IDictionary<string, Tensor> state)
    {
        foreach (var key in new[] { "exp_avg", "exp_avg_sq", "step" })
            if (!state.ContainsKey(key)) throw new InvalidDataException($"optimizer state lacks '{key}'");
        if (state["exp_avg"].numel() != ExpAvg.numel())
            throw new InvalidDataException($"optimizer state has {state["exp_avg"].numel()} elements, the model {ExpAvg.numel()}");
        using var _ = no_grad();
        ExpAvg.copy_(state["exp_avg"]);
        ExpAvgSq.copy_(state["exp_avg_sq"]);
        StepCount = state["step"].item<long>();
    }

    public void Dispose()
    {
        foreach (var t in new[] { lrScale, denom, Weights, Grads, ExpAvg, ExpAvgSq }) t.Dispose();
        modelWeights?.Dispose();
        modelGrads?.Dispose();
        decayScale?.Dispose();
        decayFactor?.Dispose();
    }
}
