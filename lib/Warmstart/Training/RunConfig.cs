using System.Text.Json;
using Warmstart.Data;
using Warmstart.Model;
using Warmstart.Runtime;

namespace Warmstart.Training;

/// <summary>Everything that defines a training run; written to the run folder as config.json.</summary>
public sealed record RunConfig
{
    public GptConfig Model { get; init; } = new();
    public TrainConfig Train { get; init; } = new();
    public string Data { get; init; } = Corpus.Embedded;  // "brown", a text file/folder, or a nanoGPT .bin folder
    public string Tokenizer { get; init; } = "byte";      // byte | gpt2
    public string? Init { get; init; }                     // a grown checkpoint folder to start from (null = fresh init)

    public RunConfig Validate()
    {
        Model.Validate();
        Train.Validate();
        var tokenizer = Tokenizers.Create(Tokenizer);
        if (Model.VocabSize < tokenizer.VocabSize)
            throw new ArgumentException($"the model's vocabulary ({Model.VocabSize}) is smaller than the {Tokenizer} tokenizer's ({tokenizer.VocabSize})");
        if (Train.BatchSize % Train.MicroBatches != 0)
            throw new ArgumentException($"batch size {Train.BatchSize} is not divisible by {Train.MicroBatches} micro-batches");
        return this;
    }

    /// <summary>The config with settings that do not change the run's results blanked (device, threads, logging).</summary>
    public string IdentityJson() => JsonSerializer.Serialize(
        this with { Train = Train with { Device = "", Threads = 0, TensorBoard = false, LogEvery = 1, CheckpointEvery = 0 } },
        Files.Json);
}
