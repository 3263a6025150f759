using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>input → ReLU → [w×w → ReLU] × Depth → head (its input × 1/m under µP). Parameter names: input.*, h.N.*, head.*.</summary>
public sealed class DenseMlp : TrainableModel
{
    readonly Linear input;
    readonly ModuleList<Linear> h;
    readonly Linear head;
    readonly double readoutMultiplier;

    public MlpConfig Config { get; }
    public override IArchitecture Architecture { get; }

    public DenseMlp(MlpConfig config, long seed = 0, Device? device = null) : base("mlp")
    {
        Config = config.Validate();
        Architecture = new MlpArchitecture(config);
        readoutMultiplier = Architecture.ReadoutMultiplier;
        input = nn.Linear(config.InputDim, config.Width, hasBias: config.Bias);
        h = nn.ModuleList(Enumerable.Range(0, config.Depth).Select(_ => nn.Linear(config.Width, config.Width, hasBias: config.Bias)).ToArray());
        head = nn.Linear(config.Width, config.Classes, hasBias: config.Bias);
        RegisterComponents();
        Initialize(seed);
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var a = nn.functional.relu(input.forward(x));
        foreach (var layer in h) a = nn.functional.relu(layer.forward(a));
        // µP's 1/m scales the readout's input, as mup's MuReadout does, so the head bias is not scaled with it.
        if (readoutMultiplier != 1.0) a = a * readoutMultiplier;
        return head.forward(a).MoveToOuterDisposeScope();
    }

    public override Tensor Loss(Tensor x, Tensor y)
    {
        using var scope = NewDisposeScope();
        var logits = forward(x);
        if (logits.dtype != ScalarType.Float32) logits = logits.to_type(ScalarType.Float32);
        return nn.functional.cross_entropy(logits, y).MoveToOuterDisposeScope();
    }
}
