using static TorchSharp.torch;

namespace Warmstart.Data;

/// <summary>
/// Where the trainer's batches come from. Batches are pure functions of (step, micro-batch) or of the validation
/// index, so runs are reproducible and resumable without saving any sampler state.
/// </summary>
public interface ITrainingData : IDisposable
{
    /// <summary>Human-readable source, e.g. "brown (byte)".</summary>
    string Description { get; }

    /// <summary>Tokens (or samples) one batch row stands for: the context length for a language model.</summary>
    int TokensPerRow { get; }

    /// <summary>Training batch for optimizer step <paramref name="step"/>, micro-batch <paramref name="micro"/> (CPU tensors).</summary>
    (Tensor Input, Tensor Target) TrainBatch(long step, int micro);

    /// <summary>The <paramref name="index"/>-th fixed validation batch (the same for every run on this data).</summary>
    (Tensor Input, Tensor Target) ValidationBatch(int index);
}
