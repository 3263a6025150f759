using Warmstart.Analysis;
using Warmstart.Training;

namespace Warmstart.Tests.Analysis;

public class AdvisorTests
{
    static readonly ScalingFit Scratch = new(400, 0.34, 400, 0.28, 1.7, 1, 0, 0);
    static readonly ScalingFit Warm = new(400, 0.34, 200, 0.28, 1.7, 1, 0, 0); // half the data term: warm always wins

    static List<IsoFlopFit> IsoFits(double gOpt, double gUpper, string reason = "") =>
        [
            new IsoFlopFit(Method.Szp, "M", 1e6, 20, false, 7, 1e15, 3.0, 4, 0, 0, 1, gOpt, 2.9, gUpper, reason),
            new IsoFlopFit(Method.Szp, "M", 1e6, 20, false, 3, 5e14, 3.2, 4, 0, 0, 1, 99, 3.1, 99, ""),
            new IsoFlopFit(Method.Szp, "M", 1e6, 10, false, 7, 5e14, 3.1, 4, 0, 0, 1, 77, 3.0, 77, ""),
        ];

    [Fact]
    public void AdviceUsesTheLawsAndTheFullComputeFitOfTheNearestBudget()
    {
        var advice = Advisor.Advise(1e6, 2e7, Scratch, Warm, IsoFits(2.5, 6));
        Assert.Equal(Warm.Predict(1e6, 2e7) - Scratch.Predict(1e6, 2e7), advice.Delta, 12);
        Assert.True(advice.GrowthPays);
        Assert.Equal(20, advice.BudgetUsed);         // 2e7 / 1e6 = 20 tokens per parameter
        Assert.Equal(2.5, advice.GOpt);              // the last FLOP level, not level 3
        Assert.Equal(1e6 / 2.5, advice.RecommendedBaseN, 6);
        Assert.Equal(1e6 / 6, advice.SmallestBaseN, 6);
        Assert.Contains("g ≈ 2.5", advice.Text);
    }

    [Fact]
    public void UnbracketedFitsAreSaidPlainly()
    {
        var advice = Advisor.Advise(1e6, 2e7, Scratch, Warm, IsoFits(double.NaN, double.NaN, "minimum at g = 40, above the largest g observed (16)"));
        Assert.True(double.IsNaN(advice.GOpt));
        Assert.Contains("not bracketed", advice.Text);
        Assert.Contains("above the largest g observed", advice.Text);
        Assert.Contains("No upper bound", advice.Text);
        Assert.Throws<ArgumentException>(() => Advisor.Advise(0, 1, Scratch, Warm, IsoFits(2, 4)));
    }
}
