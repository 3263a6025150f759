using System.Collections.Concurrent;

namespace Warmstart.Data;

/// <summary>
/// Training and validation tokens for one data source and tokenizer. Sources:
/// <list type="bullet">
/// <item><c>brown</c>: the embedded Brown corpus, split by document within each genre (~10% validation);</item>
/// <item>a folder with <c>train.bin</c> and <c>val.bin</c>: nanoGPT's pre-tokenised uint16 layout, memory-mapped;</item>
/// <item>a <c>.bin</c> file: the same layout, its last 10% held out;</item>
/// <item>a folder of UTF-8 text files: each file a document, every tenth file (by name) held out;</item>
/// <item>a UTF-8 text file: the last 10% of its lines held out.</item>
/// </list>
/// Each document is followed by the tokenizer's separator. Tokenised text is cached per process.
/// </summary>
public sealed class Corpus : IDisposable
{
    public const string Embedded = "brown";
    static readonly ConcurrentDictionary<string, (int[] Train, int[] Val)> Cache = new();

    public string Source { get; }
    public ITokenizer Tokenizer { get; }
    public ITokenStore Train { get; }
    public ITokenStore Validation { get; }

    Corpus(string source, ITokenizer tokenizer, ITokenStore train, ITokenStore validation)
    {
        (Source, Tokenizer, Train, Validation) = (source, tokenizer, train, validation);
        if (train.Length == 0) throw new ArgumentException($"data '{source}' has no training tokens");
        if (validation.Length == 0) throw new ArgumentException($"data '{source}' has no validation tokens");
    }

    public static Corpus Open(string data, string tokenizerName)
    {
        var tokenizer = Tokenizers.Create(tokenizerName);
        if (string.IsNullOrWhiteSpace(data))
            throw new ArgumentException("no data given: use 'brown', a UTF-8 text file, a folder of text files, or a folder with train.bin/val.bin");
        if (data.Trim().Equals(Embedded, StringComparison.OrdinalIgnoreCase))
            return FromDocuments(Embedded, tokenizer, () => SplitByGroup(BrownCorpus.Load()));

        var path = Path.GetFullPath(data);
        if (Directory.Exists(path))
        {
            var train = Path.Combine(path, "train.bin");
            var val = Path.Combine(path, "val.bin");
            if (File.Exists(train) || File.Exists(val))
            {
                if (!File.Exists(val)) throw new ArgumentException($"'{path}' has train.bin but no val.bin (nanoGPT layout needs both)");
                if (!File.Exists(train)) throw new ArgumentException($"'{path}' has val.bin but no train.bin (nanoGPT layout needs both)");
                return new Corpus(path, tokenizer, new MemoryMappedTokens(train), new MemoryMappedTokens(val));
            }
            var files = Directory.GetFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".bin", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (files.Count == 0) throw new ArgumentException($"data folder '{path}' holds no text files");
            if (files.Count == 1) return Open(files[0], tokenizerName);
            // Ten or more files: every tenth (from the sixth) is held out; fewer: the last one is.
            bool IsValidation(int i) => files.Count >= 10 ? BrownCorpus.IsValidation(i) : i == files.Count - 1;
            return FromDocuments(path + Stamp(files), tokenizer, () =>
            {
                var docs = files.Select(f => new Document(Path.GetRelativePath(path, f), "", ReadText(f))).ToList();
                return (docs.Where((_, i) => !IsValidation(i)).ToList(), docs.Where((_, i) => IsValidation(i)).ToList());
            }, sourceName: path);
        }
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"data '{data}' not found: use 'brown', a UTF-8 text file, a folder of text files, or a folder with train.bin/val.bin", path);
        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            var all = new MemoryMappedTokens(path);
            long cut = all.Length - Math.Max(1, all.Length / 10);
            return new Corpus(path, tokenizer, new SliceTokens(all, 0, cut, owns: true), new SliceTokens(all, cut, all.Length - cut, owns: false));
        }
        return FromDocuments(path + Stamp([path]), tokenizer, () =>
        {
            var lines = ReadText(path).Split('\n');
            int cut = lines.Length - Math.Max(1, lines.Length / 10);
            if (lines.Length < 2) throw new ArgumentException($"text file '{path}' has a single line: it cannot be split into training and validation");
            return ([new Document("train", "", string.Join('\n', lines[..cut]))], [new Document("val", "", string.Join('\n', lines[cut..]))]);
        }, sourceName: path);
    }

    static string ReadText(string file)
    {
        var text = File.ReadAllText(file);
        if (text.Length == 0) throw new ArgumentException($"data file '{file}' is empty");
        return text;
    }

    static string Stamp(IEnumerable<string> files) =>
        "|" + string.Join(",", files.Select(f => File.GetLastWriteTimeUtc(f).Ticks + ":" + new FileInfo(f).Length));

    static (List<Document> Train, List<Document> Val) SplitByGroup(IReadOnlyList<Document> docs)
    {
        var train = new List<Document>();
        var val = new List<Document>();
        foreach (var group in docs.GroupBy(d => d.Group))
        {
            int i = 0;
            foreach (var doc in group.OrderBy(d => d.Id, StringComparer.Ordinal))
                (BrownCorpus.IsValidation(i++) ? val : train).Add(doc);
        }
        return (train, val);
    }

    static Corpus FromDocuments(string cacheKey, ITokenizer tokenizer,
        Func<(List<Document> Train, List<Document> Val)> split, string? sourceName = null)
    {
        var (train, val) = Cache.GetOrAdd(cacheKey + "#" + tokenizer.Name, _ =>
        {
            var (t, v) = split();
            return (Tokenise(t, tokenizer), Tokenise(v, tokenizer));
        });
        return new Corpus(sourceName ?? cacheKey, tokenizer, new InMemoryTokens(train), new InMemoryTokens(val));
    }

    static int[] Tokenise(IEnumerable<Document> docs, ITokenizer tokenizer)
    {
        var ids = new List<int>();
        foreach (var doc in docs)
        {
            ids.AddRange(tokenizer.Encode(doc.Text));
            ids.Add(tokenizer.DocumentSeparator);
        }
        return ids.ToArray();
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
    }

    /// <summary>A window of another store (for a single .bin file split into train and validation).</summary>
    sealed class SliceTokens(ITokenStore inner, long start, long length, bool owns) : ITokenStore
    {
        public long Length => length;
        public void Read(long offset, Span<long> destination) => inner.Read(start + offset, destination);
        public void Dispose() { if (owns) inner.Dispose(); }
    }
}
