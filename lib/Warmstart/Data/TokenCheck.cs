using System.Collections.Concurrent;

namespace Warmstart.Data;

/// <summary>
/// Checks that every token id of a corpus fits the model's vocabulary before training starts: a pre-tokenised .bin
/// file may hold ids of another tokenizer (or not be tokens at all), which would otherwise fail deep inside the
/// embedding lookup. Scans once per file version (cached by path, size and write time).
/// </summary>
public static class TokenCheck
{
    static readonly ConcurrentDictionary<string, (long MaxId, long At)> Scanned = new();

    public static void Check(Corpus corpus, int vocab)
    {
        foreach (var (split, store) in new[] { ("training", corpus.Train), ("validation", corpus.Validation) })
        {
            var key = $"{corpus.Source}|{split}|{store.Length}|{Stamp(corpus.Source)}";
            var (max, at) = Scanned.GetOrAdd(key, _ => Max(store));
            if (max >= vocab)
                throw new ArgumentException(
                    $"data '{corpus.Source}' holds token id {max} (at {split} token {at:N0}) but the model's vocabulary has {vocab} ids (0 … {vocab - 1}): " +
                    "use the tokenizer the file was written with (--tokenizer, --vocab), or a uint16 .bin of that tokenizer's ids");
        }
    }

    /// <summary>The largest id and where it first occurs.</summary>
    static (long MaxId, long At) Max(ITokenStore store)
    {
        var buffer = new long[1 << 20];
        long max = -1, at = -1;
        for (long offset = 0; offset < store.Length; offset += buffer.Length)
        {
            var span = buffer.AsSpan(0, (int)Math.Min(buffer.Length, store.Length - offset));
            store.Read(offset, span);
            for (int i = 0; i < span.Length; i++)
                if (span[i] > max) (max, at) = (span[i], offset + i);
        }
        return (max, at);
    }

    static long Stamp(string source) =>
        File.Exists(source) ? File.GetLastWriteTimeUtc(source).Ticks
        : Directory.Exists(source) ? Directory.GetFiles(source, "*.bin").Sum(f => File.GetLastWriteTimeUtc(f).Ticks) : 0;
}
