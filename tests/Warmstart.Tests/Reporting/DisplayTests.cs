using Warmstart.Analysis;
using Warmstart.Reporting;

namespace Warmstart.Tests.Reporting;

/// <summary>Tables as the notebooks show them: the depth operators (notebook 10), claim 5's hold-out errors (notebook 05).</summary>
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

    [Fact]
    public void AHoldOutLineShowsTheErrorWithItsIntervalOrADashWhereTheHoldOutWasRefused()
    {
        var lines = Display.HoldOut([
            new HoldOutRow("without the largest budget", HoldOut.Law, 4, 3, 0.015693, 0.011125, 0.020261, "scratch's E at its lower bound (exp(-30))"),
            new HoldOutRow("without the largest target", HoldOut.Law, 3, 0, double.NaN, double.NaN, double.NaN, "refused: 2 distinct N"),
            new HoldOutRow("without the largest budget", HoldOut.LogLinear, 4, 1, 0.0175, double.NaN, double.NaN, ""),
        ]);
        Assert.Equal([
            new HoldOutLine("without the largest budget", HoldOut.Law, "0.0157 [0.0111, 0.0203]", 4, 3, "scratch's E at its lower bound (exp(-30))"),
            new HoldOutLine("without the largest target", HoldOut.Law, "–", 3, 0, "refused: 2 distinct N"),
            new HoldOutLine("without the largest budget", HoldOut.LogLinear, "0.0175", 4, 1, ""), // one seed: no interval
        ], lines);
    }
}
