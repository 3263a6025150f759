using System.Diagnostics;
using TorchSharp;
using Warmstart.Data;
using Warmstart.Model;
using static TorchSharp.torch;

namespace Warmstart.Training;

/// <summary>
/// One operation of a training step: how often a step runs it and what it costs there, forward and backward.
/// <paramref name="Within"/>: a part of the row above it (shown for detail, not added again).
/// </summary>
public sealed record ProfileRow(string Operation, int CallsPerStep, double ForwardMs, double BackwardMs, bool Within = false)
{
    public double TotalMs => ForwardMs + BackwardMs;
}

/// <summary>Where one training step's time goes, against the whole step measured on the real model.</summary>
public sealed record StepProfileResult(BenchShape Shape, IReadOnlyList<ProfileRow> Rows, double StepMs, double EvalBatchMs)
{
    /// <summary>The step's time that no listed operation accounts for: autograd bookkeeping, dispatch, allocation.</summary>
    public double UnaccountedMs => StepMs - Rows.Where(r => !r.Within).Sum(r => r.TotalMs);
}

/// <summary>
/// A per-operation profile of one GPT training step. TorchSharp exposes no operator profiler, so each operation is
/// timed on its own — the same module or functional call at the step's shapes, forward then backward of a fixed
/// upstream gradient — as the median of many repetitions (a shared VM's interruptions land in the tail, not the
/// median), then multiplied by how often a step calls it. The whole step is timed the same way on the real model
/// and optimizer; what the parts leave over is reported, not hidden.
/// </summary>
public static class StepProfile
{
    public static StepProfileResult Measure(BenchShape shape, Device device, int repetitions = 30)
    {
        if (repetitions < 3) throw new ArgumentException($"--profile needs at least 3 repetitions per operation, got {repetitions}");
        var config = shape.Model();
        int b = shape.BatchSize, t = shape.Context, d = config.Width, f = config.MlpHidden, v = config.VocabSize, layers = config.Layers;
        var rows = new List<ProfileRow>();
        var generator = new Generator(0);
        Tensor Input(params long[] dims) => normal(0, 1, dims, generator: generator).to(device).requires_grad_();

        using var idx = randint(0, v, [b, t], generator: generator).to(device);
        using var wte = nn.Embedding(v, d).to(device);
        rows.Add(Time("token embedding", 1, () => wte.forward(idx), repetitions));

        using var norm = new Norm("ln", d, config.Norm, config.Bias, config.NormEps).to(device);
        using var x = Input(b, t, d);
        rows.Add(Time("layer norm", 2 * layers + 1, () => norm.forward(x), repetitions));

        using var cAttn = nn.Linear(d, 3 * d, hasBias: config.Bias).to(device);
        rows.Add(Time("c_attn: x · W_qkv", layers, () => cAttn.forward(x), repetitions));

        using var attention = new CausalSelfAttention("attn", config).to(device);
        using var qkv = Input(b, t, 3 * d);
        string kernel = config.Attention == AttentionKernel.Fused && device.type == DeviceType.CPU ? "fused kernel" : "SDPA";
        string withRope = config.Positions == PositionKind.Rotary ? ", RoPE" : "";
        rows.Add(Time($"attention ({kernel}{withRope}, head layout)", layers, () => attention.Attend(qkv), repetitions));
        if (config.Positions == PositionKind.Rotary && kernel == "SDPA")
        {
            using var heads = Input(2, b, config.Heads, t, config.HeadSize);
            rows.Add(Time("of which RoPE on q and k", layers, () => attention.ApplyRotary(heads), repetitions) with { Within = true });
        }

        using var cProj = nn.Linear(d, d, hasBias: config.Bias).to(device);
        rows.Add(Time("c_proj: attention out", layers, () => cProj.forward(x), repetitions));
        using var cFc = nn.Linear(d, f, hasBias: config.Bias).to(device);
        rows.Add(Time("mlp c_fc", layers, () => cFc.forward(x), repetitions));
        using var hidden = Input(b, t, f);
        rows.Add(Time("GELU", layers, () => nn.functional.gelu(hidden), repetitions));
        using var mlpProj = nn.Linear(f, d, hasBias: config.Bias).to(device);
        rows.Add(Time("mlp c_proj", layers, () => mlpProj.forward(hidden), repetitions));
        using var a = Input(b, t, d);
        using var m = Input(b, t, d);
        rows.Add(Time("residual adds", layers, () => (x + a).add_(m), repetitions));

        using var head = nn.Linear(d, v, hasBias: false).to(device);
        double readout = 1.0 / config.WidthMultiplier;
        rows.Add(Time("LM head (× 1/m)", 1, () => head.forward(x) * readout, repetitions));
        using var logits = Input(b * t, v);
        using var targets = randint(0, v, [b * t], generator: generator).to(device);
        rows.Add(Time("loss: cross-entropy", 1, () => nn.functional.cross_entropy(logits, targets), repetitions));

        var (stepMs, optimizerMs, evalMs) = WholeStep(shape, device, repetitions);
        rows.Add(new ProfileRow("optimizer: AdamW over the flat buffer", 1, optimizerMs, 0));
        return new StepProfileResult(shape, rows, stepMs, evalMs);
    }

    /// <summary>Median forward and backward time of <paramref name="op"/> × <paramref name="calls"/>.</summary>
    static ProfileRow Time(string name, int calls, Func<Tensor> op, int repetitions)
    {
        var forward = new List<double>();
        var backward = new List<double>();
        for (int r = 0; r < repetitions + 3; r++) // three warm-up runs: allocator, kernels and the JIT
        {
            using var scope = NewDisposeScope();
            var sw = Stopwatch.StartNew();
            var output = op();
            double t1 = sw.Elapsed.TotalMilliseconds;
            output.backward([ones_like(output)]);
            double t2 = sw.Elapsed.TotalMilliseconds;
            if (r < 3) continue;
            forward.Add(t1);
            backward.Add(t2 - t1);
        }
        return new ProfileRow(name, calls, calls * Median(forward), calls * Median(backward));
    }

    /// <summary>The real model and optimizer: median step, median optimizer part, median no-grad validation batch.</summary>
    static (double Step, double Optimizer, double Eval) WholeStep(BenchShape shape, Device device, int repetitions)
    {
        var config = shape.Model();
        using var model = new Gpt(config, seed: 0, device: device);
        using var optimizer = new FlatAdamW(model, new TrainConfig { BatchSize = shape.BatchSize, Tokens = 1, Tpp = null, Bf16 = shape.Bf16 });
        var data = new Batches(new InMemoryTokens(Enumerable.Range(0, 1 << 18).Select(i => (i * 7919) % config.VocabSize).ToArray()),
            shape.BatchSize, shape.Context, seed: 0);
        var steps = new List<double>();
        var optimizers = new List<double>();
        var evals = new List<double>();
        for (int step = 0; step < repetitions + 3; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = data.Get(step);
            if (device.type != DeviceType.CPU) (x, y) = (x.to(device), y.to(device));
            var sw = Stopwatch.StartNew();
            var loss = model.Loss(x, y);
            loss.backward();
            double t1 = sw.Elapsed.TotalMilliseconds;
            optimizer.ClipAndNorm().Dispose();
            optimizer.Step(1e-3);
            optimizer.ZeroGrad();
            _ = loss.item<float>();
            double t2 = sw.Elapsed.TotalMilliseconds;
            using (no_grad()) _ = model.Loss(x, y).item<float>();
            double t3 = sw.Elapsed.TotalMilliseconds;
            if (step < 3) continue;
            steps.Add(t2);
            optimizers.Add(t2 - t1);
            evals.Add(t3 - t2);
        }
        return (Median(steps), Median(optimizers), Median(evals));
    }

    static double Median(List<double> values) => Benchmark.Median(values);
}
