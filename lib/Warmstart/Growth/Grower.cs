using Warmstart.Model;
using static TorchSharp.torch;

namespace Warmstart.Growth;

/// <summary>
/// Applies a <see cref="GrowthOperator"/>: builds the target with its own fresh initialisation (that draw is the
/// perturbation), then sets every target parameter to λ · Embed(base) + σ · Init. It reads only parameter specs
/// (names, shapes, width spaces, segments), so it serves every model family that describes itself as an
/// <see cref="IArchitecture"/> — the GPT and the dense MLP alike.
/// </summary>
public static class Grower
{
    public static TrainableModel Grow(TrainableModel baseModel, IArchitecture target, GrowthOperator op, long seed)
    {
        op.Validate();
        if (op.NormsOf is { } reference) return GrowRescaled(baseModel, target, op with { NormsOf = null }, reference, seed);
        var source = baseModel.Architecture;
        source.CheckGrowableInto(target);
        var maps = SpaceMaps(source, target, op, seed);
        var depth = DepthMap(source.Depth, target.Depth, op.Depth);
        if (op.Width != WidthMapping.ZeroPad && target.ParameterSpecs().Count(s => s.Role == ParamRole.Readout) == 0
            && maps.Values.Any(m => m.Grows))
            throw new ArgumentException("function-preserving width growth needs an untied head: a tied embedding cannot be both cloned and divided");

        var permuted = op.PermuteBase ? Permuted(baseModel, seed) : null;
        try
        {
            return Grow(baseModel, permuted ?? baseModel.SpecifiedParameters().Select(p => (p.Spec, (Tensor)p.Parameter)).ToList(),
                target, op, seed, maps, depth);
        }
        finally
        {
            foreach (var (_, t) in permuted ?? []) t.Dispose();
        }
    }

    static TrainableModel Grow(TrainableModel baseModel, IReadOnlyList<(ParamSpec Spec, Tensor Tensor)> baseTensors, IArchitecture target,
        GrowthOperator op, long seed, Dictionary<Space, SpaceMap> maps, int?[] depth)
    {
        var source = baseModel.Architecture;
        var baseByKey = baseTensors.ToDictionary(p => (p.Spec.Layer, p.Spec.LocalName));
        double readoutCorrection = source.ReadoutMultiplier / target.ReadoutMultiplier; // µP: the target's 1/m is k× smaller
        var grown = target.CreateModel(seed);
        bool residual = target.ParameterSpecs().Any(s => s.IsBlockOutput); // blocks add to a residual stream (a GPT), or replace it (an MLP)
        using var _ = no_grad();
        foreach (var (spec, p) in grown.SpecifiedParameters())
        {
            using var scope = NewDisposeScope();
            int? sourceLayer = spec.Layer is int layer ? depth[layer] : null;
            Tensor value;
            if (spec.Layer is not null && sourceLayer is null) // a block with no base counterpart
            {
                value = op.NewBlocks != NewBlockInit.Identity ? p * op.Sigma
                    : residual ? (spec.IsBlockOutput ? zeros_like(p) : p.clone())  // a zeroed output adds nothing: the block is the identity
                    : IdentityLayer(spec, p);
            }
            else
            {
                var (baseSpec, baseParam) = baseByKey.TryGetValue((sourceLayer, spec.LocalName), out var b)
                    ? b : throw new InvalidOperationException($"base model has no parameter for {spec.Name}");
                var embedded = Embed(baseParam.detach(), baseSpec, spec, source, target, maps, op.Width, readoutCorrection);
                value = op.Sigma == 0 ? embedded * op.Lambda : embedded * op.Lambda + p * op.Sigma;
            }
            p.copy_(value);
        }
        return grown;
    }

    /// <summary>
    /// A new layer of a network without a residual stream (the MLP) made the identity, as Net2DeeperNet does: the
    /// identity matrix and a zero bias, so ReLU(I·h) = h for the non-negative activations a ReLU layer receives.
    /// </summary>
    static Tensor IdentityLayer(ParamSpec spec, Tensor p) => spec.Shape switch
    {
        [var rows, var cols] when rows == cols => eye(rows, dtype: p.dtype, device: p.device),
        [_] => zeros_like(p),
        _ => throw new ArgumentException($"{spec.Name}: a layer without a residual stream can start as the identity only when it is square, not {string.Join(" × ", spec.Shape)}"),
    };

    /// <summary>
    /// Each base tensor with its entries shuffled: one random permutation per tensor, drawn in spec order from a CPU
    /// generator seeded by the growth seed, so the values (and so the norm) are kept and the structure is not.
    /// </summary>
    public static List<(ParamSpec Spec, Tensor Tensor)> Permuted(TrainableModel baseModel, long seed)
    {
        using var generator = new Generator(Warmstart.Data.Batches.Hash((ulong)seed, 0x9E77), device: CPU);
        using var _ = no_grad();
        var result = new List<(ParamSpec, Tensor)>();
        foreach (var (spec, p) in baseModel.SpecifiedParameters())
        {
            var flat = p.detach().cpu().reshape(-1);
            using var order = randperm(flat.shape[0], generator: generator);
            result.Add((spec, flat.index_select(0, order).reshape(p.shape).to(p.device)));
        }
        return result;
    }

    /// <summary>
    /// <paramref name="op"/>'s start with each tensor rescaled to the Frobenius norm of <paramref name="reference"/>'s
    /// start (e.g. scratch at SZP's norms). A tensor whose own start is all zeros is drawn N(0, 1) (seeded) first.
    /// </summary>
    static TrainableModel GrowRescaled(TrainableModel baseModel, IArchitecture target, GrowthOperator op, GrowthOperator reference, long seed)
    {
        using var norms = Grow(baseModel, target, reference, seed);
        var grown = Grow(baseModel, target, op, seed);
        using var generator = new Generator(Warmstart.Data.Batches.Hash((ulong)seed, 0x5CA1E), device: CPU);
        using var _ = no_grad();
        var referenceByName = norms.SpecifiedParameters().ToDictionary(p => p.Spec.Name, p => p.Parameter);
        foreach (var (spec, p) in grown.SpecifiedParameters())
        {
            using var scope = NewDisposeScope();
            double want = referenceByName[spec.Name].norm().item<float>();
            double have = p.norm().item<float>();
            if (want == 0) p.zero_();
            else if (have > 0) p.mul_(want / have);
            else
            {
                var draw = normal(0.0, 1.0, spec.Shape, generator: generator);
                p.copy_(draw.mul_(want / draw.norm().item<float>()));
            }
        }
        return grown;
    }

    /// <summary>Where each target unit of a width space comes from (−1: nowhere) and how many copies each base unit has.</summary>
    public sealed record SpaceMap(int[] Source, int[] Copies, bool Grows);

    public static Dictionary<Space, SpaceMap> SpaceMaps(IArchitecture source, IArchitecture target, GrowthOperator op, long seed)
    {
        var maps = new Dictionary<Space, SpaceMap>();
        foreach (var space in target.ParameterSpecs().SelectMany(s => s.Axes).Where(a => a != Space.Fixed).Distinct())
        {
            int unit = target.SpaceUnit(space);
            if (source.SpaceUnit(space) != unit)
                throw new ArgumentException($"{space} grows in units of {source.SpaceUnit(space)} in the base but {unit} in the target");
            int nb = source.SpaceSize(space) / unit, nt = target.SpaceSize(space) / unit;
            if (nt < nb) throw new ArgumentException($"target is narrower than the base in {space}: {nt} < {nb} units");
            var mode = op.Width == WidthMapping.CloneAuto
                ? (nt % nb == 0 ? WidthMapping.CloneCyclic : WidthMapping.CloneRandom)
                : op.Width;
            if (mode == WidthMapping.CloneCyclic && nt % nb != 0)
                throw new ArgumentException(
                    $"HyperCloning needs an integer width multiple, but {space} grows from {nb} to {nt} units (×{(double)nt / nb:0.###}); use net2net or fp");
            // Net2Net's random replication, per space. Seeded by a fixed hash (HashCode.Combine is randomised per
            // process, which made net2net/fp growth at non-integer multiples differ between processes).
            var rng = new Random((int)(Warmstart.Data.Batches.Hash((ulong)seed, (ulong)space, 0x6E32) & int.MaxValue));
            var map = new int[nt];
            for (int u = 0; u < nt; u++)
                map[u] = mode switch
                {
                    WidthMapping.ZeroPad => u < nb ? u : -1,
                    WidthMapping.CloneCyclic => u % nb,
                    _ => u < nb ? u : rng.Next(nb),
                };
            var copies = new int[nb];
            foreach (var m in map) if (m >= 0) copies[m]++;
            maps[space] = new SpaceMap(map, copies, nt > nb);
        }
        return maps;
    }

    /// <summary>For each target block, the base block it starts from (null: a new block).</summary>
    public static int?[] DepthMap(int baseDepth, int targetDepth, DepthMapping mapping)
    {
        if (targetDepth < baseDepth) throw new ArgumentException($"target is shallower than the base: {targetDepth} < {baseDepth} blocks");
        return Enumerable.Range(0, targetDepth).Select(i => mapping switch
        {
            DepthMapping.Append => i < baseDepth ? i : (int?)null,
            DepthMapping.Stack => i % baseDepth,
            DepthMapping.Interleave => (int)((long)i * baseDepth / targetDepth),
            _ => throw new ArgumentException($"unknown depth mapping {mapping}"),
        }).ToArray();
    }

    /// <summary>
    /// The base tensor placed in the target shape, axis by axis: each segment of a width axis takes the base
    /// segment's units as the space map says (zero where it says −1). Cloning also divides a weight's fan-in axis by
    /// each unit's copy count so the sum over copies is unchanged, and the readout by the change in µP's multiplier.
    /// </summary>
    static Tensor Embed(Tensor baseTensor, ParamSpec baseSpec, ParamSpec spec, IArchitecture source, IArchitecture target,
        Dictionary<Space, SpaceMap> maps, WidthMapping width, double readoutCorrection)
    {
        var x = baseTensor;
        for (int axis = 0; axis < spec.Shape.Length; axis++)
        {
            var space = spec.Axes[axis];
            if (space == Space.Fixed)
            {
                if (baseSpec.Shape[axis] != spec.Shape[axis])
                    throw new ArgumentException($"{spec.Name}: fixed axis {axis} differs ({baseSpec.Shape[axis]} vs {spec.Shape[axis]})");
                continue;
            }
            var map = maps[space];
            int unit = target.SpaceUnit(space), segments = spec.Segments[axis];
            int nb = source.SpaceSize(space) / unit, nt = target.SpaceSize(space) / unit;
            bool fanIn = width != WidthMapping.ZeroPad && spec.FanInAxis == axis;
            var index = new long[segments * nt * unit];
            var keep = new float[index.Length];
            int e = 0;
            for (int seg = 0; seg < segments; seg++)
            for (int u = 0; u < nt; u++)
            for (int r = 0; r < unit; r++, e++)
            {
                int from = map.Source[u];
                index[e] = from < 0 ? 0 : (long)seg * nb * unit + (long)from * unit + r;
                keep[e] = from < 0 ? 0f : fanIn ? 1f / map.Copies[from] : 1f;
            }
            var shape = Enumerable.Repeat(1L, spec.Shape.Length).ToArray();
            shape[axis] = index.Length;
            x = x.index_select(axis, tensor(index)).mul_(tensor(keep).view(shape));
        }
        if (width != WidthMapping.ZeroPad && spec.Role == ParamRole.Readout && readoutCorrection != 1.0)
            x = x * readoutCorrection;
        return x;
    }
}
