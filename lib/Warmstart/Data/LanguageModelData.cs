using static TorchSharp.torch;

namespace Warmstart.Data;

/// <summary>Next-token batches of <c>rows × context</c> tokens from a corpus's training and validation splits.</summary>
public sealed class LanguageModelData : ITrainingData
{
    /// <summary>Validation windows use their own fixed seed, so every run on the same data is scored on the same tokens.</summary>
    public const long ValidationSeed = 0x5EED;

    readonly Corpus corpus;
    readonly Batches train, validation;

    public LanguageModelData(Corpus corpus, int rows, int context, long seed)
    {
        this.corpus = corpus;
        try { train = new Batches(corpus.Train, rows, context, seed); }
        catch (ArgumentException e) { throw new ArgumentException($"data '{corpus.Source}', training split: {e.Message}", e); }
        try { validation = new Batches(corpus.Validation, rows, context, ValidationSeed); }
        catch (ArgumentException e) { throw new ArgumentException($"data '{corpus.Source}', validation split: {e.Message}", e); }
    }

    public string Description => $"{corpus.Source} ({corpus.Tokenizer.Name}; {corpus.Train.Length:N0} train / {corpus.Validation.Length:N0} val tokens)";
    public int TokensPerRow => train.Context;
    /// <summary>Throws ArgumentException when a token id does not fit a vocabulary of <paramref name="vocab"/> ids.</summary>
    public void CheckTokenIds(int vocab) => TokenCheck.Check(corpus, vocab);
    public (Tensor Input, Tensor Target) TrainBatch(long step, int micro) => train.Get(step, micro);
    public (Tensor Input, Tensor Target) ValidationBatch(int index) => validation.Get(index);
    public void Dispose() => corpus.Dispose();
}
