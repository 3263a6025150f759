using Warmstart.Training;

namespace Warmstart.Tests.Faults;

/// <summary>Bench needs at least one timed step: with zero there is nothing to average, and the table would be NaNs.</summary>
[Outer(OuterReason.Process)]
public class BenchStepsTests
{
    [Fact]
    public void ZeroStepsAreRefused()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal("error: --steps must be ≥ 1 (timed steps per size), got 0", Refusal.Check(dir, "bench", "--steps", "0"));
        var e = Assert.Throws<ArgumentException>(() => Benchmark.Validate([new BenchShape(64)], steps: 0));
        Assert.Equal("--steps must be ≥ 1 (timed steps per size), got 0", e.Message);
    }
}
