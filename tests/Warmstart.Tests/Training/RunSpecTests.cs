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
        // Golden: if this changes, every stored run id changes. Make it deliberate (bump RunSpec.Schema) and regenerate the committed results.
        Assert.Equal("szp-16630ce1638b", Fixed().Id);
        Assert.Equal("scratch-369a7a3d483d", Fixed().Base!.Id);
    }

    /// <summary>
    /// Committed runs are keyed by their ids (the plan file's name, the run folder's name): every spec stored under
    /// data/ must give back the id it is stored under, so no change to RunSpec can re-key them unnoticed.
    /// </summary>
    [Fact]
    public void EveryCommittedSpecGivesTheIdItIsStoredUnder()
    {
        var data = Path.Combine(NotebookRunner.RepoRoot, "data");
        var stored = new List<(string File, string Id)>();
        foreach (var study in new[] { "results", "campaign" }.Select(f => Path.Combine(data, f)).Where(Directory.Exists).SelectMany(Directory.GetDirectories))
        {
            var plan = Path.Combine(study, "plan");
            if (Directory.Exists(plan))
                stored.AddRange(Directory.GetFiles(plan, "*.json").Select(f => (f, Path.GetFileNameWithoutExtension(f))));
            var runs = Path.Combine(study, "runs");
            if (Directory.Exists(runs))
                stored.AddRange(Directory.GetDirectories(runs).Select(d => (Path.Combine(d, Trainer.SpecFile), Path.GetFileName(d))).Where(s => File.Exists(s.Item1)));
        }
        var wrong = stored.Select(s => (s.File, s.Id, Computed: Files.ReadJson<RunSpec>(s.File).Id)).Where(s => s.Computed != s.Id)
            .Select(s => $"{Path.GetRelativePath(data, s.File)} gives {s.Computed}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(stored.Count > 400, $"only {stored.Count} stored specs found under {data}");
        // Every method the committed runs use is in the ids, so each spelling is pinned, not only scratch and SZP's.
        var methods = stored.Select(s => s.Id[..s.Id.LastIndexOf('-')]).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Contains("szp-untrained-base", methods);
        Assert.Contains("untrained", methods);
    }

    [Fact]
    public void TheMethodIsTypedAndAGrownRunOutsideTheClosedSetIsRefused()
    {
        var warm = Fixed();
        Assert.Equal((Method.Szp, Method.Scratch), (warm.Method, warm.Base!.Method));
        var untrainedBase = warm with { Base = warm.Base with { Untrained = true } };
        Assert.Equal((Method.SzpUntrainedBase, Method.Untrained), (untrainedBase.Method, untrainedBase.Base!.Method));
        Assert.StartsWith("szp-untrained-base-", untrainedBase.Id);
        // Growth by another operator from an untrained base has no method the analyses read: refused before training.
        var fp = untrainedBase with { Operator = GrowthOperator.Parse("fp") };
        Assert.Equal($"a run grown by operator 'fp' from an untrained base has no method the analyses know ('fp-untrained-base'): allowed are {string.Join(", ", Method.All)}",
            Assert.Throws<ArgumentException>(() => fp.Validate()).Message);
        Assert.Throws<ArgumentException>(() => (warm with { Operator = warm.Operator! with { Name = "szp2" } }).Id);
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
        Assert.Equal(SweepPresets.Get("quick").Runs.Single(r => r.Method == Method.Scratch).Id, RunPresets.Get("quick").Id);

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

    [Fact]
    public void TheAttentionPathStaysOutOfTheIdAtSdpaAndJoinsItWhenFused()
    {
        var spec = Fixed();
        var json = System.Text.Json.JsonSerializer.Serialize(spec, Files.Json);
        Assert.DoesNotContain("\"attention\"", json); // every committed spec was written before the field, on SDPA
        var fused = spec.WithAttention(AttentionKernel.Fused);
        Assert.Equal(AttentionKernel.Fused, ((GptConfig)fused.Model).Attention);
        Assert.Equal(AttentionKernel.Fused, ((GptConfig)fused.Base!.Model).Attention); // the base trains on the same path
        var fusedJson = System.Text.Json.JsonSerializer.Serialize(fused, Files.Json);
        Assert.Contains("\"attention\": \"fused\"", fusedJson);
        Assert.NotEqual(spec.Id, fused.Id);
        Assert.NotEqual(spec.Base!.Id, fused.Base.Id);
        var back = System.Text.Json.JsonSerializer.Deserialize<RunSpec>(fusedJson, Files.Json)!;
        Assert.Equal(fused.Id, back.Id);
        Assert.Equal(spec.Id, fused.WithAttention(AttentionKernel.Sdpa).Id);
        var mlp = new RunSpec { Model = new MlpConfig(), Data = new TeacherConfig() };
        Assert.Equal(mlp.Id, mlp.WithAttention(AttentionKernel.Fused).Id); // an MLP has no attention to choose
    }
}
