using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>
/// Rotary position tables for litgpt's partial RoPE: the first <c>rotaryDims</c> of each head are rotated
/// (GPT-NeoX "rotate half" pairing), the rest pass through. Stored as full-head tables so that applying RoPE is
/// x·cos + (x·R)·sin with a fixed signed permutation R — four large ops instead of a slice-and-concatenate chain.
/// </summary>
public static class Rotary
{
    public sealed record Tables(Tensor Cos, Tensor Sin, Tensor RotateHalf);

    /// <param name="headSize">dims per head</param>
    /// <param name="rotaryDims">leading dims that rotate (even)</param>
    /// <param name="context">positions</param>
    /// <param name="theta">RoPE base (10,000 as in litgpt)</param>
    public static Tables Build(int headSize, int rotaryDims, int context, double theta = 10000.0)
    {
        int half = rotaryDims / 2;
        var (cos, sin) = Angles(headSize, rotaryDims, context, theta);
        // rotate_half(x) = [-x2, x1] on the rotary dims (x1 = first half, x2 = second half); zero elsewhere.
        var r = new float[headSize * headSize];
        for (int i = 0; i < half; i++)
        {
            r[(i + half) * headSize + i] = -1f; // out[i] = -x[i + half]
            r[i * headSize + i + half] = 1f;    // out[i + half] = x[i]
        }
        return new Tables(
            tensor(cos, [context, headSize]),
            tensor(sin, [context, headSize]),
            tensor(r, [headSize, headSize]));
    }

    /// <summary>
    /// cos and sin of each position's angles as (context × headSize) row-major tables: dims i and i + rotaryDims/2 share
    /// an angle; dims past the rotary ones read cos 1, sin 0 (they pass through).
    /// </summary>
    public static (float[] Cos, float[] Sin) Angles(int headSize, int rotaryDims, int context, double theta = 10000.0)
    {
        int half = rotaryDims / 2;
        var cos = new float[context * headSize];
        var sin = new float[context * headSize];
        for (int t = 0; t < context; t++)
        for (int i = 0; i < headSize; i++)
        {
            double angle = i < rotaryDims ? t * Math.Pow(theta, -2.0 * (i % half) / rotaryDims) : 0.0;
            cos[t * headSize + i] = i < rotaryDims ? (float)Math.Cos(angle) : 1f;
            sin[t * headSize + i] = i < rotaryDims ? (float)Math.Sin(angle) : 0f;
        }
        return (cos, sin);
    }

    /// <summary>Applies RoPE to x of shape (..., T, headSize) using the first T rows of the tables.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin, Tensor rotateHalf)
    {
        long t = x.shape[^2];
        using var c = cos.narrow(0, 0, t).to_type(x.dtype); // tables stay fp32; a bf16 model reads them in bf16
        using var s = sin.narrow(0, 0, t).to_type(x.dtype);
        using var r = rotateHalf.to_type(x.dtype);
        using var rotated = x.matmul(r);
        var a = x * c;
        return a.addcmul_(rotated, s, 1.0);
    }
}
