using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>
/// What the growth operators and the trainer need from a model family (the GPT here, the dense MLP in
/// <c>Model/MlpConfig</c>): a parameter list described without tensors, the sizes of its width spaces, and a way to
/// build a freshly initialised model. Growth works on these, so every operator serves every family.
/// </summary>
public interface IArchitecture
{
    /// <summary>Number of repeated blocks (depth growth acts on these).</summary>
    int Depth { get; }

    /// <summary>Size of a width space, and the granularity in which it grows (the head size for attention heads).</summary>
    int SpaceSize(Space space);
    int SpaceUnit(Space space);

    /// <summary>Multiplier applied to the readout's output (1/m under µP, 1 under SP).</summary>
    double ReadoutMultiplier { get; }

    IReadOnlyList<ParamSpec> ParameterSpecs();
    long ParameterCount();

    /// <summary>A new model with its own initialisation, drawn deterministically from <paramref name="seed"/>.</summary>
    TrainableModel CreateModel(long seed, Device? device = null);

    /// <summary>Checks that this architecture can be grown into <paramref name="target"/> (same family and fixed dims).</summary>
    void CheckGrowableInto(IArchitecture target);
}

/// <summary>A model the trainer can drive: input → output, plus its loss against a target.</summary>
public abstract class TrainableModel : TorchSharp.torch.nn.Module<Tensor, Tensor>
{
    protected TrainableModel(string name) : base(name) { }

    public abstract IArchitecture Architecture { get; }

    /// <summary>Mean loss of the model on (input, target) — cross-entropy for language models.</summary>
    public abstract Tensor Loss(Tensor input, Tensor target);

    /// <summary>Parameters in the order of <see cref="IArchitecture.ParameterSpecs"/>, paired with their specs.</summary>
    public IReadOnlyList<(ParamSpec Spec, TorchSharp.Modules.Parameter Parameter)> SpecifiedParameters()
    {
        var byName = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var specs = Architecture.ParameterSpecs();
        if (byName.Count != specs.Count)
            throw new InvalidOperationException($"{GetName()}: {byName.Count} parameters but {specs.Count} specs");
        return specs.Select(s => byName.TryGetValue(s.Name, out var p)
            ? (s, p)
            : throw new InvalidOperationException($"{GetName()}: no parameter named '{s.Name}'")).ToList();
    }

    /// <summary>Draws every parameter from its spec's init, deterministically from <paramref name="seed"/>.</summary>
    public void Initialize(long seed)
    {
        using var generator = new Generator((ulong)seed, device: CPU);
        using var _ = no_grad();
        foreach (var (spec, p) in SpecifiedParameters())
        {
            switch (spec.Init)
            {
                case InitKind.Zeros: p.zero_(); break;
                case InitKind.Ones: p.fill_(1.0); break;
                default:
                    // Drawn on the CPU generator then copied, so a seed gives the same weights on every device.
                    using (var draw = normal(0.0, spec.InitStd, spec.Shape, generator: generator))
                        p.copy_(draw);
                    break;
            }
        }
    }

    /// <summary>Total parameter count N of this instance.</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());
}
