using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Model;

namespace Warmstart.Tests.Growth;

public class PlannerTests
{
    [Fact]
    public void WidthPlanPicksTheHeadCountWhoseRealisedGIsClosest()
    {
        var baseConfig = new GptConfig { Heads = 2 }; // the paper's 14.6M model
        var plan = GrowthPlanner.Target(baseConfig, 2.2, GrowthRule.Width);
        Assert.Equal(4, plan.Target.Heads);            // 32.3M: g = 2.22
        Assert.Equal(8, plan.Target.Layers);
        Assert.Equal((double)(baseConfig with { Heads = 4 }).ParameterCount() / baseConfig.ParameterCount(), plan.RealisedG, 12);
        // Every other head count misses by more.
        foreach (int h in new[] { 3, 5 })
        {
            double g = (double)(baseConfig with { Heads = h }).ParameterCount() / baseConfig.ParameterCount();
            Assert.True(Math.Abs(Math.Log(g / 2.2)) > Math.Abs(Math.Log(plan.RealisedG / 2.2)));
        }
    }

    [Fact]
    public void DepthAndBothPlansGrowTheRightDimensions()
    {
        var baseConfig = RunPresets.CpuModel(heads: 4, layers: 2);
        var depth = GrowthPlanner.Target(baseConfig, 2, GrowthRule.Depth);
        Assert.Equal(baseConfig.Heads, depth.Target.Heads);
        Assert.True(depth.Target.Layers > 2);
        var both = GrowthPlanner.Target(baseConfig, 8, GrowthRule.Both);
        Assert.True(both.Target.Heads > 4 && both.Target.Layers > 2, both.Target.Label());
        Assert.InRange(both.RealisedG, 8 / 1.1, 8 * 1.1);
    }

    [Fact]
    public void WidthPlansTakeTheStrictlyClosestG()
    {
        // The quick ladder (head size 8, depth 2): for g = 4 the bases give 3.17 (4 heads) and 4.96 (3 heads);
        // |ln(4.96/4)| = 0.215 < |ln(4/3.17)| = 0.231, so 3 heads.
        var target = RunPresets.CpuModel(heads: 8) with { HeadSize = 8 };
        Assert.Equal(3, GrowthPlanner.Base(target, 4, GrowthRule.Width).Base.Heads);
        Assert.Equal(5, GrowthPlanner.Base(target, 2, GrowthRule.Width).Base.Heads);
        Assert.Equal(1, GrowthPlanner.Base(target, 16, GrowthRule.Width).Base.Heads);
    }

    [Fact]
    public void ReversePlanChoosesTheBase()
    {
        var target = RunPresets.CpuModel(heads: 8);
        var plan = GrowthPlanner.Base(target, 4, GrowthRule.Width);
        Assert.Equal(target, plan.Target);
        Assert.True(plan.Base.Heads < 8);
        Assert.Equal((double)target.ParameterCount() / plan.Base.ParameterCount(), plan.RealisedG, 12);
    }

    [Fact]
    public void ImpossibleRequestsAreClearErrors()
    {
        var target = RunPresets.CpuModel(heads: 4);
        Assert.Contains("out of reach", Assert.Throws<ArgumentException>(() => GrowthPlanner.Base(target, 1000, GrowthRule.Width)).Message);
        Assert.Contains("g must be a finite number > 1, got 0.5", Assert.Throws<ArgumentException>(() => GrowthPlanner.Target(target, 0.5, GrowthRule.Width)).Message);
    }
}
