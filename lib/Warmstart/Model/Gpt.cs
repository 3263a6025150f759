using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Warmstart.Model;

/// <summary>
/// The GPT: token embedding (+ learned positions if asked), a stack of blocks, a final norm and an LM head whose
/// logits carry µP's 1/m multiplier. Parameter names follow nanoGPT ("h.0.attn.c_attn.weight") so the safetensors
/// checkpoints load in PyTorch.
/// </summary>
public sealed class Gpt : TrainableModel
{
    readonly Embedding wte;
    readonly Embedding? wpe;
    readonly ModuleList<Block> h;
    readonly Norm ln_f;
    readonly Linear? lm_head;
    readonly double readoutMultiplier;

    public GptConfig Config { get; }
    public override IArchitecture Architecture { get; }

    public Gpt(GptConfig config, long seed = 0, Device? device = null) : base("gpt")
    {
        Config = config.Validate();
        Architecture = new GptArchitecture(config);
        readoutMultiplier = Architecture.ReadoutMultiplier;
        wte = nn.Embedding(config.VocabSize, config.Width);
        wpe = config.Positions == PositionKind.Learned ? nn.Embedding(config.ContextLength, config.Width) : null;
        h = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(i => new Block($"h.{i}", config)).ToArray());
        ln_f = new Norm("ln_f", config.Width, config.Norm, config.Bias, config.NormEps);
        lm_head = config.TiedHead ? null : nn.Linear(config.Width, config.VocabSize, hasBias: false);
        RegisterComponents();
        Initialize(seed);
        if (device is not null && device.type != TorchSharp.DeviceType.CPU) this.to(device);
    }

    /// <summary>Token ids (B, T) → logits (B, T, vocab).</summary>
    public override Tensor forward(Tensor idx)
    {
        long t = idx.shape[1];
        if (t > Config.ContextLength)
            throw new ArgumentException($"sequence length {t} exceeds the model's context {Config.ContextLength}");
        using var scope = NewDisposeScope();
        var x = wte.forward(idx);
        if (wpe is not null) x = x + wpe.forward(arange(t, device: idx.device));
        foreach (var block in h) x = block.forward(x);
        x = ln_f.forward(x);
        var logits = lm_head is not null ? lm_head.forward(x) : x.matmul(wte.weight!.t());
        if (readoutMultiplier != 1.0) logits = logits * readoutMultiplier;
        return logits.MoveToOuterDisposeScope();
    }

    public override Tensor Loss(Tensor idx, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var logits = forward(idx);
        if (logits.dtype != ScalarType.Float32) logits = logits.to_type(ScalarType.Float32); // bf16 training: the loss in fp32
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), targets.view(-1));
        return loss.MoveToOuterDisposeScope();
    }
}
