using System.Diagnostics;
using TorchSharp;
using Warmstart.Data;
using Warmstart.Model;
using static TorchSharp.torch;

namespace Warmstart.Training;

/// <summary>
/// The model and batch a bench row trains: a GPT on the byte vocabulary with µP base width 64, at head size
/// <paramref name="HeadSize"/> (heads = width / head size).
/// </summary>
public sealed record BenchShape(int Width, int Layers = 4, int Context = 256, int BatchSize = 16, int HeadSize = 16,
    PositionKind Positions = PositionKind.Rotary, AttentionKernel Attention = AttentionKernel.Sdpa, bool Bf16 = false)
{
    /// <summary>The quick preset's target: d = 64 in 8 heads of 8, 2 blocks, context 128, batch 16.</summary>
    public static BenchShape Quick(AttentionKernel attention) => new(64, 2, 128, 16, 8, Attention: attention);

    public GptConfig Model() => new()
    {
        VocabSize = 256, ContextLength = Context, Layers = Layers, Heads = HeadSize > 0 ? Width / HeadSize : 0, HeadSize = HeadSize,
        BaseWidth = 64, Positions = Positions, Attention = Attention,
    };
}

/// <summary>One row of the <c>bench</c> table.</summary>
public sealed record BenchResult(
    int Width, int Layers, int Context, int BatchSize, long Params, double TokensPerSecond, double GflopsPerSecond,
    double PercentOfPeak, double ForwardMs, double BackwardMs, double OptimizerMs, double DataMs, double PeakRssMiB)
{
    public BenchShape? Shape { get; init; }
}

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
    public static double QuickPresetTokensPerSecond(int steps, Device device, AttentionKernel attention = AttentionKernel.Sdpa) =>
        Run([BenchShape.Quick(attention)], steps, device, double.NaN)[0].TokensPerSecond;

    /// <summary>Checks every shape before anything is measured: one clear line for a bad value, nothing half-printed.</summary>
    public static void Validate(IReadOnlyList<BenchShape> shapes, int steps, string device = "cpu")
    {
        if (steps < 1) throw new ArgumentException($"--steps must be ≥ 1 (timed steps per size), got {steps}");
        if (shapes.Count == 0) throw new ArgumentException("--widths needs at least one width");
        foreach (var shape in shapes)
        {
            if (shape.HeadSize <= 0) throw new ArgumentException($"--head-size must be a positive whole number, got {shape.HeadSize}");
            if (shape.BatchSize <= 0) throw new ArgumentException($"--batch-size must be a positive number of sequences, got {shape.BatchSize}");
            if (shape.Width <= 0 || shape.Width % shape.HeadSize != 0)
                throw new ArgumentException($"--widths: {shape.Width} is not allowed: widths must be positive multiples of the head size {shape.HeadSize} (e.g. {shape.HeadSize * 4})");
            var config = shape.Model().Validate();
            MemoryEstimate.ForGpt(config, shape.BatchSize, shape.Bf16).EnsureFits(device);
        }
    }

    /// <summary>
    /// Trains every shape for <paramref name="steps"/> timed steps in lockstep — one step of each in turn — and reports
    /// each from its median step: a shared VM's speed drifts by tens of percent within a minute, and lockstep makes the
    /// drift hit every shape alike, so the ratios between rows hold even when the absolute figures wander.
    /// </summary>
    public static List<BenchResult> Run(IReadOnlyList<BenchShape> shapes, int steps, Device device, double peakGflops, bool referenceOptimizer = false)
    {
        Validate(shapes, steps, device.type == DeviceType.CUDA ? "cuda" : "cpu");
        var trainees = shapes.Select(s => new Trainee(s, device, referenceOptimizer)).ToList();
        try
        {
            const int warmup = 3; // the first steps pay for allocator, kernel and JIT warm-up
            for (int step = 0; step < warmup + steps; step++)
                foreach (var trainee in trainees) trainee.Step(step, timed: step >= warmup);
            return trainees.Select(t => t.Result(peakGflops)).ToList();
        }
        finally
        {
            foreach (var trainee in trainees) trainee.Dispose();
        }
    }

    /// <summary>One shape's model, optimizer and data, and the phase times of its timed steps.</summary>
    sealed class Trainee : IDisposable
    {
        readonly BenchShape shape;
        readonly Device device;
        readonly Gpt model;
        readonly FlatAdamW? optimizer;
        readonly TorchSharp.Modules.AdamW? reference;
        readonly Batches data;
        readonly List<(double Data, double Forward, double Backward, double Optimizer)> times = [];

        public Trainee(BenchShape shape, Device device, bool referenceOptimizer)
        {
            (this.shape, this.device) = (shape, device);
            model = new Gpt(shape.Model(), seed: 0, device: device);
            var train = new TrainConfig { BatchSize = shape.BatchSize, Tokens = 1, Tpp = null, Bf16 = shape.Bf16 };
            // The reference is PyTorch's per-parameter AdamW with one group per µP LR multiplier: the "before" of FlatAdamW.
            if (referenceOptimizer)
                reference = optim.AdamW(model.SpecifiedParameters().GroupBy(p => p.Spec.LrMultiplier)
                    .Select(g => new TorchSharp.Modules.AdamW.ParamGroup(g.Select(p => p.Parameter), new TorchSharp.Modules.AdamW.Options { LearningRate = 1e-3 * g.Key }))
                    .ToList(), 1e-3, 0.9, 0.95, 1e-8, 0);
            else optimizer = new FlatAdamW(model, train);
            data = new Batches(new InMemoryTokens(SyntheticTokens(1 << 20)), shape.BatchSize, shape.Context, seed: 0);
        }

        public void Step(int step, bool timed)
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
            if (timed) times.Add((t0, t1 - t0, t2 - t1, t3 - t2));
        }

        public BenchResult Result(double peakGflops)
        {
            var config = shape.Model();
            double stepMs = Median(times.Select(t => t.Data + t.Forward + t.Backward + t.Optimizer));
            double tokensPerSecond = shape.BatchSize * shape.Context / (stepMs / 1000);
            double gflops = tokensPerSecond * config.TrainingFlopsPerToken(shape.Context) / 1e9;
            return new BenchResult(shape.Width, shape.Layers, shape.Context, shape.BatchSize, config.ParameterCount(), tokensPerSecond, gflops,
                100 * gflops / peakGflops, Median(times.Select(t => t.Forward)), Median(times.Select(t => t.Backward)),
                Median(times.Select(t => t.Optimizer)), Median(times.Select(t => t.Data)), PeakRssMiB()) { Shape = shape };
        }

        public void Dispose()
        {
            optimizer?.Dispose();
            reference?.Dispose();
            model.Dispose();
        }
    }

    /// <summary>The middle value (the mean of the two middle ones for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) throw new ArgumentException("the median of no values is undefined");
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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
