namespace Warmstart.Model;

/// <summary>µP class of a parameter (microsoft/mup): decides its init scale, Adam LR multiplier and weight decay.</summary>
public enum ParamRole
{
    Embedding, // input weights (token/position tables): width-independent init and LR
    Hidden,    // matrices with both dims growing with width: init var ∝ 1/fan_in, Adam LR ÷ m under µP
    Readout,   // output weights: zero init and a 1/m logit multiplier under µP; base LR
    Vector,    // biases and norm gains: base LR, never decayed
}

/// <summary>Which width an axis measures; growth maps base coordinates to target coordinates space by space.</summary>
public enum Space
{
    Fixed,     // does not grow (vocabulary, context, data input/output dims)
    Residual,  // the residual stream (d for a GPT, the hidden width for an MLP)
    Heads,     // attention's inner width, grown in whole heads
    MlpHidden, // the MLP's hidden width (4d)
}

public enum InitKind { Normal, Zeros, Ones }

/// <summary>
/// Everything the library needs to know about one parameter without holding its tensor: its PyTorch-style name,
/// shape, µP role, init, and for growth which width space each axis lives in. <see cref="Segments"/> splits an axis
/// into equal parts that grow separately (fused Q|K|V has 3 along its output axis, SwiGLU's gate|up has 2), so
/// that base head i lands on target head i in Q, K and V alike.
/// </summary>
public sealed record ParamSpec(
    string Name,
    long[] Shape,
    ParamRole Role,
    Space[] Axes,
    int[] Segments,
    InitKind Init,
    double InitStd,
    double LrMultiplier,
    bool WeightDecay,
    int? Layer = null,          // block index for per-block parameters, null otherwise
    string LocalName = "",      // name inside its block ("attn.c_proj.weight"); the full name otherwise
    int? FanInAxis = null,      // the input axis of a weight (function-preserving growth divides along it)
    bool IsBlockOutput = false) // writes into the residual stream (zeroed for identity blocks)
{
    public long Numel => Shape.Aggregate(1L, (a, b) => a * b);
}
