using System.Text.Json.Serialization;

namespace Warmstart.Data;

/// <summary>
/// What a run trains on: a text corpus with a tokenizer (language models) or a teacher task (MLPs). In JSON the
/// kind is the "kind" field ("corpus" or "teacher").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(CorpusData), "corpus")]
[JsonDerivedType(typeof(TeacherConfig), "teacher")]
public abstract record DataSpec
{
    /// <summary>A short description for progress lines ("brown (byte)", "teacher T = 0.25").</summary>
    public abstract string Describe();
}

/// <summary>A text corpus and its tokenizer: see <see cref="Corpus.Open"/> for the sources.</summary>
public sealed record CorpusData : DataSpec
{
    public string Source { get; init; } = Corpus.Embedded; // "brown", a text file/folder, or a nanoGPT .bin folder
    public string Tokenizer { get; init; } = "byte";       // byte | gpt2

    public override string Describe() => $"{Source} ({Tokenizer})";
}
