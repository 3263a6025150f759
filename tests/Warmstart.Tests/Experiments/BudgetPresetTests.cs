using Warmstart.Experiments;
using Warmstart.Model;

namespace Warmstart.Tests.Experiments;

public class BudgetPresetTests
{
    [Fact]
    public void TheQuickBudgetStudyHasFourTargetSizesEachWithABaseSmallerThanItPerG()
    {
        // A scaling law in N is identified only with ≥ 3 distinct N (with two, any exponent fits as well): the quick
        // study has four.
        var budget = SweepPresets.Get("budget-quick", seeds: 3);
        var targets = budget.Runs.Where(r => r.Method == "scratch").Select(r => r.Model.ParameterCount()).Distinct().OrderBy(n => n).ToList();
        Assert.Equal(4, targets.Count);
        Assert.Equal([10.0, 20.0, 30.0], budget.Runs.Select(r => r.Train.Tpp!.Value).Distinct().OrderBy(t => t));
        Assert.Equal(3, budget.Runs.Select(r => r.Train.Seed).Distinct().Count());
        foreach (var n in targets)
        {
            var warm = budget.Runs.Where(r => r.Base is not null && r.Model.ParameterCount() == n).ToList();
            Assert.Equal(3, warm.Select(r => Math.Round(r.G, 3)).Distinct().Count());
            Assert.All(warm, r => Assert.True(r.Base!.Model.ParameterCount() < n, $"{r.Id}: base is not smaller than its target"));
        }
    }
}
