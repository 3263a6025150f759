using Warmstart.Experiments;
using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Tests.Faults;

/// <summary>Memory, steps and seeds are bounded before anything is allocated, so an impossible run fails at once rather than after filling memory.</summary>
public class SizeCheckTests
{
    public SizeCheckTests() => TestSupport.Init();

    [Fact]
    [Outer(OuterReason.Process)]
    public void TooManyLayersFailFastWithTheEstimate()
    {
        using var dir = TestSupport.Temp();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Refusal.CheckNaming(dir, ["train", "--out", dir["o"], "--layers", "100000"], "100000 layers", "has 5 G parameters");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void AFittingModelThatNeedsMoreThanTheMachineHasIsRefusedWithBothFigures()
    {
        using var dir = TestSupport.Temp();
        var line = Refusal.CheckNaming(dir, ["train", "--out", dir["o"], "--layers", "2000", "--heads", "16", "--batch-size", "256"], "2000 layers");
        Assert.Matches(@"this run needs about [\d.]+ (GiB|TiB) of memory .* but [\d.]+ (GiB|MiB) is available", line);
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void BudgetsOfAbsurdlyManyStepsAndSeedsAreRefused()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal("error: the budget (--tokens 1000000000000000) at 2,048 tokens per step is 4.88E+11 steps; at most 100,000,000 are allowed: " +
                     "lower --tokens or --tpp, or raise --batch-size", Refusal.Check(dir, "train", "--out", dir["o"], "--tokens", "1e15"));
        Assert.Equal("error: seeds must be a positive count, at most 1000, got 1000000",
            Refusal.Check(dir, "sweep", "--preset", "smoke", "--seeds", "1000000", "--out", dir["s"]));
    }

    [Fact]
    public void TheEstimateCoversStateAndActivations()
    {
        var smoke = RunPresets.Get("smoke");
        var e = MemoryEstimate.For(smoke);
        Assert.Equal(smoke.Model!.ParameterCount(), e.Params, 0);          // the same N as the model's own count
        Assert.Equal(32 * e.Params, e.StateBytes, 0);                       // weights, grads, 2 moments, scratch
        Assert.InRange(e.ActivationBytes, 1e6, 1e9);                       // a few dozen MiB for 16 × 128 tokens
        Assert.True(MemoryEstimate.AvailableBytes() > 0);
        var mlp = MemoryEstimate.For(RunPresets.Get("mlp"));
        Assert.Equal(RunPresets.Get("mlp").Model.ParameterCount(), mlp.Params, 0);
    }
}
