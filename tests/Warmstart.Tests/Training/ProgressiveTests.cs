using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Tests.Training;

/// <summary>Progressive growth: stages of one LR schedule, each continuing where the last stopped, every stage's compute counted.</summary>
public class ProgressiveTests
{
    public ProgressiveTests() => TestSupport.Init();

    [Fact]
    public void StagesFollowOneScheduleWithAFreshWarmupAfterEachGrowth()
    {
        const long total = 1000;
        const double warmup = 0.01, cooldown = 0.2;
        // The first stage is the schedule's own start: no difference at all from a run of the whole schedule.
        for (long s = 0; s < 250; s++)
            Assert.Equal(LrSchedule.Multiplier(Schedule.Wsd, s, total, warmup, cooldown), LrSchedule.StageMultiplier(Schedule.Wsd, s, 0, total, warmup, cooldown));
        // A later stage: the schedule's value from its offset on, warmed up again over the schedule's warmup (10 steps).
        Assert.Equal(0.1, LrSchedule.StageMultiplier(Schedule.Wsd, 0, 250, total, warmup, cooldown), 12);
        Assert.Equal(1.0, LrSchedule.StageMultiplier(Schedule.Wsd, 9, 250, total, warmup, cooldown), 12);
        Assert.Equal(1.0, LrSchedule.StageMultiplier(Schedule.Wsd, 100, 250, total, warmup, cooldown), 12);
        // The cooldown is the whole schedule's last 20%: the last stage decays to its end as the schedule does.
        Assert.Equal(LrSchedule.Multiplier(Schedule.Wsd, 999, total, warmup, cooldown), LrSchedule.StageMultiplier(Schedule.Wsd, 749, 250, total, warmup, cooldown));
        Assert.Equal(0.5, LrSchedule.StageMultiplier(Schedule.Wsd, 650, 250, total, warmup, cooldown), 12); // step 900: halfway down
    }

    [Fact]
    public void AStageScheduleIsCheckedAndJoinsTheIdOnlyWhenSet()
    {
        var train = new TrainConfig { Tokens = 1000, Tpp = null };
        Assert.DoesNotContain("schedule_", System.Text.Json.JsonSerializer.Serialize(train.Identity(), Warmstart.Runtime.Files.Json));
        var stage = train with { ScheduleTokens = 4000, ScheduleOffsetTokens = 1000 };
        Assert.Contains("\"schedule_offset_tokens\": 1000", System.Text.Json.JsonSerializer.Serialize(stage.Identity(), Warmstart.Runtime.Files.Json));
        Assert.Contains("needs the schedule's length", Assert.Throws<ArgumentException>(() => (train with { ScheduleOffsetTokens = 5 }).Validate()).Message);
        Assert.Contains("inside the schedule", Assert.Throws<ArgumentException>(() => (train with { ScheduleTokens = 500, ScheduleOffsetTokens = 500 }).Validate()).Message);
        Assert.Contains("must be positive", Assert.Throws<ArgumentException>(() => (train with { ScheduleTokens = 0 }).Validate()).Message);
    }

    [Fact]
    [Outer(OuterReason.Slow)]
    public void AProgressiveRunCountsEveryStagesComputeAndPairsWithScratchAtTheWholeBudget()
    {
        using var dir = TestSupport.Temp();
        var model = TestSupport.Tiny(heads: 2, layers: 3) with { VocabSize = 256, ContextLength = 16, Attention = AttentionKernel.Fused };
        var train = new TrainConfig { Lr = 1e-2, BatchSize = 4, Tpp = 1, EvalEvery = 10, EvalBatches = 2, Seed = 0 }; // TPP × N whole: the stage's per-parameter budget is exact
        var target = new RunSpec { Model = model, Train = train, Data = new CorpusData { Tokenizer = "byte" } };
        long budget = train.BudgetTokens(model.ParameterCount()), perStep = 4 * 16, steps = (budget + perStep - 1) / perStep;
        long half = steps / 2 * perStep;
        var first = target with { Model = model with { Layers = 1 }, Train = train with { Tpp = null, Tokens = half, ScheduleTokens = budget } };
        var second = target with
        {
            Train = train with { Tpp = null, Tokens = budget - half, ScheduleTokens = budget, ScheduleOffsetTokens = half },
            Operator = GrowthOperator.Parse("stack"), Base = first,
        };
        Assert.Equal(Method.StackProgressive, second.Method);
        Assert.True(second.IsProgressiveStage);
        var outcome = SweepRunner.Run(new Sweep("progressive", [target, second], "test"), dir.Path);
        Assert.Equal(0, outcome.Failed);
        var tables = new ResultStore(dir.Path).Load();
        var scratch = tables.Runs.Single(r => r.RunId == target.Id);
        var grown = tables.Runs.Single(r => r.RunId == second.Id);
        var stageOne = tables.Runs.Single(r => r.RunId == first.Id);
        Assert.Equal(scratch.Tpp, grown.Tpp); // the whole schedule's budget per parameter: they pair
        Assert.Equal(stageOne.Flops, grown.BaseFlops); // the first stage's compute is the progressive run's base compute
        Assert.Equal(scratch.Tokens, grown.Tokens + stageOne.Tokens); // the same steps as scratch: one schedule split in two
        Assert.Same(scratch, Warmstart.Analysis.Pairing.ScratchOf(tables.Runs, grown));
    }
}
