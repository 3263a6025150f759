using System.Text.Json;
using System.Text.Json.Serialization;
using Warmstart.Data;
using Warmstart.Model;
using Warmstart.Runtime;

namespace Warmstart.Training;

/// <summary>
/// Everything that defines a training run; written to the run folder as config.json. A language-model run sets
/// <see cref="Model"/> (with <see cref="Data"/> and <see cref="Tokenizer"/>); an MLP run sets <see cref="Mlp"/> and
/// its teacher <see cref="Task"/> instead (and Model = null).
/// </summary>
public sealed record RunConfig
{
    public GptConfig? Model { get; init; } = new();
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MlpConfig? Mlp { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TeacherConfig? Task { get; init; }
    public TrainConfig Train { get; init; } = new();
    public string Data { get; init; } = Corpus.Embedded;  // "brown", a text file/folder, or a nanoGPT .bin folder
    public string Tokenizer { get; init; } = "byte";      // byte | gpt2
    public string? Init { get; init; }                     // a grown checkpoint folder to start from (null = fresh init)

    public RunConfig Validate()
    {
        Train.Validate();
        if ((Model is null) == (Mlp is null))
            throw new ArgumentException("a run trains exactly one model: a GPT (model) or an MLP (mlp with its teacher task)");
        if (Model is not null)
        {
            Model.Validate();
            var tokenizer = Tokenizers.Create(Tokenizer);
            if (Model.VocabSize < tokenizer.VocabSize)
                throw new ArgumentException($"the model's vocabulary ({Model.VocabSize}) is smaller than the {Tokenizer} tokenizer's ({tokenizer.VocabSize})");
        }
        else
        {
            Mlp!.Validate();
            var task = (Task ?? throw new ArgumentException("an MLP run needs its teacher task")).Validate();
            if (task.InputDim != Mlp.InputDim || task.Classes != Mlp.Classes)
                throw new ArgumentException($"the MLP ({Mlp.InputDim} inputs, {Mlp.Classes} classes) does not fit the teacher task ({task.InputDim} inputs, {task.Classes} classes)");
        }
        return this;
    }

    public IArchitecture Architecture() => Model is not null ? new GptArchitecture(Model) : new MlpArchitecture(Mlp!);

    public string Label() => Model?.Label() ?? Mlp!.Label();

    /// <summary>Training and validation batches: next-token windows of the corpus, or teacher samples.</summary>
    public ITrainingData OpenData(long seed)
    {
        int rows = Train.BatchSize / Train.MicroBatches;
        return Model is not null
            ? new LanguageModelData(Corpus.Open(Data, Tokenizer), rows, Model.ContextLength, seed)
            : new TeacherStudentData(Task!, rows, seed);
    }

    /// <summary>The config with settings that do not change the run's results blanked (device, threads, logging).</summary>
    public string IdentityJson() => JsonSerializer.Serialize(
        this with { Train = Train with { Device = "", Threads = 0, TensorBoard = false, LogEvery = 1, CheckpointEvery = 0 } },
        Files.Json);
}
