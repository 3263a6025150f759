using System.Text.Json.Serialization;

namespace Warmstart.Model;

/// <summary>
/// A model family's config (the GPT or the dense MLP). A run holds one through this type, so nothing downstream
/// branches on the family: each config knows its architecture, label, size, and how it resizes in width and depth
/// (what the growth planner searches). The data kind that trains a family knows which family it feeds
/// (<c>DataSpec.CheckFits</c>), so this layer depends on nothing above it. In JSON the family is the "family" field
/// ("gpt" or "mlp").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "family")]
[JsonDerivedType(typeof(GptConfig), "gpt")]
[JsonDerivedType(typeof(MlpConfig), "mlp")]
public abstract record ModelConfig : IScalableConfig<ModelConfig>
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

    /// <summary>The same config with <paramref name="widthUnits"/> width units and <paramref name="depthUnits"/> depth units.</summary>
    public abstract ModelConfig Resized(int widthUnits, int depthUnits);
}
