using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>
/// The MLP's parameters as specs, with the same µP conventions as the GPT: the input layer is input-like (fixed
/// fan-in: He init, base LR), hidden layers are matrix-like (He init ∝ 1/fan_in, Adam LR ÷ m), the readout starts at
/// zero with logits × 1/m. Under SP everything is He-initialised (readout 1/√fan_in) with one LR.
/// </summary>
public sealed record MlpArchitecture(MlpConfig Config) : IArchitecture
{
    public int Depth => Config.Depth;
    public double ReadoutMultiplier => 1.0 / Config.WidthMultiplier;
    public int SpaceSize(Space space) => space == Space.Residual ? Config.Width : throw new ArgumentException($"an MLP has no {space} space");
    public int SpaceUnit(Space space) => 1;
    public long ParameterCount() => Config.ParameterCount();
    public TrainableModel CreateModel(long seed, Device? device = null) => new DenseMlp(Config, seed, device);

    public IReadOnlyList<ParamSpec> ParameterSpecs()
    {
        var c = Config;
        bool mup = c.Param == Parameterization.MuP;
        double m = c.WidthMultiplier;
        long w = c.Width;
        var specs = new List<ParamSpec>
        {
            new("input.weight", [w, c.InputDim], ParamRole.Embedding, [Space.Residual, Space.Fixed], [1, 1], InitKind.Normal,
                Math.Sqrt(2.0 / c.InputDim), 1.0, WeightDecay: true, LocalName: "input.weight", FanInAxis: 1),
        };
        if (c.Bias) specs.Add(new("input.bias", [w], ParamRole.Vector, [Space.Residual], [1], InitKind.Zeros, 0, 1.0, false, LocalName: "input.bias"));
        for (int i = 0; i < c.Depth; i++)
        {
            specs.Add(new($"h.{i}.weight", [w, w], ParamRole.Hidden, [Space.Residual, Space.Residual], [1, 1], InitKind.Normal,
                Math.Sqrt(2.0 / w), mup ? 1.0 / m : 1.0, WeightDecay: true, i, "weight", FanInAxis: 1));
            if (c.Bias) specs.Add(new($"h.{i}.bias", [w], ParamRole.Vector, [Space.Residual], [1], InitKind.Zeros, 0, 1.0, false, i, "bias"));
        }
        specs.Add(new("head.weight", [c.Classes, w], ParamRole.Readout, [Space.Fixed, Space.Residual], [1, 1],
            mup ? InitKind.Zeros : InitKind.Normal, 1.0 / Math.Sqrt(w), 1.0, WeightDecay: true, LocalName: "head.weight", FanInAxis: 1));
        if (c.Bias) specs.Add(new("head.bias", [c.Classes], ParamRole.Vector, [Space.Fixed], [1], InitKind.Zeros, 0, 1.0, false, LocalName: "head.bias"));
        return specs;
    }

    public void CheckGrowableInto(IArchitecture target)
    {
        if (target is not MlpArchitecture t) throw new ArgumentException($"cannot grow an MLP into a {target.GetType().Name}");
        var (a, b) = (Config, t.Config);
        if (a.InputDim != b.InputDim) throw new ArgumentException($"base and target must share the input size: {a.InputDim} vs {b.InputDim}");
        if (a.Classes != b.Classes) throw new ArgumentException($"base and target must share the classes: {a.Classes} vs {b.Classes}");
        if (a.Bias != b.Bias) throw new ArgumentException("base and target must share bias on/off");
        if (a.Param != b.Param) throw new ArgumentException($"base and target must share the parameterisation: {a.Param} vs {b.Param}");
        if (a.Param == Parameterization.MuP && a.BaseWidth != b.BaseWidth)
            throw new ArgumentException($"base and target must share the µP base width: {a.BaseWidth} vs {b.BaseWidth}");
        if (b.Width < a.Width) throw new ArgumentException($"target is narrower than the base: {b.Width} < {a.Width} units");
        if (b.Depth < a.Depth) throw new ArgumentException($"target is shallower than the base: {b.Depth} < {a.Depth} hidden layers");
    }
}
