using System.Text.Json;
using Warmstart.Experiments;
using Warmstart.Tests.Cli;
using Warmstart.Training;

namespace Warmstart.Tests.Faults;

/// <summary>
/// Exploding losses are divergence (non-finite loss or grad norm, or validation loss far above the start), so that a
/// run that blew up is marked diverged instead of entering the analyses as a bad but valid result.
/// </summary>
public class DivergenceTests
{
    public DivergenceTests() => TestSupport.Init();

    [Fact, Outer(OuterReason.Slow), Outer(OuterReason.Process)]
    public void AnInfiniteGradientNormStopsTheRunAsDiverged()
    {
        using var dir = TestSupport.Temp();
        var result = CliRunner.Run("train", "--preset", "smoke", "--out", dir["dv"], "--lr", "1e3");
        Assert.True(result.ExitCode == 3, result.Output);
        Assert.Matches(@"diverged at step \d+: gradient norm is \+inf", result.Output);
        using var summary = JsonDocument.Parse(File.ReadAllText(dir["dv/summary.json"]));
        Assert.True(summary.RootElement.GetProperty("diverged").GetBoolean());
        Assert.True(summary.RootElement.GetProperty("diverged_step").GetInt64() > 0);
        Assert.Equal("gradient norm is +inf", summary.RootElement.GetProperty("diverged_reason").GetString());
        Assert.False(Directory.Exists(dir["dv/checkpoint"])); // no checkpoint of exploded weights
    }

    [Fact, Outer(OuterReason.Slow)]
    public void AValidationLossAboveTwiceTheStartForThreeEvaluationsIsDivergence()
    {
        using var dir = TestSupport.Temp();
        var config = RunPresets.Get("smoke") with
        {
            Train = RunPresets.Get("smoke").Train with { Lr = 1, Tokens = 200_000, EvalEvery = 5, EvalBatches = 1 },
        };
        var summary = Trainer.Run(config, dir["run"]);
        Assert.True(summary.Diverged);
        Assert.Equal(0, summary.DivergedStep!.Value % 5);                       // decided at an evaluation …
        Assert.True(summary.DivergedStep >= 5 * Trainer.DivergenceEvals);      // … the third bad one at the earliest
        Assert.Contains($"stayed above 2 × the initial {summary.InitialValLoss:0.###} for 3 evaluations in a row", summary.DivergedReason);
        var vals = CurvePoint.ReadStrict(dir["run/curve.csv"]).Where(p => p.Step > 0 && !double.IsNaN(p.ValLoss)).TakeLast(3);
        Assert.All(vals, p => Assert.True(double.IsFinite(p.ValLoss) && p.ValLoss > 2 * summary.InitialValLoss));
    }
}
