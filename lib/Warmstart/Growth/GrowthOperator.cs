using System.Text.Json.Serialization;

namespace Warmstart.Growth;

/// <summary>How base coordinates land in a wider target.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WidthMapping>))]
public enum WidthMapping
{
    ZeroPad,      // base in the leading block of each (segment of each) axis, zeros elsewhere (the paper's operators)
    CloneCyclic,  // HyperCloning: target unit j copies base unit j mod n; fan-in divided by the copy count (integer multiples)
    CloneRandom,  // Net2Net: new units copy random base units; fan-in divided by each unit's copy count (any multiple)
    CloneAuto,    // function-preserving: CloneCyclic for integer multiples, CloneRandom otherwise
}

/// <summary>Which base block each target block starts from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DepthMapping>))]
public enum DepthMapping
{
    Append,     // base blocks keep their place; new blocks go on top with no base counterpart
    Stack,      // G_stack: target block i copies base block i mod L ([1..L, 1..L, …])
    Interleave, // each base block repeated in place ([1, 1, 2, 2, …])
}

/// <summary>What a block with no base counterpart starts as.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NewBlockInit>))]
public enum NewBlockInit
{
    Perturb,  // σ · (fresh target initialisation), the SZP treatment (σ = 1: freshly initialised)
    Identity, // the block starts as the identity: a residual block's writing projections zeroed, an MLP layer I and bias 0 (Net2DeeperNet)
}

/// <summary>
/// A growth operator: target = λ · Embed(base) + σ · Init(target), parameter by parameter, where Embed places the
/// base tensor in the target shape (<see cref="Width"/>, <see cref="Depth"/>) and Init is a fresh draw of the
/// target's own initialisation. One operator, many named settings:
/// scratch (λ 0, σ 1), zeros (1, 0), zeros-shrink (λ, 0), zeros-perturb (1, σ), SZP (0.4, 1), and the
/// function-preserving rivals (clone with λ 1, σ 0, identity blocks for depth).
/// Two switches make the controls that tell what the base learned from the scale of its weights:
/// <see cref="PermuteBase"/> shuffles each base tensor's entries before embedding (same values and norm, no
/// structure): "szp-permuted-base"; <see cref="NormsOf"/> computes another operator's start and rescales this
/// operator's start to its per-tensor Frobenius norms: "scratch-rescaled" (fresh init at SZP's norms). The third
/// control, SZP from an untrained base, is a property of the base run (<c>RunSpec.Untrained</c>), not of the operator.
/// </summary>
public sealed record GrowthOperator(
    string Name,
    WidthMapping Width,
    double Lambda,
    double Sigma,
    DepthMapping Depth = DepthMapping.Append,
    NewBlockInit NewBlocks = NewBlockInit.Perturb)
{
    public const double DefaultLambda = 0.4; // the paper's default shrink
    public const double DefaultSigma = 1.0;  // inferred from the authors' configs: a full fresh initialisation

    public static readonly string[] Names =
        ["scratch", "zeros", "zeros-shrink", "zeros-perturb", "szp", "fp", "hypercloning", "net2net", "stack", "interleave", "identity",
         "szp-depth", "szp-stack", "szp-permuted-base", "scratch-rescaled"];

    /// <summary>
    /// Shuffle each base tensor's entries (a fixed random permutation per tensor, drawn from the growth seed) before
    /// embedding it: the base's values and norms without its structure. Left out of the JSON (and the id) when false.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool PermuteBase { get; init; }

    /// <summary>
    /// When set, the start is this operator's start with each tensor rescaled to the Frobenius norm of the start that
    /// <see cref="NormsOf"/> gives (same base, target and seed). A tensor whose own start is all zeros (biases, a µP
    /// readout) is drawn N(0, 1) and rescaled; one whose reference norm is zero stays zero. Left out of the JSON when null.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public GrowthOperator? NormsOf { get; init; }

    /// <summary>True for operators meant to leave the base model's function unchanged.</summary>
    public bool FunctionPreserving => Width != WidthMapping.ZeroPad && Lambda == 1 && Sigma == 0 && !PermuteBase && NormsOf is null;

    /// <summary>A named operator; λ and σ override its defaults where the operator has them.</summary>
    public static GrowthOperator Parse(string name, double? lambda = null, double? sigma = null)
    {
        var op = (name ?? "").Trim().ToLowerInvariant() switch
        {
            "scratch" => new GrowthOperator("scratch", WidthMapping.ZeroPad, 0, 1),
            "zeros" => new GrowthOperator("zeros", WidthMapping.ZeroPad, 1, 0),
            "zeros-shrink" => new GrowthOperator("zeros-shrink", WidthMapping.ZeroPad, lambda ?? DefaultLambda, 0),
            "zeros-perturb" => new GrowthOperator("zeros-perturb", WidthMapping.ZeroPad, 1, sigma ?? DefaultSigma),
            "szp" => new GrowthOperator("szp", WidthMapping.ZeroPad, lambda ?? DefaultLambda, sigma ?? DefaultSigma),
            "fp" => new GrowthOperator("fp", WidthMapping.CloneAuto, 1, 0, DepthMapping.Append, NewBlockInit.Identity),
            "hypercloning" => new GrowthOperator("hypercloning", WidthMapping.CloneCyclic, 1, 0, DepthMapping.Append, NewBlockInit.Identity),
            "net2net" => new GrowthOperator("net2net", WidthMapping.CloneRandom, 1, 0, DepthMapping.Append, NewBlockInit.Identity),
            "stack" => new GrowthOperator("stack", WidthMapping.ZeroPad, 1, 0, DepthMapping.Stack),
            "interleave" => new GrowthOperator("interleave", WidthMapping.ZeroPad, 1, 0, DepthMapping.Interleave),
            "identity" => new GrowthOperator("identity", WidthMapping.ZeroPad, 1, 0, DepthMapping.Append, NewBlockInit.Identity),
            // SZP on depth: the base's blocks kept in place, shrunk and perturbed; the new blocks on top, freshly drawn (σ · init).
            "szp-depth" => new GrowthOperator("szp-depth", WidthMapping.ZeroPad, lambda ?? DefaultLambda, sigma ?? DefaultSigma, DepthMapping.Append),
            // Compound growth (width then depth in one step): SZP's start on every base tensor, the blocks stacked.
            "szp-stack" => new GrowthOperator("szp-stack", WidthMapping.ZeroPad, lambda ?? DefaultLambda, sigma ?? DefaultSigma, DepthMapping.Stack),
            "szp-permuted-base" => new GrowthOperator("szp-permuted-base", WidthMapping.ZeroPad, lambda ?? DefaultLambda, sigma ?? DefaultSigma) { PermuteBase = true },
            // λ and σ here are the SZP start whose norms it takes; its own start is scratch (λ 0, σ 1).
            "scratch-rescaled" => new GrowthOperator("scratch-rescaled", WidthMapping.ZeroPad, 0, 1)
                { NormsOf = new GrowthOperator("szp", WidthMapping.ZeroPad, lambda ?? DefaultLambda, sigma ?? DefaultSigma) },
            _ => throw new ArgumentException($"unknown growth operator '{name}': allowed are {string.Join(", ", Names)}"),
        };
        // scratch and zeros are defined by their λ and σ; zeros-shrink fixes σ = 0 and zeros-perturb λ = 1. The
        // depth and function-preserving operators accept both (they then stop preserving the function).
        bool takesLambda = op.Name is not ("scratch" or "zeros" or "zeros-perturb");
        bool takesSigma = op.Name is not ("scratch" or "zeros" or "zeros-shrink");
        if (lambda is not null && !takesLambda)
            throw new ArgumentException($"operator '{op.Name}' has a fixed λ = {op.Lambda}: use zeros-shrink or szp to shrink");
        if (sigma is not null && !takesSigma)
            throw new ArgumentException($"operator '{op.Name}' has a fixed σ = {op.Sigma}: use zeros-perturb or szp to perturb");
        if (op.NormsOf is null) op = op with { Lambda = lambda ?? op.Lambda, Sigma = sigma ?? op.Sigma };
        return op.Validate();
    }

    public GrowthOperator Validate()
    {
        if (!(Lambda >= 0 && Lambda <= 1)) throw new ArgumentException($"λ (shrink) must be in [0, 1], got {Lambda}");
        if (!(Sigma >= 0) || double.IsInfinity(Sigma)) throw new ArgumentException($"σ (perturbation) must be ≥ 0, got {Sigma}");
        if (NormsOf is { } reference)
        {
            if (reference.NormsOf is not null) throw new ArgumentException($"operator '{Name}': the operator whose norms it takes must not itself take norms");
            reference.Validate();
        }
        return this;
    }

    public override string ToString() => $"{Name} (λ={Lambda:0.###}, σ={Sigma:0.###}, width {Width}, depth {Depth}/{NewBlocks}" +
        (PermuteBase ? ", permuted base" : "") + (NormsOf is { } r ? $", norms of {r.Name} λ={r.Lambda:0.###} σ={r.Sigma:0.###}" : "") + ")";
}
