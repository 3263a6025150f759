using System.Text.Json.Serialization;

namespace Warmstart.Model;

/// <summary>
/// A dense MLP: input → Depth hidden layers of Width units (ReLU) → class logits. The paper's second model family;
/// cheap on a CPU, so its study can afford many widths and seeds. Width grows by units, depth by hidden layers.
/// </summary>
public sealed record MlpConfig : ModelConfig, IScalableConfig<MlpConfig>
{
    public int InputDim { get; init; } = 32;     // Gaussian inputs from the teacher task
    public int Width { get; init; } = 64;        // hidden units per layer
    public int Depth { get; init; } = 3;         // hidden w×w layers after the input layer (depth growth adds these)
    public int Classes { get; init; } = 10;      // output logits (the teacher's classes)
    public bool Bias { get; init; } = true;      // biases on every layer
    public Parameterization Param { get; init; } = Parameterization.MuP; // as for the GPT: µP relative to BaseWidth
    public int BaseWidth { get; init; } = 64;    // µP base width: m = Width / BaseWidth

    [JsonIgnore] public double WidthMultiplier => Param == Parameterization.MuP ? (double)Width / BaseWidth : 1.0;

    public override MlpConfig Validate()
    {
        void Positive(int v, string name)
        {
            if (v <= 0) throw new ArgumentException($"{name} must be a positive whole number, got {v}");
        }
        Positive(InputDim, "InputDim"); Positive(Width, "Width"); Positive(Depth, "Depth"); Positive(Classes, "Classes");
        Positive(BaseWidth, "BaseWidth");
        return this;
    }

    /// <summary>N: input layer, hidden layers and readout, biases included.</summary>
    public override long ParameterCount()
    {
        long w = Width, b = Bias ? 1 : 0;
        return InputDim * w + w * b + Depth * (w * w + w * b) + w * Classes + Classes * b;
    }

    [JsonIgnore] public override int WidthUnits => Width;
    [JsonIgnore] public override int DepthUnits => Depth;
    public override MlpConfig Resized(int widthUnits, int depthUnits) => this with { Width = widthUnits, Depth = depthUnits };
    public override IArchitecture Architecture() => new MlpArchitecture(this);

    public override string Label() => $"MLP w{Width}×{Depth} ({ParameterCount() / 1e3:0.#}k)";
}
