using System.Text.Json.Serialization;
using Warmstart.Data;
using Warmstart.Growth;
using Warmstart.Training;

namespace Warmstart.Model;

/// <summary>
/// A model family's config (the GPT or the dense MLP). A run holds one through this type, so nothing downstream
/// branches on the family: each config knows its architecture, label, growth targets and the data it trains on.
/// In JSON the family is the "family" field ("gpt" or "mlp").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "family")]
[JsonDerivedType(typeof(GptConfig), "gpt")]
[JsonDerivedType(typeof(MlpConfig), "mlp")]
public abstract record ModelConfig
{
    /// <summary>Parameter specs, init and µP multipliers: what growth and the trainer work on.</summary>
    public abstract IArchitecture Architecture();

    /// <summary>Total parameter count N (embeddings and head included).</summary>
    public abstract long ParameterCount();

    /// <summary>A short label such as "L2-H8x8 (d64, 0.133M)".</summary>
    public abstract string Label();

    /// <summary>Throws an ArgumentException naming the first bad field and what is allowed.</summary>
    public abstract ModelConfig Validate();

    /// <summary>Width units (heads or hidden units) and depth units (blocks or hidden layers): what growth changes.</summary>
    [JsonIgnore] public abstract int WidthUnits { get; }
    [JsonIgnore] public abstract int DepthUnits { get; }

    /// <summary>The base the planner picks for growth factor g into this model, and the target it picks from this one.</summary>
    public abstract ModelConfig PlannedBase(double g, GrowthRule rule);
    public abstract ModelConfig PlannedTarget(double g, GrowthRule rule);

    /// <summary>Training and validation batches of <paramref name="data"/> for this model (checks that they fit).</summary>
    public abstract ITrainingData OpenData(DataSpec data, int rows, long seed);

    /// <summary>Checks that <paramref name="data"/> fits this model without opening it (vocabulary, input size, classes).</summary>
    public abstract void CheckData(DataSpec data);
}
