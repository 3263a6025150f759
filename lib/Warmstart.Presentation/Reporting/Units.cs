namespace Warmstart.Reporting;

/// <summary>
/// The units a figure's axes carry. Result tables do not record the tokenizer, so a figure takes it as an argument
/// (<see cref="ByteTokenizer"/> unless told: every CPU study reads the corpus byte by byte); the report reads it from
/// the runs' specs. MLPs are recognised by their model label and always count samples.
/// </summary>
public static class Units
{
    public const string ByteTokenizer = "byte";

    /// <summary>True for the dense MLP family's model labels ("MLP w64×3 (15.2k)").</summary>
    public static bool IsMlp(string model) => model.StartsWith("MLP", StringComparison.Ordinal);

    /// <summary>The unit of a cross-entropy loss: per sample (MLPs), per byte (byte tokens) or per token (BPE).</summary>
    public static string Loss(string model, string tokenizer = ByteTokenizer) =>
        IsMlp(model) ? "nats per sample" : tokenizer == ByteTokenizer ? "nats per byte" : "nats per token";

    /// <summary>The loss unit of a set of models: one unit, or "a / b" where the figure mixes families.</summary>
    public static string Loss(IEnumerable<string> models, string tokenizer = ByteTokenizer)
    {
        var units = models.Select(m => Loss(m, tokenizer)).Distinct().Order(StringComparer.Ordinal).ToList();
        return units.Count == 0 ? Loss("", tokenizer) : string.Join(" / ", units);
    }

    /// <summary>What the data size D counts: samples for MLPs, tokens for language models.</summary>
    public static string Data(IEnumerable<string> models) => models.Any(IsMlp) ? "samples" : "tokens";
}
