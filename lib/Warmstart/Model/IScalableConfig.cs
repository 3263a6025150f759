namespace Warmstart.Model;

/// <summary>A model config that can be resized in width units (heads, hidden units) and depth (blocks, layers).</summary>
public interface IScalableConfig<TSelf> where TSelf : IScalableConfig<TSelf>
{
    int WidthUnits { get; }
    int DepthUnits { get; }
    TSelf Resized(int widthUnits, int depthUnits);
    long ParameterCount();
    string Label();
}
