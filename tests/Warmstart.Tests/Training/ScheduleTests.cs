using Warmstart.Training;

namespace Warmstart.Tests.Training;

public class ScheduleTests
{
    // 1,000 steps: warmup = 10 steps (1%), cooldown = the last 200 (20%).
    [Theory]
    [InlineData(0, 0.1)]       // first warmup step: 1/10 of the peak, never 0
    [InlineData(4, 0.5)]
    [InlineData(9, 1.0)]       // warmup ends at the peak
    [InlineData(10, 1.0)]      // constant phase
    [InlineData(799, 1.0)]     // last constant step
    [InlineData(800, 1.0)]     // cooldown starts at the peak …
    [InlineData(900, 0.5)]     // … halfway down …
    [InlineData(999, 0.005)]   // … the last step at 1/200
    public void WsdWarmsUpHoldsThenCoolsLinearlyToZero(long step, double expected) =>
        Assert.Equal(expected, LrSchedule.Multiplier(Schedule.Wsd, step, 1000, 0.01, 0.2), 12);

    [Theory]
    [InlineData(10, 1.0)]
    [InlineData(505, 0.5)]
    public void CosineDecaysFromThePeakAfterWarmup(long step, double expected) =>
        Assert.Equal(expected, LrSchedule.Multiplier(Schedule.Cosine, step, 1000, 0.01, 0.2), 12);

    [Fact]
    public void ConstantStaysAtThePeakAfterWarmup()
    {
        Assert.Equal(0.1, LrSchedule.Multiplier(Schedule.Constant, 0, 1000, 0.01, 0.2), 12);
        Assert.Equal(1.0, LrSchedule.Multiplier(Schedule.Constant, 999, 1000, 0.01, 0.2), 12);
    }

    [Fact]
    public void WsdIsMonotoneAndPositive()
    {
        var values = Enumerable.Range(0, 1000).Select(s => LrSchedule.Multiplier(Schedule.Wsd, s, 1000, 0.01, 0.2)).ToList();
        Assert.All(values, v => Assert.InRange(v, 1e-9, 1.0));
        for (int s = 10; s < 999; s++) Assert.True(values[s + 1] <= values[s]);
    }
}
