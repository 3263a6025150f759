using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>
/// Named single-run configurations for <c>train --preset</c>. Sweep presets (<see cref="SweepPresets"/>) build their
/// runs from the same model ladders.
/// </summary>
public static class RunPresets
{
    /// <summary>The CPU family: byte tokens, context 128, 2 blocks, head size 16, µP relative to d = 64.</summary>
    public static GptConfig CpuModel(int heads, int layers = 2) => new()
    {
        VocabSize = 256,       // byte-level tokens: no tokenizer training, tiny embedding tables
        ContextLength = 128,   // short context keeps attention cheap on 2 cores
        Layers = layers,       // shallow, so the width ladder spans a useful range of N in minutes
        Heads = heads,
        HeadSize = 16,         // small fixed head size: width still grows by whole heads
        BaseWidth = 64,        // µP base shape at the smoke model's width, where its LR was tuned
    };

    /// <summary>
    /// The paper's family on GPT-2 BPE at context 1024, depth 8, head size 64 (a GPU preset), with the authors' litgpt
    /// µP init that every language-model sweep uses, so a single paper run is the paper sweep's run.
    /// </summary>
    public static GptConfig PaperModel(int heads) => new() { Heads = heads, InitScheme = SweepPresets.LanguageModelInit };

    public static readonly string[] Names = ["smoke", "quick", "paper", "mlp"];

    public static RunSpec Get(string name) => name.Trim().ToLowerInvariant() switch
    {
        // Seconds on 2 cores; its loss must still fall well below ln 256 (tests rely on it).
        "smoke" => new RunSpec
        {
            Model = CpuModel(heads: 4),
            Train = new TrainConfig { Lr = 1e-2, BatchSize = 16, Tokens = 1_000_000, Tpp = null, EvalEvery = 50, EvalBatches = 8 },
        },
        // The quick sweep's scratch target on its own (the same spec, so the same run id, seed 0).
        "quick" => SweepPresets.Get("quick").Runs.Single(r => r.Method == Method.Scratch),
        // The authors' 32.3M model at 20 TPP with batch 64 × 1024 (meant for a GPU).
        "paper" => new RunSpec
        {
            Model = PaperModel(heads: 4),
            Data = new Data.CorpusData { Tokenizer = "gpt2" },
            Train = new TrainConfig { Lr = 3e-3, BatchSize = 64, Tpp = 20, EvalEvery = 25, EvalBatches = 25, Device = "auto", Bf16 = true, LogEvery = 25 },
        },
        // One dense MLP on the teacher–student task, 20 samples per parameter (seconds).
        "mlp" => new RunSpec
        {
            Model = new MlpConfig(), Data = new Data.TeacherConfig(),
            Train = new TrainConfig { Lr = 1e-2, BatchSize = 512, Tpp = 20, EvalEvery = 25, EvalBatches = 4 },
        },
        _ => throw new ArgumentException($"unknown preset '{name}': allowed are {string.Join(", ", Names)}"),
    };
}
