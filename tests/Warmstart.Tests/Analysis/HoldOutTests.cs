using Warmstart.Analysis;

namespace Warmstart.Tests.Analysis;

/// <summary>Claim 5's hold-out arithmetic that needs no fit: which baseline is best, and law − best per seed.</summary>
public class HoldOutTests
{
    static HoldOutErrors Errors(double secondBaselineLower) =>
        new("without the largest target", 3, [], null, [0.03, 0.01],
            [(HoldOut.PerBudgetMean, [0.02, 0.025]), (HoldOut.LogLinear, [0.02, 0.025 - secondBaselineLower])], []);

    [Fact]
    public void TheBestBaselineIsTheFirstTriedWhereTheTwoAgreeToRounding()
    {
        Assert.Equal(HoldOut.PerBudgetMean, Errors(1e-17).Best.Name); // equal but for the last bits: the order decides
        Assert.Equal(HoldOut.LogLinear, Errors(1e-4).Best.Name);      // clearly lower: it wins
        // Law − best per seed: (0.03 − 0.02, 0.01 − 0.025) = (0.01, −0.015), mean −0.0025 over two seeds.
        var d = Errors(1e-17).Difference;
        Assert.Equal(-0.0025, d.Value, 1e-15);
        Assert.Equal(2, d.N);
        Assert.True(d.Lo < -0.0025 && d.Hi > 0); // two seeds of opposite sign: the interval spans 0
    }

    [Fact]
    public void TheTableListsTheLawEachBaselineAndLawMinusBest()
    {
        var rows = new HoldOutComparison([Errors(1e-4)], BothSigns: false).Rows();
        Assert.Equal([HoldOut.Law, HoldOut.PerBudgetMean, HoldOut.LogLinear, $"{HoldOut.LawMinusBest} ({HoldOut.LogLinear})"], rows.Select(r => r.Predictor));
        Assert.Equal(0.02, rows[0].Value, 1e-15); // the law's mean error over the two seeds
        Assert.All(rows, r => Assert.Equal(2, r.Seeds));
    }
}
