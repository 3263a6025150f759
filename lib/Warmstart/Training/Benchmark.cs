using System.Diagnostics;
using TorchSharp;
using Warmstart.Data;
using Warmstart.Model;
using static TorchSharp.torch;

namespace Warmstart.Training;

/// <summary>One row of the <c>bench</c> table.</summary>
public sealed record BenchResult(
    int Width, int Layers, int Context, int BatchSize, long Params, double TokensPerSecond, double GflopsPerSecond,
    double PercentOfPeak, double ForwardMs, double BackwardMs, double OptimizerMs, double DataMs, double PeakRssMiB);

/// <summary>
/// Training throughput on fixed-size models, next to a matmul peak measured in the same process, so the numbers
/// say how far from the hardware the training loop is. FLOPs per token = 6N + 12·L·d·T (nanoGPT's MFU estimate).
/// </summary>
public static class Benchmark
{
    /// <summary>Best fp32 GFLOP/s of square matmuls (n = 512, 1024, 2048).</summary>
    /// <summary>
    /// fp32 matmul peak: the best of <paramref name="repetitions"/> timed repetitions at each of two sizes. A single
    /// short measurement on a shared VM can read far low (and make "% of peak" exceed 100%); the best of several cannot.
    /// </summary>
    public static double MatmulPeakGflops(Device device, int repetitions = 5)
    {
        double best = 0;
        foreach (int n in new[] { 1024, 2048 })
        {
            using var scope = NewDisposeScope();
            var a = randn(n, n, device: device);
            var b = randn(n, n, device: device);
            torch.matmul(a, b).Dispose(); // warm up
            int inner = Math.Max(2, (int)(4e9 / (2.0 * n * n * n))); // ≈ 4 GFLOP per repetition
            for (int rep = 0; rep < repetitions; rep++)
            {
                Sync(device);
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < inner; i++) using (torch.matmul(a, b)) { }
                Sync(device);
                best = Math.Max(best, 2.0 * n * n * n * inner / sw.Elapsed.TotalSeconds / 1e9);
            }
        }
        return best;
    }

    /// <summary>The quick preset's target shape (d = 64 in 8 heads of 8, 2 blocks, context 128, batch 16): tokens/s of one process.</summary>
    public static double QuickPresetTokensPerSecond(int steps, Device device) =>
        Run(64, 2, 128, 16, steps, device, double.NaN, headSize: 8).TokensPerSecond;

    /// <summary>The model a bench row trains (byte vocabulary, µP base width 64).</summary>
    static GptConfig Model(int width, int layers, int context, int headSize, PositionKind positions) => new()
    {
        VocabSize = 256, ContextLength = context, Layers = layers, Heads = width / headSize, HeadSize = headSize, BaseWidth = 64,
        Positions = positions,
    };

    /// <summary>Checks every size before anything is measured: one clear line for a bad value, nothing half-printed.</summary>
    public static void Validate(IReadOnlyList<int> widths, int layers, int context, int batchSize, int steps, int headSize,
        PositionKind positions = PositionKind.Rotary, bool bf16 = false, string device = "cpu")
    {
        if (steps < 1) throw new ArgumentException($"--steps must be ≥ 1 (timed steps per size), got {steps}");
        if (headSize <= 0) throw new ArgumentException($"--head-size must be a positive whole number, got {headSize}");
        if (batchSize <= 0) throw new ArgumentException($"--batch-size must be a positive number of sequences, got {batchSize}");
        if (widths.Count == 0) throw new ArgumentException("--widths needs at least one width");
        foreach (int w in widths)
        {
            if (w <= 0 || w % headSize != 0)
                throw new ArgumentException($"--widths: {w} is not allowed: widths must be positive multiples of the head size {headSize} (e.g. {headSize * 4})");
            var config = Model(w, layers, context, headSize, positions).Validate();
            MemoryEstimate.ForGpt(config, batchSize, bf16).EnsureFits(device);
        }
    }

    public static BenchResult Run(int width, int layers, int context, int batchSize, int steps, Device device, double peakGflops,
        int headSize = 16, PositionKind positions = PositionKind.Rotary, bool bf16 = false, bool referenceOptimizer = false)
    {
        Validate([width], layers, context, batchSize, steps, headSize, positions, bf16, device.type == DeviceType.CUDA ? "cuda" : "cpu");
        var config = Model(width, layers, context, headSize, positions);
        var train = new TrainConfig { BatchSize = batchSize, Tokens = 1, Tpp = null, Bf16 = bf16 };
        using var model = new Gpt(config, seed: 0, device: device);
        // The reference is PyTorch's per-parameter AdamW with one group per µP LR multiplier: the "before" of FlatAdamW.
        using var optimizer = referenceOptimizer ? null : new FlatAdamW(model, train);
        var reference = referenceOptimizer
            ? optim.AdamW(model.SpecifiedParameters().GroupBy(p => p.Spec.LrMultiplier)
                .Select(g => new TorchSharp.Modules.AdamW.ParamGroup(g.Select(p => p.Parameter), new TorchSharp.Modules.AdamW.Options { LearningRate = 1e-3 * g.Key }))
                .ToList(), 1e-3, 0.9, 0.95, 1e-8, 0)
            : null;
        var data = new Batches(new InMemoryTokens(SyntheticTokens(1 << 20)), batchSize, context, seed: 0);
        double fwd = 0, bwd = 0, opt = 0, dat = 0;
        int warmup = 3; // the first steps pay for allocator and kernel warm-up
        for (int step = 0; step < warmup + steps; step++)
        {
            using var scope = NewDisposeScope();
            var sw = Stopwatch.StartNew();
            var (x, y) = data.Get(step);
            if (device.type != DeviceType.CPU) (x, y) = (x.to(device), y.to(device));
            double t0 = sw.Elapsed.TotalMilliseconds;
            var loss = model.Loss(x, y);
            Sync(device);
            double t1 = sw.Elapsed.TotalMilliseconds;
            loss.backward();
            Sync(device);
            double t2 = sw.Elapsed.TotalMilliseconds;
            if (optimizer is not null)
            {
                optimizer.ClipAndNorm().Dispose();
                optimizer.Step(1e-3);
                optimizer.ZeroGrad();
            }
            else
            {
                nn.utils.clip_grad_norm_(model.parameters(), 1e30); // the same global-norm computation, per parameter
                reference!.step();
                reference.zero_grad();
            }
            _ = loss.item<float>();
            double t3 = sw.Elapsed.TotalMilliseconds;
            if (step < warmup) continue;
            (dat, fwd, bwd, opt) = (dat + t0, fwd + t1 - t0, bwd + t2 - t1, opt + t3 - t2);
        }
        double seconds = (dat + fwd + bwd + opt) / 1000;
        double tokensPerSecond = (double)steps * batchSize * context / seconds;
        double gflops = tokensPerSecond * config.TrainingFlopsPerToken(context) / 1e9;
        return new BenchResult(width, layers, context, batchSize, config.ParameterCount(), tokensPerSecond, gflops,
            100 * gflops / peakGflops, fwd / steps, bwd / steps, opt / steps, dat / steps, PeakRssMiB());
    }

    public sealed record SoakPoint(int Step, long LiveTensors, double RssMiB);

    /// <summary>
    /// Trains a small model for <paramref name="steps"/> steps through the real trainer's optimizer and dispose scopes,
    /// sampling live tensors and resident memory along the way: both must stay flat (no leak per step).
    /// </summary>
    public static List<SoakPoint> Soak(int steps, int every, Device device)
    {
        var config = new GptConfig { VocabSize = 256, ContextLength = 128, Layers = 2, Heads = 4, HeadSize = 16, BaseWidth = 64 };
        using var model = new Gpt(config, seed: 0, device: device);
        using var optimizer = new FlatAdamW(model, new TrainConfig { BatchSize = 16, Tokens = 1, Tpp = null });
        var data = new Batches(new InMemoryTokens(SyntheticTokens(1 << 18)), 16, config.ContextLength, seed: 0);
        var points = new List<SoakPoint>();
        for (int step = 1; step <= steps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                var (x, y) = data.Get(step);
                if (device.type != DeviceType.CPU) (x, y) = (x.to(device), y.to(device));
                var loss = model.Loss(x, y);
                loss.backward();
                optimizer.ClipAndNorm();
                optimizer.Step(1e-3);
                optimizer.ZeroGrad();
                _ = loss.item<float>();
            }
            if (step % every == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                points.Add(new SoakPoint(step, DisposeScopeManager.Statistics.ThreadTotalLiveCount, RssMiB()));
            }
        }
        return points;
    }

    /// <summary>Peak resident memory of this process (Linux VmHWM), in MiB; NaN elsewhere.</summary>
    public static double PeakRssMiB()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return double.NaN;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    /// <summary>Current resident memory (Linux VmRSS), in MiB; NaN elsewhere.</summary>
    public static double RssMiB()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return double.NaN;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    static int[] SyntheticTokens(int count)
    {
        var rng = new Random(0);
        return Enumerable.Range(0, count).Select(_ => rng.Next(256)).ToArray();
    }

    static void Sync(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize();
    }
}
