using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Warmstart.Model;

/// <summary>
/// The 8-dim head, the quick studies' shape: one Vector256 holds a head, so the kernel puts eight queries in the lanes
/// instead of eight keys. Every step is then a vertical vector op — no per-row horizontal max or sum, no per-row calls —
/// and a block's eight dims live in registers as eight accumulators. Rows enter and leave through 8 × 8 transposes,
/// and RoPE is two FMAs and a lane permutation per row. The backward stores the block's probabilities and score
/// gradients (T × T floats each) so that dK and dV are sums over queries read in the same lane layout.
/// </summary>
public static unsafe partial class AttentionKernels
{
    const int Head = 8;

    /// <summary>One head's rows for the 8-dim path: Q̃' (and dO) in blocks of eight queries (dims × lanes), K̃ and V by rows.</summary>
    ref struct BlockWorkspace
    {
        public readonly int T, Blocks;
        public float* Qt, K, V, DOt, Delta, P, DS;
        readonly void* block;

        public BlockWorkspace(int time, bool backward)
        {
            T = time;
            Blocks = (time + Lanes - 1) / Lanes;
            nuint padded = (nuint)(Blocks * Lanes), rows = (nuint)(time * Head), blocked = padded * Head;
            nuint floats = blocked + 2 * rows + (backward ? blocked + padded + 2 * padded * (nuint)time : 0);
            block = NativeMemory.AlignedAlloc(floats * sizeof(float), 32);
            var p = (float*)block;
            Qt = p; p += blocked;
            K = p; p += rows;
            V = p; p += rows;
            if (!backward) return;
            DOt = p; p += blocked;
            Delta = p; p += padded;
            P = p; p += padded * (nuint)time;
            DS = p;
        }

        public void Free() => NativeMemory.AlignedFree(block);
    }

    /// <summary>
    /// RoPE for a whole 8-dim row: x·cos + swap(x)·sin±, where swap pairs dim i with i ± RotaryDims/2 on the rotary
    /// dims (identity past them, where sin± is 0) and sin± carries rotate-half's sign. Its transpose (the gradient) is
    /// the same with sin± negated.
    /// </summary>
    sealed class RowRotation
    {
        public readonly float[] Cos, SignedSin;
        public readonly Vector256<int> Swap;

        public RowRotation(AttentionGeometry g)
        {
            int half = g.RotaryDims / 2, context = g.Cos.Length / Head;
            Cos = new float[context * Head];
            SignedSin = new float[context * Head];
            var swap = new int[Head];
            for (int i = 0; i < Head; i++) swap[i] = i < half ? i + half : i < g.RotaryDims ? i - half : i;
            Swap = Vector256.Create(swap);
            for (int t = 0; t < context; t++)
            for (int i = 0; i < Head; i++)
            {
                Cos[t * Head + i] = g.Cos[t * Head + i];
                SignedSin[t * Head + i] = i < half ? -g.Sin[t * Head + i] : g.Sin[t * Head + i];
            }
        }

        /// <summary>scale · R_t(x); <paramref name="transpose"/>: scale · R_tᵀ(x).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Apply(Vector256<float> x, int t, float scale, bool transpose)
        {
            fixed (float* cos = &Cos[t * Head], sin = &SignedSin[t * Head])
            {
                var swapped = Avx2.IsSupported ? Avx2.PermuteVar8x32(x, Swap) : Vector256.Shuffle(x, Swap);
                var s = transpose ? -Vector256.Load(sin) : Vector256.Load(sin);
                return Vector256.FusedMultiplyAdd(swapped, s, x * Vector256.Load(cos)) * Vector256.Create(scale);
            }
        }
    }

    static readonly ConditionalWeakTable<AttentionGeometry, RowRotation> Rotations = new();

    static RowRotation RotationOf(AttentionGeometry g) => Rotations.GetValue(g, static geometry => new RowRotation(
        geometry.RotaryDims > 0 ? geometry : geometry with
        {
            // no RoPE: an identity rotation (cos 1, sin 0) with one row per position the kernel can be asked for
            Cos = Enumerable.Repeat(1f, Head).ToArray(), Sin = new float[Head],
        }));

    /// <summary>Position t's row of the rotation tables (position 0 for every t when there is no RoPE).</summary>
    static int RotationRow(AttentionGeometry g, int t) => g.RotaryDims > 0 ? t : 0;

    /// <summary>Q̃' = scale·log₂e·R(q) in query blocks, K̃ = R(k) and V by rows, for one (batch, head).</summary>
    static void GatherHeadOf8(float* qkvBatch, int head, AttentionGeometry g, RowRotation rotation, ref BlockWorkspace w)
    {
        int d = g.Width, stride = 3 * d;
        float queryScale = g.ScoreScale * Log2E;
        Span<Vector256<float>> rows = stackalloc Vector256<float>[Lanes];
        for (int block = 0; block < w.Blocks; block++)
        {
            for (int lane = 0; lane < Lanes; lane++)
            {
                int t = block * Lanes + lane;
                if (t >= w.T) { rows[lane] = default; continue; } // padded queries: zeros, finite and never stored
                float* row = qkvBatch + (long)t * stride + head * Head;
                int r = RotationRow(g, t);
                rows[lane] = rotation.Apply(Vector256.Load(row), r, queryScale, transpose: false);
                rotation.Apply(Vector256.Load(row + d), r, 1f, transpose: false).Store(w.K + t * Head);
                Vector256.Load(row + 2 * d).Store(w.V + t * Head);
            }
            Transpose(rows, w.Qt + block * Lanes * Head);
        }
    }

    /// <summary>Lanes whose query may see key j: query i₀ + lane sees keys up to itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Visible(int j, int i0) =>
        Vector256.GreaterThanOrEqual(Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f), Vector256.Create((float)(j - i0)));

    /// <summary>The block's eight queries, one register per dim (dims × lanes).</summary>
    readonly struct QueryBlock(float* qt)
    {
        public readonly Vector256<float> C0 = Vector256.Load(qt), C1 = Vector256.Load(qt + Lanes),
            C2 = Vector256.Load(qt + 2 * Lanes), C3 = Vector256.Load(qt + 3 * Lanes), C4 = Vector256.Load(qt + 4 * Lanes),
            C5 = Vector256.Load(qt + 5 * Lanes), C6 = Vector256.Load(qt + 6 * Lanes), C7 = Vector256.Load(qt + 7 * Lanes);

        /// <summary>Σ_c query_c · key[c] for the eight queries: two interleaved sums, for two FMA chains in flight.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<float> Dot(float* key)
        {
            var s0 = C0 * Vector256.Create(key[0]);
            var s1 = C1 * Vector256.Create(key[1]);
            s0 = Vector256.FusedMultiplyAdd(C2, Vector256.Create(key[2]), s0);
            s1 = Vector256.FusedMultiplyAdd(C3, Vector256.Create(key[3]), s1);
            s0 = Vector256.FusedMultiplyAdd(C4, Vector256.Create(key[4]), s0);
            s1 = Vector256.FusedMultiplyAdd(C5, Vector256.Create(key[5]), s1);
            s0 = Vector256.FusedMultiplyAdd(C6, Vector256.Create(key[6]), s0);
            s1 = Vector256.FusedMultiplyAdd(C7, Vector256.Create(key[7]), s1);
            return s0 + s1;
        }
    }

    static void ForwardHeadOf8(float* qkv, float* y, float* stats, int task, int time, AttentionGeometry g)
    {
        int b = task / g.Heads, head = task % g.Heads, d = g.Width;
        var rotation = RotationOf(g);
        var w = new BlockWorkspace(time, backward: false);
        float* scores = (float*)NativeMemory.AlignedAlloc((nuint)(time * Lanes) * sizeof(float), 32);
        float* maxRow = stats + (long)task * StatisticsPerHead(time), invRow = maxRow + time;
        Span<Vector256<float>> rows = stackalloc Vector256<float>[Lanes];
        try
        {
            GatherHeadOf8(qkv + (long)b * time * 3 * d, head, g, rotation, ref w);
            var minusInf = Vector256.Create(float.NegativeInfinity);
            for (int block = 0; block < w.Blocks; block++)
            {
                int i0 = block * Lanes, keys = Math.Min(i0 + Lanes, time);
                var queries = new QueryBlock(w.Qt + block * Lanes * Head);
                var max = minusInf;
                for (int j = 0; j < keys; j++)
                {
                    var s = queries.Dot(w.K + j * Head);
                    if (j > i0) s = Vector256.ConditionalSelect(Visible(j, i0), s, minusInf);
                    s.Store(scores + j * Lanes);
                    max = Vector256.MaxNative(max, s);
                }
                Vector256<float> sum = default, o0 = default, o1 = default, o2 = default, o3 = default,
                    o4 = default, o5 = default, o6 = default, o7 = default;
                for (int j = 0; j < keys; j++)
                {
                    var p = Exp2(Vector256.Load(scores + j * Lanes) - max);
                    if (j > i0) p = Vector256.ConditionalSelect(Visible(j, i0), p, Vector256<float>.Zero);
                    sum += p;
                    float* v = w.V + j * Head;
                    o0 = Vector256.FusedMultiplyAdd(p, Vector256.Create(v[0]), o0);
                    o1 = Vector256.FusedMultiplyAdd(p, Vector256.Create(v[1]), o1);
                    o2 = Vector256.FusedMultiplyAdd(p, Vector256.Create(v[2]), o2);
                    o3 = Vector256.FusedMultiplyAdd(p, Vector256.Create(v[3]), o3);
                    o4 = Vector256.FusedMultiplyAdd(p, Vector256.Create(v[4]), o4);
                    o5 = Vector256.FusedMultiplyAdd(p, Vector256.Create(v[5]), o5);
                    o6 = Vector256.FusedMultiplyAdd(p, Vector256.Create(v[6]), o6);
                    o7 = Vector256.FusedMultiplyAdd(p, Vector256.Create(v[7]), o7);
                }
                var inv = Vector256<float>.One / sum;
                (rows[0], rows[1], rows[2], rows[3]) = (o0 * inv, o1 * inv, o2 * inv, o3 * inv);
                (rows[4], rows[5], rows[6], rows[7]) = (o4 * inv, o5 * inv, o6 * inv, o7 * inv);
                Transpose(rows, rows);
                for (int lane = 0; lane < keys - i0; lane++)
                {
                    rows[lane].Store(y + ((long)b * time + i0 + lane) * d + head * Head);
                    (maxRow[i0 + lane], invRow[i0 + lane]) = (max[lane], inv[lane]);
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(scores);
            w.Free();
        }
    }

    static void BackwardHeadOf8(float* qkv, float* y, float* stats, float* dy, float* dqkv, int task, int time, AttentionGeometry g)
    {
        int b = task / g.Heads, head = task % g.Heads, d = g.Width;
        var rotation = RotationOf(g);
        var w = new BlockWorkspace(time, backward: true);
        float* maxRow = stats + (long)task * StatisticsPerHead(time), invRow = maxRow + time;
        float* dBatch = dqkv + (long)b * time * 3 * d;
        Span<Vector256<float>> rows = stackalloc Vector256<float>[Lanes];
        Span<float> shift = stackalloc float[Lanes], scale = stackalloc float[Lanes];
        try
        {
            GatherHeadOf8(qkv + (long)b * time * 3 * d, head, g, rotation, ref w);
            for (int block = 0; block < w.Blocks; block++)
            {
                for (int lane = 0; lane < Lanes; lane++)
                {
                    int t = block * Lanes + lane;
                    if (t >= time) { (rows[lane], w.Delta[t]) = (default, 0f); continue; }
                    long at = ((long)b * time + t) * d + head * Head;
                    rows[lane] = Vector256.Load(dy + at);
                    w.Delta[t] = HorizontalSum(rows[lane] * Vector256.Load(y + at)); // D_i = dO_i · O_i
                }
                Transpose(rows, w.DOt + block * Lanes * Head);
            }

            // Queries in lanes: P and dS per (block, key), and dQ̃ = Σ_j dS_ij K̃_j in registers.
            for (int block = 0; block < w.Blocks; block++)
            {
                int i0 = block * Lanes, keys = Math.Min(i0 + Lanes, time);
                var queries = new QueryBlock(w.Qt + block * Lanes * Head);
                var gradients = new QueryBlock(w.DOt + block * Lanes * Head);
                for (int lane = 0; lane < Lanes; lane++)
                    (shift[lane], scale[lane]) = i0 + lane < time ? (maxRow[i0 + lane], invRow[i0 + lane]) : (0f, 0f);
                var rowMax = Vector256.Create<float>(shift);
                var rowInv = Vector256.Create<float>(scale);
                var delta = Vector256.Load(w.Delta + i0);
                float* pRow = w.P + (long)block * time * Lanes, dsRow = w.DS + (long)block * time * Lanes;
                Vector256<float> q0 = default, q1 = default, q2 = default, q3 = default,
                    q4 = default, q5 = default, q6 = default, q7 = default;
                for (int j = 0; j < keys; j++)
                {
                    float* k = w.K + j * Head;
                    var p = Exp2(queries.Dot(k) - rowMax) * rowInv;
                    if (j > i0) p = Vector256.ConditionalSelect(Visible(j, i0), p, Vector256<float>.Zero);
                    var ds = p * (gradients.Dot(w.V + j * Head) - delta); // dS = P ∘ (dO·V − D)
                    p.Store(pRow + j * Lanes);
                    ds.Store(dsRow + j * Lanes);
                    q0 = Vector256.FusedMultiplyAdd(ds, Vector256.Create(k[0]), q0);
                    q1 = Vector256.FusedMultiplyAdd(ds, Vector256.Create(k[1]), q1);
                    q2 = Vector256.FusedMultiplyAdd(ds, Vector256.Create(k[2]), q2);
                    q3 = Vector256.FusedMultiplyAdd(ds, Vector256.Create(k[3]), q3);
                    q4 = Vector256.FusedMultiplyAdd(ds, Vector256.Create(k[4]), q4);
                    q5 = Vector256.FusedMultiplyAdd(ds, Vector256.Create(k[5]), q5);
                    q6 = Vector256.FusedMultiplyAdd(ds, Vector256.Create(k[6]), q6);
                    q7 = Vector256.FusedMultiplyAdd(ds, Vector256.Create(k[7]), q7);
                }
                (rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]) = (q0, q1, q2, q3, q4, q5, q6, q7);
                Transpose(rows, rows);
                for (int lane = 0; lane < keys - i0; lane++) // dq = scale · Rᵀ(dQ̃)
                {
                    int t = i0 + lane;
                    rotation.Apply(rows[lane], RotationRow(g, t), g.ScoreScale, transpose: true).Store(dBatch + (long)t * 3 * d + head * Head);
                }
            }

            // Keys: dK̃_j = Σ_i dS_ij Q̃'_i and dV_j = Σ_i P_ij dO_i, summed over the blocks that see key j.
            for (int j = 0; j < time; j++)
            {
                var dk = ColumnSum(w.DS, w.Qt, j, w.Blocks, time);
                var dv = ColumnSum(w.P, w.DOt, j, w.Blocks, time);
                float* row = dBatch + (long)j * 3 * d + head * Head;
                rotation.Apply(dk, RotationRow(g, j), Ln2, transpose: true).Store(row + d); // dk = ln 2 · Rᵀ(dK̃)
                dv.Store(row + 2 * d);
            }
        }
        finally { w.Free(); }
    }

    /// <summary>
    /// Σ_i weight_ij · row_i over the queries that see key j, for one 8-dim key: <paramref name="weights"/> holds a
    /// (block, key) vector of eight queries' weights (P or dS), <paramref name="rows"/> each block's eight query rows in
    /// dims × lanes (dO or Q̃'). Eight accumulators, one per dim, then one transpose-and-add: a fixed order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> ColumnSum(float* weights, float* rows, int j, int blocks, int time)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default,
            a4 = default, a5 = default, a6 = default, a7 = default;
        for (int block = j / Lanes; block < blocks; block++)
        {
            var weight = Vector256.Load(weights + ((long)block * time + j) * Lanes);
            float* r = rows + block * Lanes * Head;
            a0 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(r), a0);
            a1 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(r + Lanes), a1);
            a2 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(r + 2 * Lanes), a2);
            a3 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(r + 3 * Lanes), a3);
            a4 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(r + 4 * Lanes), a4);
            a5 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(r + 5 * Lanes), a5);
            a6 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(r + 6 * Lanes), a6);
            a7 = Vector256.FusedMultiplyAdd(weight, Vector256.Load(r + 7 * Lanes), a7);
        }
        return SumLanes(a0, a1, a2, a3, a4, a5, a6, a7);
    }

    /// <summary>
    /// The 8 × 8 transpose of <paramref name="rows"/> (row r, lane c → row c, lane r), written to <paramref name="output"/>,
    /// which may be the input. Pure data movement: its result has no rounding, whichever path computes it.
    /// </summary>
    static void Transpose(Span<Vector256<float>> rows, Span<Vector256<float>> output)
    {
        if (Avx.IsSupported)
        {
            var t0 = Avx.UnpackLow(rows[0], rows[1]); var t1 = Avx.UnpackHigh(rows[0], rows[1]);
            var t2 = Avx.UnpackLow(rows[2], rows[3]); var t3 = Avx.UnpackHigh(rows[2], rows[3]);
            var t4 = Avx.UnpackLow(rows[4], rows[5]); var t5 = Avx.UnpackHigh(rows[4], rows[5]);
            var t6 = Avx.UnpackLow(rows[6], rows[7]); var t7 = Avx.UnpackHigh(rows[6], rows[7]);
            var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
            output[0] = Avx.Permute2x128(u0, u4, 0x20); output[1] = Avx.Permute2x128(u1, u5, 0x20);
            output[2] = Avx.Permute2x128(u2, u6, 0x20); output[3] = Avx.Permute2x128(u3, u7, 0x20);
            output[4] = Avx.Permute2x128(u0, u4, 0x31); output[5] = Avx.Permute2x128(u1, u5, 0x31);
            output[6] = Avx.Permute2x128(u2, u6, 0x31); output[7] = Avx.Permute2x128(u3, u7, 0x31);
            return;
        }
        Span<float> scratch = stackalloc float[Lanes * Lanes];
        for (int r = 0; r < Lanes; r++)
        for (int c = 0; c < Lanes; c++) scratch[c * Lanes + r] = rows[r][c];
        for (int c = 0; c < Lanes; c++) output[c] = Vector256.Create<float>(scratch.Slice(c * Lanes, Lanes));
    }

    static void Transpose(Span<Vector256<float>> rows, float* output)
    {
        Transpose(rows, rows);
        for (int c = 0; c < Lanes; c++) rows[c].Store(output + c * Lanes);
    }

    /// <summary>
    /// r[c] = the sum of a_c's eight lanes, for eight vectors at once (a transpose-and-add). The pairing is fixed —
    /// ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)) — and the scalar fallback adds in the same order.
    /// </summary>
    static Vector256<float> SumLanes(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7)
    {
        if (Avx.IsSupported)
        {
            var h01 = Avx.HorizontalAdd(a0, a1); // [a0₀+a0₁, a0₂+a0₃, a1₀+a1₁, a1₂+a1₃ | the same of lanes 4–7]
            var h23 = Avx.HorizontalAdd(a2, a3);
            var h45 = Avx.HorizontalAdd(a4, a5);
            var h67 = Avx.HorizontalAdd(a6, a7);
            var h0123 = Avx.HorizontalAdd(h01, h23); // [Σ a0 low, Σ a1 low, Σ a2 low, Σ a3 low | … high]
            var h4567 = Avx.HorizontalAdd(h45, h67);
            return Avx.Permute2x128(h0123, h4567, 0x20) + Avx.Permute2x128(h0123, h4567, 0x31);
        }
        static float Sum(Vector256<float> v) => ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
        return Vector256.Create(Sum(a0), Sum(a1), Sum(a2), Sum(a3), Sum(a4), Sum(a5), Sum(a6), Sum(a7));
    }
}
