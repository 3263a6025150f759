using Warmstart.Training;

namespace Warmstart.Tests.Faults;

/// <summary>Issue 11, item 11: bench needs at least one timed step (zero printed a table of NaNs).</summary>
public class BenchStepsTests
{
    [Fact]
    public void ZeroStepsAreRefused()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal("error: --steps must be ≥ 1 (timed steps per size), got 0", Refusal.Check(dir, "bench", "--steps", "0"));
        var e = Assert.Throws<ArgumentException>(() => Benchmark.Validate([64], 4, 256, 16, steps: 0, headSize: 16));
        Assert.Equal("--steps must be ≥ 1 (timed steps per size), got 0", e.Message);
    }
}
