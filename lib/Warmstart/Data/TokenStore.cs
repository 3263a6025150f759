using System.IO.MemoryMappedFiles;

namespace Warmstart.Data;

/// <summary>A read-only sequence of token ids that batches are cut from.</summary>
public interface ITokenStore : IDisposable
{
    long Length { get; }
    /// <summary>Copies tokens [offset, offset + destination.Length) into <paramref name="destination"/>.</summary>
    void Read(long offset, Span<long> destination);
}

/// <summary>Tokens held in memory (the embedded corpus and tokenised text files).</summary>
public sealed class InMemoryTokens(int[] tokens) : ITokenStore
{
    public long Length => tokens.Length;
    public void Read(long offset, Span<long> destination)
    {
        var source = tokens.AsSpan((int)offset, destination.Length);
        for (int i = 0; i < source.Length; i++) destination[i] = source[i];
    }
    public void Dispose() { }
}

/// <summary>
/// A pre-tokenised file in nanoGPT's .bin layout (raw little-endian uint16 ids, no header), memory-mapped so corpora
/// larger than RAM work; only the windows a batch needs are paged in.
/// </summary>
public sealed class MemoryMappedTokens : ITokenStore
{
    readonly MemoryMappedFile file;
    readonly MemoryMappedViewAccessor view;

    public MemoryMappedTokens(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"token file '{path}' does not exist", path);
        if (info.Length == 0) throw new ArgumentException($"token file '{path}' is empty");
        if (info.Length % 2 != 0)
            throw new ArgumentException($"token file '{path}' has {info.Length} bytes: a uint16 .bin file must have an even size");
        Length = info.Length / 2;
        file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
    }

    public long Length { get; }

    public void Read(long offset, Span<long> destination)
    {
        var buffer = new ushort[destination.Length];
        view.ReadArray(offset * 2, buffer, 0, buffer.Length);
        for (int i = 0; i < buffer.Length; i++) destination[i] = buffer[i];
    }

    public void Dispose()
    {
        view.Dispose();
        file.Dispose();
    }
}
