using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Warmstart.Model;

/// <summary>
/// What the fused attention kernel needs to know besides its input: heads, dims per head, the score multiplier
/// (1/d_head under µP, 1/√d_head otherwise), and the rotary tables (<see cref="Rotary.Angles"/>; empty without RoPE).
/// </summary>
public sealed record AttentionGeometry(int Heads, int HeadSize, float ScoreScale, int RotaryDims, float[] Cos, float[] Sin)
{
    public int Width => Heads * HeadSize;
    public int Context => RotaryDims == 0 ? int.MaxValue : Cos.Length / HeadSize;
}

/// <summary>
/// Causal self-attention over a fused Q|K|V activation, forward and backward, in fp32 on the CPU — written for many
/// small heads, where libtorch's SDPA spends its time on per-head overhead and on the transposes around it.
/// <para>
/// Layout: <c>qkv</c> is (B, T, 3·d) row-major as the c_attn Linear writes it (q | k | v, each H heads of d_head), and
/// <c>y</c> is (B, T, d), the layout c_proj reads; no permute or copy is needed on either side. RoPE and the score
/// multiplier are applied while a head's rows are gathered, so the rotary ops and the query scaling disappear too.
/// </para>
/// <para>
/// One task per (batch, head), each computed start to end by one thread in a fixed order: the result does not
/// depend on the thread count or on scheduling. Scores are vectorised across keys (a transposed K, 8 keys per 256-bit
/// vector); weighted sums across the head's dims (8-dim heads take their own path, <c>AttentionKernels.HeadOf8.cs</c>).
/// The forward keeps each row's softmax statistics — the largest score and the reciprocal of its sum of exponentials,
/// 2·T floats per head — and the backward recomputes the probabilities from them (the flash-attention recipe), so
/// nothing of size T × T is kept between the passes.
/// </para>
/// </summary>
public static unsafe partial class AttentionKernels
{
    const int Lanes = 8; // floats per Vector256
    const float Log2E = 1.44269504088896341f, Ln2 = 0.693147180559945309f;

    /// <summary>Floats of softmax statistics the forward writes per (batch, head): each row's max and 1/sum.</summary>
    public static int StatisticsPerHead(int time) => 2 * time;

    /// <summary>y (B,T,d) and the softmax statistics (B,H,2T) from qkv (B,T,3d); every pointer to contiguous fp32 memory.</summary>
    public static void Forward(float* qkv, float* y, float* stats, int batch, int time, AttentionGeometry g, int threads)
    {
        var (q, o, l) = ((nint)qkv, (nint)y, (nint)stats);
        if (g.HeadSize == Head) ForEachTask(batch * g.Heads, threads, task => ForwardHeadOf8((float*)q, (float*)o, (float*)l, task, time, g));
        else ForEachTask(batch * g.Heads, threads, task => ForwardTask((float*)q, (float*)o, (float*)l, task, time, g));
    }

    /// <summary>dqkv (B,T,3d) from dy (B,T,d) and the forward's qkv, y and softmax statistics.</summary>
    public static void Backward(float* qkv, float* y, float* stats, float* dy, float* dqkv, int batch, int time, AttentionGeometry g, int threads)
    {
        var (q, o, l, dO, dq) = ((nint)qkv, (nint)y, (nint)stats, (nint)dy, (nint)dqkv);
        if (g.HeadSize == Head)
            ForEachTask(batch * g.Heads, threads, task => BackwardHeadOf8((float*)q, (float*)o, (float*)l, (float*)dO, (float*)dq, task, time, g));
        else ForEachTask(batch * g.Heads, threads, task => BackwardTask((float*)q, (float*)o, (float*)l, (float*)dO, (float*)dq, task, time, g));
    }

    static void ForEachTask(int tasks, int threads, Action<int> body)
    {
        if (threads <= 1 || tasks == 1)
            for (int task = 0; task < tasks; task++) body(task);
        else Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    /// <summary>One head's rows, gathered: rotated and scaled copies (row-major and transposed) and scratch rows.</summary>
    ref struct Workspace
    {
        public readonly int T, Tp, Hs;
        public float* Q, K, Kt, V, Vt, Row, Row2, Acc;
        readonly void* block;

        public Workspace(int time, int headSize, bool backward)
        {
            T = time; Hs = headSize;
            Tp = (time + Lanes - 1) / Lanes * Lanes; // keys padded to whole vectors; padding columns stay zero
            nuint rows = (nuint)(time * headSize), cols = (nuint)(headSize * Tp);
            nuint floats = 3 * rows + 2 * cols + 2 * (nuint)Tp + (nuint)headSize + 8;
            block = NativeMemory.AlignedAlloc(floats * sizeof(float), 32);
            NativeMemory.Clear(block, floats * sizeof(float));
            var p = (float*)block;
            Q = p; p += rows;
            K = p; p += rows;
            V = p; p += rows;
            Kt = p; p += cols;
            Vt = p; p += cols;
            Row = p; p += Tp;
            Row2 = p; p += Tp;
            Acc = p;
            if (!backward) Vt = null;
        }

        public void Free() => NativeMemory.AlignedFree(block);
    }

    /// <summary>Q̃ = scale·R(q), K̃ = R(k) and V for one (batch, head), plus K̃ᵀ (and Vᵀ for the backward).</summary>
    static void Gather(float* qkvBatch, int head, AttentionGeometry g, ref Workspace w, bool transposeV)
    {
        int d = g.Width, hs = g.HeadSize, stride = 3 * d;
        for (int t = 0; t < w.T; t++)
        {
            float* row = qkvBatch + (long)t * stride + head * hs;
            Rotate(row, w.Q + t * hs, t, g, g.ScoreScale * Log2E);
            Rotate(row + d, w.K + t * hs, t, g, 1f);
            new ReadOnlySpan<float>(row + 2 * d, hs).CopyTo(new Span<float>(w.V + t * hs, hs));
            for (int c = 0; c < hs; c++)
            {
                w.Kt[c * w.Tp + t] = w.K[t * hs + c];
                if (transposeV) w.Vt[c * w.Tp + t] = w.V[t * hs + c];
            }
        }
    }

    /// <summary>dst = scale · RoPE(src) at position t (GPT-NeoX rotate-half on the first RotaryDims dims).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Rotate(float* src, float* dst, int t, AttentionGeometry g, float scale)
    {
        int hs = g.HeadSize, half = g.RotaryDims / 2;
        for (int i = 0; i < half; i++)
        {
            float c = g.Cos[t * hs + i], s = g.Sin[t * hs + i], a = src[i], b = src[i + half];
            dst[i] = (a * c - b * s) * scale;
            dst[i + half] = (b * c + a * s) * scale;
        }
        for (int i = g.RotaryDims; i < hs; i++) dst[i] = src[i] * scale;
    }

    /// <summary>dst = scale · Rᵀ(src) at position t: the gradient through <see cref="Rotate"/>.</summary>
    static void RotateBack(float* src, float* dst, int t, AttentionGeometry g, float scale)
    {
        int hs = g.HeadSize, half = g.RotaryDims / 2;
        for (int i = 0; i < half; i++)
        {
            float c = g.Cos[t * hs + i], s = g.Sin[t * hs + i], a = src[i], b = src[i + half];
            dst[i] = (a * c + b * s) * scale;
            dst[i + half] = (b * c - a * s) * scale;
        }
        for (int i = g.RotaryDims; i < hs; i++) dst[i] = src[i] * scale;
    }

    static void ForwardTask(float* qkv, float* y, float* stats, int task, int time, AttentionGeometry g)
    {
        int b = task / g.Heads, head = task % g.Heads, d = g.Width, hs = g.HeadSize;
        var w = new Workspace(time, hs, backward: false);
        try
        {
            Gather(qkv + (long)b * time * 3 * d, head, g, ref w, transposeV: false);
            float* maxRow = stats + (long)task * StatisticsPerHead(time), invRow = maxRow + time;
            for (int i = 0; i < time; i++)
            {
                int keys = i + 1, padded = Padded(keys);
                Dots(w.Q + i * hs, w.Kt, w.Tp, hs, padded, w.Row);
                Mask(w.Row, keys, padded);
                float max = Max(w.Row, padded);
                float sum = Exp2InPlace(w.Row, keys, padded, max, 1f);
                WeightedSum(w.Row, w.V, hs, keys, w.Acc);
                float inv = 1f / sum;
                float* outRow = y + ((long)b * time + i) * d + head * hs;
                for (int c = 0; c < hs; c++) outRow[c] = w.Acc[c] * inv;
                (maxRow[i], invRow[i]) = (max, inv);
            }
        }
        finally { w.Free(); }
    }

    static void BackwardTask(float* qkv, float* y, float* stats, float* dy, float* dqkv, int task, int time, AttentionGeometry g)
    {
        int b = task / g.Heads, head = task % g.Heads, d = g.Width, hs = g.HeadSize;
        var w = new Workspace(time, hs, backward: true);
        // dQ̃, dK̃ and dV accumulate here (3 · T · hs), then leave through Rᵀ into dqkv.
        float* grads = (float*)NativeMemory.AlignedAlloc((nuint)(3 * time * hs) * sizeof(float), 32);
        try
        {
            NativeMemory.Clear(grads, (nuint)(3 * time * hs) * sizeof(float));
            float* dQ = grads, dK = grads + time * hs, dV = grads + 2 * time * hs;
            Gather(qkv + (long)b * time * 3 * d, head, g, ref w, transposeV: true);
            float* maxRow = stats + (long)task * StatisticsPerHead(time), invRow = maxRow + time;
            for (int i = 0; i < time; i++)
            {
                int keys = i + 1, padded = Padded(keys);
                long at = ((long)b * time + i) * d + head * hs;
                float* dO = dy + at, o = y + at;
                float delta = Dot(dO, o, hs); // D_i = dO_i · O_i = Σ_j P_ij dP_ij
                Dots(w.Q + i * hs, w.Kt, w.Tp, hs, padded, w.Row);
                Mask(w.Row, keys, padded);
                Exp2InPlace(w.Row, keys, padded, maxRow[i], invRow[i]); // P_ij, recomputed from the saved statistics
                Dots(dO, w.Vt, w.Tp, hs, padded, w.Row2);        // dP_ij = dO_i · V_j
                SoftmaxBackward(w.Row, w.Row2, padded, delta);    // dS_ij = P_ij (dP_ij − D_i), into Row2
                WeightedSum(w.Row2, w.K, hs, keys, dQ + i * hs);  // dQ̃_i = Σ_j dS_ij K̃_j
                for (int j = 0; j < keys; j++)
                {
                    Axpy(w.Row2[j], w.Q + i * hs, dK + j * hs, hs); // dK̃_j += dS_ij Q̃'_i (× ln 2 on the way out)
                    Axpy(w.Row[j], dO, dV + j * hs, hs);            // dV_j += P_ij dO_i
                }
            }
            float* dBatch = dqkv + (long)b * time * 3 * d;
            for (int t = 0; t < time; t++)
            {
                float* row = dBatch + (long)t * 3 * d + head * hs;
                RotateBack(dQ + t * hs, row, t, g, g.ScoreScale);
                RotateBack(dK + t * hs, row + d, t, g, Ln2);
                new ReadOnlySpan<float>(dV + t * hs, hs).CopyTo(new Span<float>(row + 2 * d, hs));
            }
        }
        finally
        {
            NativeMemory.AlignedFree(grads);
            w.Free();
        }
    }

    static int Padded(int keys) => (keys + Lanes - 1) / Lanes * Lanes;

    /// <summary>out[j] = Σ_c x[c] · mt[c·stride + j] for j &lt; padded (a whole number of vectors).</summary>
    static void Dots(float* x, float* mt, int stride, int dims, int padded, float* result)
    {
        int j = 0;
        for (; j + 4 * Lanes <= padded; j += 4 * Lanes)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int c = 0; c < dims; c++)
            {
                var xc = Vector256.Create(x[c]);
                float* col = mt + (long)c * stride + j;
                a0 = Vector256.FusedMultiplyAdd(xc, Vector256.Load(col), a0);
                a1 = Vector256.FusedMultiplyAdd(xc, Vector256.Load(col + Lanes), a1);
                a2 = Vector256.FusedMultiplyAdd(xc, Vector256.Load(col + 2 * Lanes), a2);
                a3 = Vector256.FusedMultiplyAdd(xc, Vector256.Load(col + 3 * Lanes), a3);
            }
            a0.Store(result + j);
            a1.Store(result + j + Lanes);
            a2.Store(result + j + 2 * Lanes);
            a3.Store(result + j + 3 * Lanes);
        }
        for (; j < padded; j += Lanes)
        {
            Vector256<float> a = default;
            for (int c = 0; c < dims; c++)
                a = Vector256.FusedMultiplyAdd(Vector256.Create(x[c]), Vector256.Load(mt + (long)c * stride + j), a);
            a.Store(result + j);
        }
    }

    /// <summary>Future keys (j ≥ keys) get −∞, so they weigh exactly zero after the exponential.</summary>
    static void Mask(float* scores, int keys, int padded)
    {
        for (int j = keys; j < padded; j++) scores[j] = float.NegativeInfinity;
    }

    static float Max(float* x, int padded)
    {
        var m = Vector256.Load(x);
        for (int j = Lanes; j < padded; j += Lanes) m = Vector256.MaxNative(m, Vector256.Load(x + j));
        float max = m[0];
        for (int k = 1; k < Lanes; k++) max = MathF.Max(max, m[k]);
        return max;
    }

    /// <summary>
    /// x[j] = 2^(x[j] − shift) · scale in place for j &lt; keys, 0 for the masked rest up to <paramref name="padded"/>;
    /// returns Σ_j x[j] (lanes summed in a fixed order).
    /// </summary>
    static float Exp2InPlace(float* x, int keys, int padded, float shift, float scale)
    {
        var s = Vector256.Create(shift);
        var k = Vector256.Create(scale);
        Vector256<float> sum = default;
        for (int j = 0; j < padded; j += Lanes)
        {
            var e = Exp2(Vector256.Load(x + j) - s) * k;
            if (j + Lanes > keys)
                e = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f), Vector256.Create((float)(keys - j))), e, default);
            e.Store(x + j);
            sum += e;
        }
        return HorizontalSum(sum);
    }

    /// <summary>
    /// 2^x for x ≤ 0 (softmax arguments after the shift). Cephes' exp2f: x = n + r with |r| ≤ ½, 2^r by a degree-6
    /// polynomial (relative error ~1e-7), 2^n by building the float's exponent bits. Below −126 it returns 2^−126
    /// (≈ 1e-38, not 0): callers zero masked entries themselves. Scores arrive pre-multiplied by log₂e, so this is the
    /// softmax's e^s; Vector256.Exp is exact to the last bit but several times slower, in the kernel's hottest loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp2(Vector256<float> x)
    {
        x = Vector256.MaxNative(x, Vector256.Create(-126f));
        var n = Vector256.Round(x);
        var r = x - n;
        var p = Vector256.Create(1.535336188319500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.339887440266574e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(9.618437357674640e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.550332471162809e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(2.402264791363012e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(6.931472028550421e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        return p * (Vector256.ConvertToInt32Native(n) + Vector256.Create(127) << 23).AsSingle();
    }

    /// <summary>ds[j] = p[j] · (ds[j] − delta): the softmax's backward, with dP arriving in ds.</summary>
    static void SoftmaxBackward(float* p, float* ds, int padded, float delta)
    {
        var dv = Vector256.Create(delta);
        for (int j = 0; j < padded; j += Lanes)
            (Vector256.Load(p + j) * (Vector256.Load(ds + j) - dv)).Store(ds + j);
    }

    /// <summary>result[c] = Σ_{j &lt; count} weights[j] · rows[j·dims + c], four independent sums per vector of dims.</summary>
    static void WeightedSum(float* weights, float* rows, int dims, int count, float* result)
    {
        int c = 0;
        for (; c + Lanes <= dims; c += Lanes)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            int j = 0;
            for (; j + 4 <= count; j += 4)
            {
                float* r = rows + (long)j * dims + c;
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(weights[j]), Vector256.Load(r), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(weights[j + 1]), Vector256.Load(r + dims), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Create(weights[j + 2]), Vector256.Load(r + 2 * dims), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Create(weights[j + 3]), Vector256.Load(r + 3 * dims), a3);
            }
            for (; j < count; j++)
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(weights[j]), Vector256.Load(rows + (long)j * dims + c), a0);
            ((a0 + a1) + (a2 + a3)).Store(result + c);
        }
        for (; c < dims; c++)
        {
            float s = 0;
            for (int j = 0; j < count; j++) s = MathF.FusedMultiplyAdd(weights[j], rows[(long)j * dims + c], s);
            result[c] = s;
        }
    }

    /// <summary>y += a · x over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Axpy(float a, float* x, float* y, int n)
    {
        int c = 0;
        if (n >= Lanes)
        {
            var av = Vector256.Create(a);
            for (; c + Lanes <= n; c += Lanes)
                Vector256.FusedMultiplyAdd(av, Vector256.Load(x + c), Vector256.Load(y + c)).Store(y + c);
        }
        for (; c < n; c++) y[c] = MathF.FusedMultiplyAdd(a, x[c], y[c]);
    }

    static float Dot(float* a, float* b, int n)
    {
        int c = 0;
        Vector256<float> acc = default;
        for (; c + Lanes <= n; c += Lanes) acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + c), Vector256.Load(b + c), acc);
        float s = HorizontalSum(acc);
        for (; c < n; c++) s = MathF.FusedMultiplyAdd(a[c], b[c], s);
        return s;
    }

    /// <summary>The eight lanes summed pairwise in a fixed order (Vector256.Sum's order is not specified).</summary>
    static float HorizontalSum(Vector256<float> v)
    {
        var four = v.GetLower() + v.GetUpper();
        return (four[0] + four[2]) + (four[1] + four[3]);
    }
}
