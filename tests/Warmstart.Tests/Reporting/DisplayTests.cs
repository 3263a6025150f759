using Warmstart.Reporting;

namespace Warmstart.Tests.Reporting;

/// <summary>The depth operators as notebook 10 pictures them, from the grower's own depth map.</summary>
public class DisplayTests
{
    [Fact]
    public void EachDepthOperatorShowsWhatEveryGrownBlockStartsFrom()
    {
        var lines = Display.DepthOperators(["stack", "interleave", "identity", "szp-depth"], 2, 4);
        Assert.Equal([
            new DepthOperatorLine("stack", "b1 | b2 | b1 | b2"),                // the whole base repeated (G_stack)
            new DepthOperatorLine("interleave", "b1 | b1 | b2 | b2"),           // each block repeated in place
            new DepthOperatorLine("identity", "b1 | b2 | identity | identity"), // new blocks add nothing: the base's function
            new DepthOperatorLine("szp-depth", "0.4·b1 + 1·fresh | 0.4·b2 + 1·fresh | 1·fresh | 1·fresh"),
        ], lines);
        // From one block, stacking and interleaving coincide (the depth study trains stack alone there).
        Assert.Equal(Display.DepthOperators(["stack"], 1, 4)[0].Blocks, Display.DepthOperators(["interleave"], 1, 4)[0].Blocks);
        var bad = Assert.Throws<ArgumentException>(() => Display.DepthOperators(["stack"], 4, 2));
        Assert.Contains("shallower than the base", bad.Message);
    }
}
