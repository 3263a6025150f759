using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Training;

namespace Warmstart.Tests.Training;

/// <summary>The closed set of methods a run spec names and every table spells.</summary>
public class MethodTests
{
    [Fact]
    public void EveryMethodAPresetTrainsIsOneOfTheClosedSet()
    {
        // The paper-scale studies train the same methods at sizes whose bases are planned differently (some g are out
        // of reach by width alone), so they are left out here as in the checkpoint test.
        var specs = SweepPresets.Names.Where(n => !n.EndsWith("paper")).SelectMany(name => SweepPresets.Get(name).Ordered())
            .Concat(RunPresets.Names.Select(RunPresets.Get));
        Assert.All(specs.Select(s => s.Method).Distinct(), m => Assert.Contains(m, Method.All));
        // Every operator too: a run grown by any of them has that operator's name as its method.
        Assert.All(GrowthOperator.Names, name => Assert.Equal(name, Method.Parse(name).Spelling));
        Assert.Equal(Method.All.Count, Method.All.Select(m => m.Spelling).Distinct().Count());
        Assert.Equal("unknown method 'sz': allowed are " + string.Join(", ", Method.All), Assert.Throws<FormatException>(() => Method.Parse("sz")).Message);
    }
}
