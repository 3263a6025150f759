using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Tests.Training;

/// <summary>One run description: its identity, its JSON, and what it leaves out.</summary>
public class RunSpecTests
{
    /// <summary>A fixed warm spec: every part of the identity (model, data, training, operator, base) is set.</summary>
    static RunSpec Fixed()
    {
        var target = new RunSpec
        {
            Model = RunPresets.CpuModel(heads: 8) with { HeadSize = 8, RotaryFraction = 0.5 },
            Data = new CorpusData { Source = "brown", Tokenizer = "byte" },
            Train = new TrainConfig { Lr = 1e-2, BatchSize = 16, Tpp = 20, EvalEvery = 25, EvalBatches = 8, Seed = 3 },
        };
        return target with { Operator = GrowthOperator.Parse("szp"), Base = target.WithPlannedBase(2, GrowthRule.Width) };
    }

    [Fact]
    public void TheRunIdOfAFixedSpecIsPinned()
    {
        // Golden: if this changes, every stored run id changes. Make it deliberate (bump RunSpec.Schema) and migrate results.
        Assert.Equal("szp-16630ce1638b", Fixed().Id);
        Assert.Equal("scratch-369a7a3d483d", Fixed().Base!.Id);
    }

    [Fact]
    public void SettingsThatDoNotChangeResultsDoNotChangeTheId()
    {
        var spec = Fixed();
        var moved = spec with { Train = spec.Train with { Device = "cuda", Threads = 7, LogEvery = 25, CheckpointEvery = 3, TensorBoard = true } };
        Assert.Equal(spec.Id, moved.Id);
        Assert.NotEqual(spec.Id, (spec with { Train = spec.Train with { Lr = 3e-3 } }).Id);
        Assert.NotEqual(spec.Id, (spec with { Train = spec.Train with { Seed = 4 } }).Id);
        Assert.NotEqual(spec.Id, (spec with { Operator = GrowthOperator.Parse("szp", lambda: 0.2) }).Id);
        Assert.NotEqual(spec.Id, (spec with { Base = spec.Base! with { Train = spec.Base.Train with { Tpp = 10 } } }).Id);
        Assert.NotEqual(spec.Id, (spec with { Data = new CorpusData { Tokenizer = "gpt2" } }).Id);
        Assert.Contains("\"schema\": 2", spec.IdentityJson());
        Assert.DoesNotContain("threads", spec.IdentityJson());
    }

    [Fact]
    public void TheFinalAndSelectionEvaluationsJoinTheIdOnlyWhenSet()
    {
        var spec = Fixed();
        Assert.DoesNotContain("final_eval_batches", spec.IdentityJson()); // unset: the pinned ids above hold
        var lean = spec with { Train = spec.Train with { FinalEvalBatches = 64 } };
        Assert.Contains("\"final_eval_batches\": 64", lean.IdentityJson());
        Assert.NotEqual(spec.Id, lean.Id);
        var selecting = lean with { Train = lean.Train with { SelectionBatches = 32 } };
        Assert.NotEqual(lean.Id, selecting.Id);
        var back = System.Text.Json.JsonSerializer.Deserialize<RunSpec>(System.Text.Json.JsonSerializer.Serialize(selecting, Files.Json), Files.Json)!;
        Assert.Equal(selecting.Id, back.Id);
    }

    [Fact]
    public void TrainPresetQuickIsTheQuickSweepsScratchTarget() =>
        Assert.Equal(SweepPresets.Get("quick").Runs.Single(r => r.Method == "scratch").Id, RunPresets.Get("quick").Id);

    [Fact]
    public void AnMlpSpecRoundTripsThroughJsonWithItsFamilyAndTask()
    {
        var spec = new RunSpec { Model = new MlpConfig { Width = 24 }, Data = new TeacherConfig { Temperature = 1 }, Train = new TrainConfig { Tpp = 5 } };
        var json = System.Text.Json.JsonSerializer.Serialize(spec, Files.Json);
        Assert.Contains("\"family\": \"mlp\"", json);
        Assert.Contains("\"kind\": \"teacher\"", json);
        var back = System.Text.Json.JsonSerializer.Deserialize<RunSpec>(json, Files.Json)!;
        Assert.Equal(spec.Id, back.Id);
        Assert.Equal(24, Assert.IsType<MlpConfig>(back.Model).Width);
        var gpt = System.Text.Json.JsonSerializer.Deserialize<RunSpec>(System.Text.Json.JsonSerializer.Serialize(Fixed(), Files.Json), Files.Json)!;
        Assert.Equal(Fixed().Id, gpt.Id);
        Assert.IsType<GptConfig>(gpt.Base!.Model);
    }

    [Fact]
    public void AModelAndDataThatDoNotFitAreRefused()
    {
        Assert.Contains("an MLP trains on a teacher task", Assert.Throws<ArgumentException>(() =>
            new RunSpec { Model = new MlpConfig(), Data = new CorpusData() }.Validate()).Message);
        Assert.Contains("a GPT trains on a text corpus", Assert.Throws<ArgumentException>(() =>
            new RunSpec { Model = RunPresets.CpuModel(2), Data = new TeacherConfig() }.Validate()).Message);
    }

    [Fact]
    public void TheInitFieldsStayOutOfTheIdAtTheirDefaultsAndRoundTrip()
    {
        var gpt2 = RunPresets.CpuModel(heads: 4);
        var json = System.Text.Json.JsonSerializer.Serialize<ModelConfig>(gpt2, Files.Json);
        Assert.DoesNotContain("init_scheme", json);
        Assert.DoesNotContain("init_scale", json);
        Assert.Equal(gpt2 with { InitScale = 1.0 }, gpt2);
        var tuned = gpt2 with { InitScheme = InitScheme.Litgpt, InitScale = 0.5 };
        var tunedJson = System.Text.Json.JsonSerializer.Serialize<ModelConfig>(tuned, Files.Json);
        Assert.Contains("\"init_scheme\": \"litgpt\"", tunedJson);
        Assert.Contains("\"init_scale\": 0.5", tunedJson);
        var back = (GptConfig)System.Text.Json.JsonSerializer.Deserialize<ModelConfig>(tunedJson, Files.Json)!;
        Assert.Equal(tuned, back);
        Assert.Equal(InitScheme.Gpt2, ((GptConfig)System.Text.Json.JsonSerializer.Deserialize<ModelConfig>(json, Files.Json)!).InitScheme);
        Assert.Throws<ArgumentException>(() => (gpt2 with { InitScale = 0 }).Validate());
        var a = new RunSpec { Model = gpt2 };
        Assert.NotEqual(a.Id, (a with { Model = tuned }).Id);
        Assert.NotEqual(a.Id, (a with { Model = gpt2 with { InitScale = 2 } }).Id);
    }
}
