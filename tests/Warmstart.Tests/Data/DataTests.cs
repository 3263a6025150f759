using Warmstart.Data;

namespace Warmstart.Tests.Data;

public class DataTests
{
    public DataTests() => TestSupport.Init();

    [Fact]
    public void BrownIsEmbeddedWithAllGenresAndAHeldOutSplitByDocument()
    {
        var docs = BrownCorpus.Load();
        Assert.Equal(500, docs.Count);
        Assert.Equal(15, docs.Select(d => d.Group).Distinct().Count());
        Assert.DoesNotContain(docs, d => d.Text.Contains("/nn") || d.Text.Contains("/at ")); // tags stripped
        using var corpus = Corpus.Open("brown", "byte");
        long total = corpus.Train.Length + corpus.Validation.Length;
        Assert.InRange(corpus.Validation.Length / (double)total, 0.07, 0.13);
        Assert.InRange(total, 5_000_000, 7_000_000); // ~6 MB of text, one byte per token
    }

    [Fact]
    public void ValidationDocumentsCoverEveryGenreAndAreDeterministic()
    {
        var docs = BrownCorpus.Load();
        var val = docs.GroupBy(d => d.Group)
            .SelectMany(g => g.OrderBy(d => d.Id, StringComparer.Ordinal).Where((_, i) => BrownCorpus.IsValidation(i)))
            .Select(d => d.Id).ToHashSet();
        Assert.InRange(val.Count, 45, 55);
        Assert.Equal(15, val.Select(id => id[1]).Distinct().Count());
        Assert.Contains("ca06", val); // sixth press-reportage document, by the rule
    }

    [Fact]
    public void BrownDetokenisationStripsTagsAndRejoinsPunctuation()
    {
        var text = BrownCorpus.Detokenise("\n\n\tThe/at jury/nn said/vbd ``/`` no/at ''/'' ,/, he/pps said/vbd ./.\n");
        Assert.Equal("The jury said \"no\", he said.", text);
    }

    [Fact]
    public void BatchesAreAPureFunctionOfSeedAndStep()
    {
        var tokens = new InMemoryTokens(Enumerable.Range(0, 10_000).ToArray());
        var a = new Batches(tokens, 4, 32, seed: 1);
        var b = new Batches(tokens, 4, 32, seed: 1);
        var c = new Batches(tokens, 4, 32, seed: 2);
        var (x1, y1) = a.Get(7);
        var (x2, _) = b.Get(7);
        var (x3, _) = c.Get(7);
        var (x4, _) = a.Get(8);
        Assert.True(x1.equal(x2).all().item<bool>());
        Assert.False(x1.equal(x3).all().item<bool>());
        Assert.False(x1.equal(x4).all().item<bool>());
        Assert.True((y1.narrow(1, 0, 31) - x1.narrow(1, 1, 31)).abs().max().item<long>() == 0); // targets = inputs shifted by one
    }

    [Fact]
    public void ByteTokenizerRoundTripsUtf8()
    {
        var t = Tokenizers.Create("byte");
        var ids = t.Encode("naïve café");
        Assert.All(ids, i => Assert.InRange(i, 0, 255));
        Assert.Equal("naïve café", t.Decode(ids));
    }

    [Fact]
    public void Gpt2TokenizerGivesTheKnownIds()
    {
        var t = Tokenizers.Create("gpt2");
        Assert.Equal(new[] { 15496, 995 }, t.Encode("Hello world")); // the ids tiktoken's gpt2 encoding gives
        Assert.Equal(50257, t.VocabSize);
        Assert.Equal("Hello world", t.Decode([15496, 995]));
    }

    [Fact]
    public void UnknownTokenizerIsNamedWithTheAllowedOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Tokenizers.Create("sentencepiece"));
        Assert.Contains("'sentencepiece'", e.Message);
        Assert.Contains("byte, gpt2", e.Message);
    }

    [Fact]
    public void PreTokenisedBinFilesAreReadMemoryMapped()
    {
        using var dir = TestSupport.Temp();
        void Write(string name, int count, int offset)
        {
            using var w = new BinaryWriter(File.Create(dir[name]));
            for (int i = 0; i < count; i++) w.Write((ushort)((i + offset) % 50000));
        }
        Write("train.bin", 5000, 0);
        Write("val.bin", 1000, 7);
        using var corpus = Corpus.Open(dir.Path, "gpt2");
        Assert.IsType<MemoryMappedTokens>(corpus.Train);
        Assert.Equal(5000, corpus.Train.Length);
        var window = new long[4];
        corpus.Validation.Read(10, window);
        Assert.Equal(new long[] { 17, 18, 19, 20 }, window);
    }

    [Fact]
    public void TextFilesAndFoldersAreSplitIntoTrainingAndValidation()
    {
        using var dir = TestSupport.Temp();
        File.WriteAllText(dir["a.txt"], string.Join('\n', Enumerable.Range(0, 100).Select(i => $"line {i}")));
        using var single = Corpus.Open(dir["a.txt"], "byte");
        Assert.True(single.Validation.Length > 0 && single.Train.Length > 8 * single.Validation.Length);
        Directory.CreateDirectory(dir["folder"]);
        for (int i = 0; i < 12; i++) File.WriteAllText(dir[$"folder/doc{i:D2}.txt"], new string('x', 100));
        using var folder = Corpus.Open(dir["folder"], "byte");
        Assert.Equal(101, folder.Validation.Length); // doc05 (+ separator) held out
        Assert.Equal(11 * 101, folder.Train.Length);
    }

    [Fact]
    public void MissingOrEmptyDataGivesAClearError()
    {
        using var dir = TestSupport.Temp();
        var missing = Assert.Throws<FileNotFoundException>(() => Corpus.Open(dir["nope.txt"], "byte"));
        Assert.Contains("nope.txt", missing.Message);
        File.WriteAllText(dir["empty.txt"], "");
        var empty = Assert.Throws<ArgumentException>(() => Corpus.Open(dir["empty.txt"], "byte"));
        Assert.Contains("empty", empty.Message);
        File.WriteAllBytes(dir["odd.bin"], [1, 2, 3]);
        Assert.Throws<ArgumentException>(() => Corpus.Open(dir["odd.bin"], "byte"));
    }

    [Fact]
    public void ContextLongerThanTheDataIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Batches(new InMemoryTokens(new int[100]), 2, 128, 0));
        Assert.Contains("context 128 is longer than the data", e.Message);
    }
}
