using System.Globalization;
using Warmstart.Model;

namespace Warmstart.Training;

/// <summary>
/// A rough upper estimate of the memory a training step needs, computed from the config alone (in doubles, so absurd
/// sizes cannot overflow), so a run that cannot fit is refused before anything is allocated or written.
/// </summary>
public sealed record MemoryEstimate(double Params, double StateBytes, double ActivationBytes, string Batch, string Shape)
{
    /// <summary>The flat optimizer fills per-element scales in one .NET array, so N is bounded by an array's length.</summary>
    public const double MaxParams = int.MaxValue;

    // fp32: weights, grads, 2 Adam moments, the update's scratch and the LR scale (24 B) plus the host arrays that build
    // them (8 B); bf16 adds the bf16 weight and gradient copies the model runs on (4 B).
    const double BytesPerParam = 32, Bf16ExtraBytesPerParam = 4;

    public double TotalBytes => StateBytes + ActivationBytes;
    public string Job { get; init; } = "run";                                  // what needs the memory: "run" or "growth"
    public string StateNote { get; init; } = "with gradients and Adam state";  // what the state bytes hold

    /// <summary>A GPT step on <paramref name="rows"/> sequences (one micro-batch): state plus saved activations.</summary>
    public static MemoryEstimate ForGpt(GptConfig m, int rows, bool bf16)
    {
        double d = (double)m.Heads * m.HeadSize, v = m.VocabSize, t = m.ContextLength, l = m.Layers, f = (double)m.MlpRatio * d;
        double block = 4 * d * d + (m.Mlp == MlpKind.SwiGlu ? 3 : 2) * d * f + f + 9 * d; // attention, MLP, norms and biases
        double p = 2 * v * d + l * block + 2 * d + (m.Positions == PositionKind.Learned ? t * d : 0);
        if (p < 1e17) p = m.ParameterCount(); // exact where long arithmetic cannot overflow
        double element = bf16 ? 2 : 4;
        // Saved activations per block (Korthikanti et al. 2022): s·b·d·(34 + 5·a·s/d) half-precision bytes, scaled to the
        // element size; plus logits, their softmax and gradient.
        double perBlock = t * rows * d * (17 + 2.5 * m.Heads * t / d) * element;
        double logits = 3 * rows * t * v * 4;
        return new MemoryEstimate(p, StateFor(p, bf16), l * perBlock + logits, $"{rows} × {m.ContextLength} tokens",
            $"{m.Layers} layers × {m.Heads} heads × {m.HeadSize} dims, vocabulary {m.VocabSize}");
    }

    /// <summary>An MLP step on <paramref name="rows"/> samples.</summary>
    public static MemoryEstimate ForMlp(MlpConfig m, int rows, bool bf16)
    {
        double w = m.Width, p = m.InputDim * w + m.Depth * w * w + w * m.Classes + (m.Depth + 1) * w + m.Classes;
        if (p < 1e17) p = m.ParameterCount();
        double activations = 4.0 * rows * (m.InputDim + (m.Depth + 1) * w * 3 + 3 * m.Classes);
        return new MemoryEstimate(p, StateFor(p, bf16), activations, $"{rows} samples", $"{m.Depth} hidden layers × {m.Width} units");
    }

    public static MemoryEstimate For(RunSpec spec)
    {
        int rows = spec.Train.BatchSize / Math.Max(1, spec.Train.MicroBatches);
        return spec.Model switch
        {
            GptConfig gpt => ForGpt(gpt, rows, spec.Train.Bf16),
            MlpConfig mlp => ForMlp(mlp, rows, spec.Train.Bf16),
            var other => throw new ArgumentException($"no memory estimate for {other.Label()}"),
        };
    }

    /// <summary>
    /// Growing into <paramref name="target"/> on the CPU: the grown weights and the operator's copies (8 B a parameter)
    /// and no-grad evaluation batches (nothing saved for backward: about a third of a training step's activations),
    /// not the training state, which a GPU may hold later.
    /// </summary>
    public static MemoryEstimate ForGrowth(RunSpec target)
    {
        var train = For(target with { Train = target.Train with { Bf16 = false } });
        return train with { StateBytes = 8 * train.Params, ActivationBytes = train.ActivationBytes / 3, Job = "growth", StateNote = "with the growth operator's copies" };
    }

    static double StateFor(double p, bool bf16) => p * (BytesPerParam + (bf16 ? Bf16ExtraBytesPerParam : 0));

    /// <summary>
    /// Throws ArgumentException when N exceeds what the optimizer can hold, or the estimate exceeds the memory
    /// available to this process. GPU memory is not queried: a CUDA run is checked for N only.
    /// </summary>
    public void EnsureFits(string device)
    {
        if (Params > MaxParams)
            throw new ArgumentException(
                $"the model ({Shape}) has {Count(Params)} parameters; the trainer's flat optimizer holds at most {MaxParams:N0}: make --layers, --heads or --vocab smaller");
        if (device.Trim().StartsWith("cuda", StringComparison.OrdinalIgnoreCase)) return;
        double available = AvailableBytes();
        if (TotalBytes > available)
            throw new ArgumentException(
                $"this {Job} needs about {Size(TotalBytes)} of memory ({Size(StateBytes)} for {Count(Params)} parameters ({Shape}) {StateNote}, " +
                $"{Size(ActivationBytes)} of activations for {Batch}) but {Size(available)} is available: " +
                "make the model (--layers, --heads, --vocab), --batch-size or --context smaller, or split the batch with --micro-batches");
    }

    /// <summary>Memory this process can still use: /proc/meminfo's MemAvailable, capped by the GC's limit (containers); the GC's figure elsewhere.</summary>
    public static double AvailableBytes()
    {
        double limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            if (line is not null && double.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var kb))
                return Math.Min(kb * 1024, limit);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return limit;
    }

    static string Count(double n) => n switch
    {
        >= 1e12 => $"{n / 1e12:0.#} T", >= 1e9 => $"{n / 1e9:0.#} G", >= 1e6 => $"{n / 1e6:0.#} M", _ => $"{n:N0}",
    };

    public static string Size(double bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (1L << 40):G3} TiB",
        >= 1L << 30 => $"{bytes / (1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (1L << 20):0} MiB",
        _ => $"{bytes / 1024:0} KiB",
    };
}
