using Microsoft.ML.Tokenizers;

namespace Warmstart.Data;

/// <summary>Text ↔ token ids. Vocabulary sizes are the tokenizer's own; the model's may be padded larger.</summary>
public interface ITokenizer
{
    string Name { get; }
    int VocabSize { get; }
    /// <summary>Id appended after each document (a document boundary the model can learn).</summary>
    int DocumentSeparator { get; }
    IReadOnlyList<int> Encode(string text);
    string Decode(IEnumerable<int> ids);
}

/// <summary>UTF-8 bytes as tokens (vocab 256): no training data needed, tiny embedding tables — the CPU default.</summary>
public sealed class ByteTokenizer : ITokenizer
{
    public string Name => "byte";
    public int VocabSize => 256;
    public int DocumentSeparator => '\n';
    public IReadOnlyList<int> Encode(string text) => System.Text.Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();
    public string Decode(IEnumerable<int> ids) =>
        System.Text.Encoding.UTF8.GetString(ids.Select(i => (byte)Math.Clamp(i, 0, 255)).ToArray());
}

/// <summary>GPT-2's BPE (50,257 tokens) via Microsoft.ML.Tokenizers' tiktoken implementation; the paper's tokenizer.</summary>
public sealed class Gpt2Tokenizer : ITokenizer
{
    readonly Tokenizer inner = TiktokenTokenizer.CreateForModel("gpt2");
    public string Name => "gpt2";
    public int VocabSize => 50257;
    public int DocumentSeparator => 50256; // <|endoftext|>
    public IReadOnlyList<int> Encode(string text) => inner.EncodeToIds(text);
    public string Decode(IEnumerable<int> ids) => inner.Decode(ids);
}

public static class Tokenizers
{
    public static readonly string[] Names = ["byte", "gpt2"];

    public static ITokenizer Create(string name) => name.Trim().ToLowerInvariant() switch
    {
        "byte" => new ByteTokenizer(),
        "gpt2" => new Gpt2Tokenizer(),
        _ => throw new ArgumentException($"unknown tokenizer '{name}': allowed are {string.Join(", ", Names)}"),
    };
}
