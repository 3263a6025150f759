using static TorchSharp.torch;

namespace Warmstart.Data;

/// <summary>
/// Deterministic batches: the window for (seed, step, micro-batch, row) is a pure function of those four numbers
/// (a SplitMix64 hash), so a resumed run draws exactly the batches the uninterrupted run would have, with no RNG
/// state to save, and batches can be prepared ahead on another thread in any order.
/// </summary>
public sealed class Batches
{
    readonly ITokenStore tokens;
    readonly int rows, context;
    readonly ulong seed;

    public Batches(ITokenStore tokens, int rows, int context, long seed)
    {
        if (rows <= 0) throw new ArgumentException($"batch rows must be positive, got {rows}");
        if (context <= 0) throw new ArgumentException($"context must be positive, got {context}");
        if (tokens.Length < context + 1)
            throw new ArgumentException(
                $"context {context} is longer than the data: a window needs {context + 1} tokens but the split has {tokens.Length}");
        (this.tokens, this.rows, this.context, this.seed) = (tokens, rows, context, (ulong)seed);
    }

    public int Rows => rows;
    public int Context => context;

    /// <summary>Inputs and next-token targets, each (rows, context) int64 on the CPU.</summary>
    public (Tensor Input, Tensor Target) Get(long step, int micro = 0)
    {
        long span = tokens.Length - context; // last valid start
        var buffer = new long[rows * (context + 1)];
        for (int r = 0; r < rows; r++)
        {
            ulong h = Hash(seed, (ulong)step, (ulong)micro, (ulong)r);
            long start = (long)(h % (ulong)span);
            tokens.Read(start, buffer.AsSpan(r * (context + 1), context + 1));
        }
        using var all = tensor(buffer, [rows, context + 1]);
        return (all.narrow(1, 0, context).contiguous(), all.narrow(1, 1, context).contiguous());
    }

    public static ulong Hash(params ulong[] values)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (var v in values) h = SplitMix(h ^ SplitMix(v + 0x632BE59BD9B4E019UL));
        return h;
    }

    static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
