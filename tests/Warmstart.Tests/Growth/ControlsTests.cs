using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Growth;

/// <summary>
/// The controls that separate what the base learned from its weights' scale (permuted base, scratch at SZP's norms,
/// untrained base), the litgpt init scheme and init scale, tuning grids, and evaluations with an SE: what it takes to
/// compare SZP with a scratch baseline at its best (docs/research.md, "How a claim is decided").
/// </summary>
public class ControlsTests
{
    public ControlsTests() => TestSupport.Init();

    static readonly GptConfig BaseConfig = TestSupport.Tiny(heads: 2, layers: 2);   // d = 16
    static readonly GptConfig TargetConfig = TestSupport.Tiny(heads: 4, layers: 2); // d = 32

    static Gpt RandomBase(long seed = 1)
    {
        var model = new Gpt(BaseConfig, seed);
        var generator = new Generator((ulong)seed + 100);
        using var _ = no_grad();
        foreach (var p in model.parameters()) p.copy_(normal(0, 0.2, p.shape, generator: generator));
        return model;
    }

    static Dictionary<string, Tensor> Params(TrainableModel m) => m.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);

    [Fact]
    public void APermutedBaseKeepsEachTensorsValuesAndNormButNotItsOrder()
    {
        using var b = RandomBase();
        var original = Params(b);
        var permuted = Grower.Permuted(b, seed: 5);
        var again = Grower.Permuted(b, seed: 5);
        int moved = 0;
        for (int i = 0; i < permuted.Count; i++)
        {
            var (spec, t) = permuted[i];
            var o = original[spec.Name];
            Assert.Equal(o.shape, t.shape);
            Assert.True(o.flatten().sort().Values.equal(t.flatten().sort().Values).all().item<bool>(), $"{spec.Name}: the multiset of values changed");
            Assert.Equal(o.norm().item<float>(), t.norm().item<float>(), 4);
            Assert.True(t.equal(again[i].Tensor).all().item<bool>(), $"{spec.Name}: the permutation is not deterministic from the seed");
            if (!t.equal(o).all().item<bool>()) moved++;
        }
        Assert.True(moved >= permuted.Count - 2, $"only {moved} of {permuted.Count} tensors were shuffled");
        foreach (var (_, t) in permuted.Concat(again)) t.Dispose();
    }

    [Fact]
    public void SzpFromAPermutedBaseIsSzpOfThePermutedTensors()
    {
        using var b = RandomBase();
        var op = GrowthOperator.Parse("szp-permuted-base");
        Assert.True(op.PermuteBase);
        Assert.Equal((0.4, 1.0), (op.Lambda, op.Sigma));
        using var grown = Grower.Grow(b, new GptArchitecture(TargetConfig), op, seed: 3);
        using var szp = Grower.Grow(b, new GptArchitecture(TargetConfig), GrowthOperator.Parse("szp"), seed: 3);
        using var fresh = new Gpt(TargetConfig, 3);
        var (g, s, f) = (Params(grown), Params(szp), Params(fresh));
        // λ·Embed(base) has the same norm either way (zero padding keeps entries): compare the base part's norm.
        foreach (var name in g.Keys)
            Assert.Equal((s[name] - f[name]).norm().item<float>(), (g[name] - f[name]).norm().item<float>(), 3);
        Assert.False(g["h.0.attn.c_attn.weight"].equal(s["h.0.attn.c_attn.weight"]).all().item<bool>());
    }

    [Fact]
    public void RescaledScratchHasTheSzpStartsPerTensorNormsAndTheFreshInitsDirection()
    {
        using var b = RandomBase();
        var op = GrowthOperator.Parse("scratch-rescaled");
        Assert.Equal((0.0, 1.0), (op.Lambda, op.Sigma));
        Assert.Equal("szp", op.NormsOf!.Name);
        using var rescaled = Grower.Grow(b, new GptArchitecture(TargetConfig), op, seed: 3);
        using var szp = Grower.Grow(b, new GptArchitecture(TargetConfig), GrowthOperator.Parse("szp"), seed: 3);
        using var fresh = new Gpt(TargetConfig, 3);
        var (r, s, f) = (Params(rescaled), Params(szp), Params(fresh));
        foreach (var name in r.Keys)
        {
            double want = s[name].norm().item<float>(), have = r[name].norm().item<float>();
            Assert.True(Math.Abs(have - want) <= 1e-4 * Math.Max(1, want), $"{name}: norm {have} is not the SZP start's {want}");
            double init = f[name].norm().item<float>();
            if (init > 0) // a drawn (or ones) init keeps its direction: cosine 1 with the fresh init
            {
                double cos = (r[name] * f[name]).sum().item<float>() / (have * init);
                Assert.True(cos > 0.9999, $"{name}: not the fresh init rescaled (cos {cos})");
            }
        }
        // The µP readout starts at zero in scratch: rescaled it is a random draw with SZP's norm, unlike the base's head.
        Assert.True(r["lm_head.weight"].norm().item<float>() > 0);
        // Different operator, different id; the default operators' JSON is unchanged by the new switches.
        var json = System.Text.Json.JsonSerializer.Serialize(GrowthOperator.Parse("szp"), Files.Json);
        Assert.DoesNotContain("permute", json);
        Assert.DoesNotContain("norms_of", json);
        Assert.Contains("norms_of", System.Text.Json.JsonSerializer.Serialize(op, Files.Json));
    }

    static RunSpec TinyRun(bool untrained = false) => new()
    {
        Model = RunPresets.CpuModel(heads: 2) with { ContextLength = 32, HeadSize = 8, RotaryFraction = 0.5, InitScheme = InitScheme.Litgpt },
        Train = new TrainConfig { Lr = 1e-2, BatchSize = 4, Tokens = 4 * 32 * 6, Tpp = null, EvalEvery = 3, EvalBatches = 4, Seed = 2, Threads = 2 },
        Untrained = untrained,
    };

    [Fact]
    public void AnUntrainedRunTakesNoStepAndItsCheckpointIsTheModelsOwnInit()
    {
        using var dir = TestSupport.Temp();
        var spec = TinyRun(untrained: true);
        Assert.Equal("untrained", spec.Method);
        Assert.NotEqual(TinyRun().Id, spec.Id);
        Assert.Contains("\"untrained\": true", spec.IdentityJson());
        Assert.DoesNotContain("untrained", TinyRun().IdentityJson());
        var summary = Trainer.Run(spec, dir["run"]);
        Assert.Equal(0, summary.Steps);
        Assert.Equal(0, summary.Tokens);
        Assert.False(summary.Diverged);
        Assert.Equal(summary.InitialValLoss, summary.FinalValLoss);
        var curve = CurvePoint.ReadStrict(dir["run/curve.csv"]);
        Assert.Single(curve);
        Assert.False(double.IsNaN(curve[0].ValLossSe));
        using var loaded = spec.Architecture().CreateModel(seed: 99);
        Checkpoint.LoadWeights(loaded, Path.Combine(dir["run"], Trainer.CheckpointFolder, Checkpoint.ModelFile));
        using var init = spec.Architecture().CreateModel(spec.Train.Seed);
        var (l, i) = (Params(loaded), Params(init));
        foreach (var name in l.Keys) Assert.True(l[name].equal(i[name]).all().item<bool>(), $"{name} is not the base's init");
        Assert.Equal(summary.Steps, Trainer.Run(spec, dir["run"]).Steps); // finished: a no-op

        var warm = TinyRun() with { Model = ((GptConfig)TinyRun().Model) with { Heads = 4 }, Operator = GrowthOperator.Parse("szp"), Base = spec };
        Assert.Equal("szp-untrained-base", warm.Method);
        Assert.Throws<ArgumentException>(() => (warm with { Untrained = true }).Validate());
    }

    [Fact]
    public void TheControlsPresetHasItsArmsAtGAbout2And9WithFiveSeedsAtQuickScale()
    {
        var quick = SweepPresets.Get("controls-quick");
        Assert.Equal(5, quick.Runs.Select(r => r.Train.Seed).Distinct().Count());
        var methods = quick.Runs.Select(r => r.Method).Distinct().OrderBy(m => m).ToList();
        Assert.Equal(["scratch", "scratch-rescaled", "szp", "szp-permuted-base", "szp-untrained-base"], methods);
        var gs = quick.Runs.Where(r => r.Base is not null).Select(r => Math.Round(r.G, 1)).Distinct().OrderBy(g => g).ToList();
        Assert.Equal([2.2, 9.0], gs);
        Assert.Contains(quick.Ordered(), r => r.Method == "untrained");
        Assert.All(quick.Runs, r => Assert.Equal(InitScheme.Litgpt, ((GptConfig)r.Model).InitScheme));
        // The warm arms from a trained base share one base per (seed, g); the untrained base is the same shape.
        var seed0 = quick.Runs.Where(r => r.Train.Seed == 0 && r.Base is not null && Math.Round(r.G, 1) == 2.2).ToList();
        Assert.Single(seed0.Where(r => !r.Base!.Untrained).Select(r => r.Base!.Id).Distinct());
        Assert.Equal(seed0[0].Base!.Model, seed0.Single(r => r.Base!.Untrained).Base!.Model);
        Assert.NotEmpty(SweepPresets.Get("controls-smoke").Runs);
        Assert.Single(SweepPresets.Get("controls-smoke").Runs.Select(r => r.Train.Seed).Distinct());
    }

    [Fact]
    public void TheTunePresetGridsLrAndInitScaleForScratchAndSzpFromOneBase()
    {
        var tune = SweepPresets.Get("tune-quick");
        Assert.Equal(3, tune.Runs.Select(r => r.Train.Seed).Distinct().Count());
        foreach (var method in new[] { "scratch", "szp" })
        {
            var grid = tune.Runs.Where(r => r.Method == method && r.Train.Seed == 0)
                .Select(r => (r.Train.Lr, ((GptConfig)r.Model).InitScale)).OrderBy(x => x).ToList();
            Assert.Equal(9, grid.Distinct().Count());
            Assert.Contains((1e-2, 1.0), grid);
            Assert.Contains((3e-2, 0.5), grid);
        }
        // One base per seed, trained at the preset's own LR and init: the grid tunes the target only.
        Assert.Equal(3, tune.Runs.Where(r => r.Base is not null).Select(r => r.Base!.Id).Distinct().Count());
        Assert.All(tune.Runs.Where(r => r.Base is not null), r => Assert.Equal(1.0, ((GptConfig)r.Base!.Model).InitScale));
        Assert.NotEmpty(SweepPresets.Get("tune-smoke").Runs);
        // The other presets build as before: no grid, bases follow the target's LR.
        var lr = SweepPresets.Get("lr-smoke");
        Assert.Equal(4, lr.Runs.Where(r => r.Base is not null).Select(r => r.Base!.Id).Distinct().Count());
    }

    [Fact]
    public void QuickPresetsScoreTheFinalLossOn64BatchesAndEveryLanguageModelPresetUsesLitgpt()
    {
        var quick = SweepPresets.Get("quick");
        // A lean curve (16 batches), a precise final loss (≥ 64 batches that include the curve's) and held-out
        // batches for choosing settings.
        foreach (var preset in new[] { quick, SweepPresets.Get("mlp-quick") })
            Assert.All(preset.Ordered(), r =>
            {
                Assert.Equal(16, r.Train.EvalBatches);
                Assert.True(r.Train.FinalBatches >= 64);
                Assert.True(r.Train.SelectionBatches >= 32);
            });
        Assert.All(quick.Ordered(), r => Assert.Equal(InitScheme.Litgpt, ((GptConfig)r.Model).InitScheme));
        Assert.Contains("\"init_scheme\": \"litgpt\"", quick.Runs[0].IdentityJson());
    }

    [Fact]
    public void TheLitgptSchemeDrawsTheAuthorsStds()
    {
        var c = RunPresets.CpuModel(heads: 8) with { HeadSize = 8, Layers = 2, BaseWidth = 64, InitScheme = InitScheme.Litgpt }; // d = 64
        var specs = new GptArchitecture(c).ParameterSpecs().ToDictionary(s => s.Name);
        double d = 64, L = 2;
        Assert.Equal(Math.Sqrt(2 / (5 * d)), specs["h.0.attn.c_attn.weight"].InitStd, 12);      // 0.079 at d = 64
        Assert.Equal(Math.Sqrt(2 / (5 * d)), specs["h.1.mlp.c_fc.weight"].InitStd, 12);
        Assert.Equal(1 / (Math.Sqrt(d) * L), specs["h.0.attn.c_proj.weight"].InitStd, 12);
        Assert.Equal(1 / (Math.Sqrt(d) * L), specs["h.1.mlp.c_proj.weight"].InitStd, 12);
        Assert.Equal(Math.Sqrt(2 / (5 * 64.0)), specs["wte.weight"].InitStd, 12);               // constant: the base width
        Assert.Equal(InitKind.Zeros, specs["lm_head.weight"].Init);                             // µP: zero readout
        Assert.Equal(InitKind.Zeros, specs["h.0.attn.c_attn.bias"].Init);
        var wide = new GptArchitecture(c with { Heads = 32 }).ParameterSpecs().ToDictionary(s => s.Name);
        Assert.Equal(Math.Sqrt(2 / (5 * 64.0)), wide["wte.weight"].InitStd, 12);                // embeddings do not scale with d
        Assert.Equal(Math.Sqrt(2 / (5 * 256.0)), wide["h.0.attn.c_attn.weight"].InitStd, 12);   // 0.040 at d = 256
        var scaled = new GptArchitecture(c with { InitScale = 2 }).ParameterSpecs().ToDictionary(s => s.Name);
        foreach (var (name, s) in specs) Assert.Equal(2 * s.InitStd, scaled[name].InitStd, 12);
        var gpt2 = new GptArchitecture(c with { InitScheme = InitScheme.Gpt2, InitScale = 2 }).ParameterSpecs().ToDictionary(s => s.Name);
        Assert.Equal(0.04, gpt2["wte.weight"].InitStd, 12);                                      // init scale 2 ≡ σ 0.04

        // A drawn model matches its specs.
        using var model = new Gpt(c, seed: 4);
        var p = Params(model);
        Assert.Equal(Math.Sqrt(2 / (5 * d)), p["h.0.mlp.c_fc.weight"].std().item<float>(), 2);
        Assert.Equal(0, p["lm_head.weight"].abs().max().item<float>());
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
    public void CurvesCarryTheValidationSeAndOldEightFieldCurvesStillRead()
    {
        using var dir = TestSupport.Temp();
        File.WriteAllText(dir["old.csv"], CurvePoint.HeaderV1 + "\n0,0,0,0,,2.5,,0.1\n10,100,600,0.01,2.4,2.3,0.5,1.2\n");
        var old = CurvePoint.ReadStrict(dir["old.csv"]);
        Assert.Equal(2, old.Count);
        Assert.True(double.IsNaN(old[1].ValLossSe));
        Assert.Equal(2, CurvePoint.ReadAll(dir["old.csv"]).Count);
        var point = new CurvePoint(5, 50, 300, 0.01, 2.0, 1.9, 0.4, 1.0, 0.012);
        Assert.Equal(point, CurvePoint.Parse(point.ToCsv()));
        Assert.StartsWith(CurvePoint.HeaderV1 + ",val_loss_se", CurvePoint.Header);
        var (mean, se) = Trainer.MeanAndSe([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3 / 4), se, 12);
        Assert.True(double.IsNaN(Trainer.MeanAndSe([1.0]).Se));
    }
}
