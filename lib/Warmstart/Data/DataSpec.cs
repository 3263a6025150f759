using System.Text.Json.Serialization;
using Warmstart.Model;

namespace Warmstart.Data;

/// <summary>
/// What a run trains on: a text corpus with a tokenizer (language models) or a teacher task (MLPs). Each kind knows
/// which model family it feeds and checks that a model fits it, so models need not know about data. In JSON the
/// kind is the "kind" field ("corpus" or "teacher").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CorpusData), "corpus")]
[JsonDerivedType(typeof(TeacherConfig), "teacher")]
public abstract record DataSpec
{
    /// <summary>A short description for progress lines ("brown (byte)", "teacher T = 0.25").</summary>
    public abstract string Describe();

    /// <summary>Checks that <paramref name="model"/> can train on this data without opening it (family, vocabulary, input size, classes).</summary>
    public abstract void CheckFits(ModelConfig model);

    /// <summary>Training and validation batches of <paramref name="rows"/> rows for <paramref name="model"/> (checks that it fits).</summary>
    public abstract ITrainingData Open(ModelConfig model, int rows, long seed);

    /// <summary>The refusal of a model of a family this data does not feed: it names what that family trains on.</summary>
    protected ArgumentException NotItsFamily(ModelConfig model) => new(model switch
    {
        GptConfig => $"a GPT trains on a text corpus, not on {Describe()}",
        MlpConfig => $"an MLP trains on a teacher task, not on {Describe()}",
        _ => $"{model.Label()} does not train on {Describe()}",
    });
}

/// <summary>A text corpus and its tokenizer: see <see cref="Corpus.Open"/> for the sources.</summary>
public sealed record CorpusData : DataSpec
{
    public string Source { get; init; } = Corpus.Embedded; // "brown", a text file/folder, or a nanoGPT .bin folder
    public string Tokenizer { get; init; } = "byte";       // byte | gpt2

    public override string Describe() => $"{Source} ({Tokenizer})";

    /// <summary>A text corpus feeds a GPT whose vocabulary holds its tokenizer's.</summary>
    public override void CheckFits(ModelConfig model) => Fitting(model);

    public override ITrainingData Open(ModelConfig model, int rows, long seed) =>
        new LanguageModelData(Corpus.Open(Source, Tokenizer), rows, Fitting(model).ContextLength, seed);

    GptConfig Fitting(ModelConfig model)
    {
        var gpt = model as GptConfig ?? throw NotItsFamily(model);
        var tokenizer = Tokenizers.Create(Tokenizer);
        if (gpt.VocabSize < tokenizer.VocabSize)
            throw new ArgumentException($"the model's vocabulary ({gpt.VocabSize}) is smaller than the {Tokenizer} tokenizer's ({tokenizer.VocabSize})");
        return gpt;
    }
}
