using Warmstart.Experiments;
using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Tests.Experiments;

/// <summary>The sweep presets: what each study trains, read off its run specs without training anything.</summary>
public class SweepPresetTests
{
    [Fact]
    public void TheQuickBudgetStudyHasFourTargetSizesEachWithABaseSmallerThanItPerG()
    {
        // A scaling law in N is identified only with ≥ 3 distinct N (with two, any exponent fits as well): the quick
        // study has four.
        var budget = SweepPresets.Get("budget-quick", seeds: 3);
        var targets = budget.Runs.Where(r => r.Method == Method.Scratch).Select(r => r.Model.ParameterCount()).Distinct().OrderBy(n => n).ToList();
        Assert.Equal(4, targets.Count);
        Assert.Equal([10.0, 20.0, 30.0], budget.Runs.Select(r => r.Train.Tpp!.Value).Distinct().OrderBy(t => t));
        Assert.Equal(3, budget.Runs.Select(r => r.Train.Seed).Distinct().Count());
        foreach (var n in targets)
        {
            var warm = budget.Runs.Where(r => r.Base is not null && r.Model.ParameterCount() == n).ToList();
            Assert.Equal(3, warm.Select(r => Math.Round(r.G, 3)).Distinct().Count());
            Assert.All(warm, r => Assert.True(r.Base!.Model.ParameterCount() < n, $"{r.Id}: base is not smaller than its target"));
        }
    }

    [Fact]
    public void TheControlsPresetHasItsArmsAtGAbout2And9WithFiveSeedsAtQuickScale()
    {
        var quick = SweepPresets.Get("controls-quick");
        Assert.Equal(8, quick.Runs.Select(r => r.Train.Seed).Distinct().Count()); // a control's label must survive leaving out any one seed
        var methods = quick.Runs.Select(r => r.Method).Distinct().OrderBy(m => m).ToList();
        Assert.Equal([Method.Scratch, Method.ScratchRescaled, Method.Szp, Method.SzpPermutedBase, Method.SzpUntrainedBase], methods);
        var gs = quick.Runs.Where(r => r.Base is not null).Select(r => Math.Round(r.G, 1)).Distinct().OrderBy(g => g).ToList();
        Assert.Equal([2.2, 9.0], gs);
        Assert.Contains(quick.Ordered(), r => r.Method == Method.Untrained);
        Assert.All(quick.Runs, r => Assert.Equal(InitScheme.Litgpt, ((GptConfig)r.Model).InitScheme));
        // The warm arms from a trained base share one base per (seed, g); the untrained base is the same shape.
        var seed0 = quick.Runs.Where(r => r.Train.Seed == 0 && r.Base is not null && Math.Round(r.G, 1) == 2.2).ToList();
        Assert.Single(seed0.Where(r => !r.Base!.Untrained).Select(r => r.Base!.Id).Distinct());
        Assert.Equal(seed0[0].Base!.Model, seed0.Single(r => r.Base!.Untrained).Base!.Model);
        Assert.NotEmpty(SweepPresets.Get("controls-smoke").Runs);
        Assert.Single(SweepPresets.Get("controls-smoke").Runs.Select(r => r.Train.Seed).Distinct());
    }

    [Fact]
    public void TheTunePresetGridsLrAndInitScaleForScratchSzpAndFpAtTwoGOnTheSelectionSeeds()
    {
        var tune = SweepPresets.Get("tune-quick");
        Assert.Equal([100L, 101L], tune.Runs.Select(r => r.Train.Seed).Distinct().Order()); // no reported run uses them
        foreach (var method in new[] { Method.Scratch, Method.Szp, Method.Fp })
        {
            var grid = tune.Runs.Where(r => r.Method == method && r.Train.Seed == 100)
                .Select(r => (r.Train.Lr, ((GptConfig)r.Model).InitScale)).Distinct().OrderBy(x => x).ToList();
            // Scratch and SZP kept the grid's lowest init scale, so their rows extend below it; fp's did not.
            int scales = SweepPresets.TuneInitScales.Length + (method == Method.Fp ? 0 : SweepPresets.TuneLowerInitScales.Length)
                         + (method == Method.Scratch ? SweepPresets.TuneScratchLowerInitScales.Length : 0);
            Assert.Equal(SweepPresets.TuneLearningRates.Length * scales, grid.Count);
            Assert.Equal(method != Method.Fp, grid.Contains((1e-2, SweepPresets.TuneLowerInitScales[^1])));
            Assert.Contains((1e-2, 1.0), grid); // the former default is inside, one √2 step from each edge or more
            Assert.Contains((0.02, 1.4), grid);
        }
        Assert.All(tune.Runs.Where(r => r.Method == Method.Fp), r => Assert.Equal(SweepPresets.KeptFpNoise, r.Operator!.Sigma));
        Assert.All(tune.Runs, r => Assert.Equal(AttentionKernel.Fused, ((GptConfig)r.Model).Attention));
        // One base per seed and g, trained at the preset's own LR and init: the grid tunes the target only.
        Assert.Equal(2 * 2, tune.Runs.Where(r => r.Base is not null).Select(r => r.Base!.Id).Distinct().Count());
        Assert.All(tune.Runs.Where(r => r.Base is not null), r => Assert.Equal(1.0, ((GptConfig)r.Base!.Model).InitScale));
        Assert.NotEmpty(SweepPresets.Get("tune-smoke").Runs);
        // The other presets build as before: no grid, bases follow the target's LR.
        var lr = SweepPresets.Get("lr-smoke");
        Assert.Equal(4, lr.Runs.Where(r => r.Base is not null).Select(r => r.Base!.Id).Distinct().Count());
    }

    /// <summary>The function-preserving rival's noise in the presets is the one the committed fp-noise study keeps.</summary>
    [Fact]
    public void TheKeptFpNoiseIsTheCommittedStudysChoice()
    {
        var study = Warmstart.Analysis.AnalysisFiles.FpNoise.Read(Warmstart.Analysis.AnalysisFiles.Of(
            Path.Combine(NotebookRunner.RepoRoot, "data", "results", "fp-noise-quick")));
        Assert.Equal(SweepPresets.KeptFpNoise, study.Where(c => c.Kept).Select(c => c.Sigma).Distinct().Single());
        Assert.True(study.Max(c => c.Sigma) > SweepPresets.KeptFpNoise); // bracketed: a larger σ was tried and lost
    }

    /// <summary>
    /// The kept settings the claims' studies train at are the committed tuning study's choice, each strictly inside the
    /// grid on both axes, and every quick-scale width study that judges a claim trains at them on the fused path.
    /// </summary>
    [Fact]
    public void TheKeptSettingsAreTheCommittedTuningStudysInteriorChoice()
    {
        var tables = ResultTables.Read(Path.Combine(NotebookRunner.RepoRoot, "data", "results", "tune-quick"));
        var kept = Warmstart.Analysis.Tuning.Kept(tables);
        Assert.Equal(3, kept.Count);
        foreach (var k in kept)
        {
            var preset = SweepPresets.KeptSettings[k.Method.Spelling];
            Assert.Equal((preset.Lr, preset.InitScale), (k.Lr, k.InitScale));
            Assert.True(k.Interior, $"{k.Method}'s kept setting (LR {k.Lr}, init × {k.InitScale}) is on the tuning grid's edge");
        }
        foreach (var name in new[] { "quick", "ablation-quick", "budget-quick", "controls-quick" })
        {
            var sweep = SweepPresets.Get(name);
            Assert.All(sweep.Ordered(), r => Assert.Equal(AttentionKernel.Fused, ((GptConfig)r.Model).Attention));
            foreach (var run in sweep.Runs)
            {
                var setting = SweepPresets.KeptSettings[run.Operator?.Name ?? "scratch"];
                Assert.Equal((setting.Lr, setting.InitScale), (run.Train.Lr, ((GptConfig)run.Model).InitScale));
                if (run.Base is { } b) Assert.Equal((1e-2, 1.0), (b.Train.Lr, ((GptConfig)b.Model).InitScale)); // bases at the default, as in the tuning
                if (run.Operator?.Name == "fp") Assert.Equal(SweepPresets.KeptFpNoise, run.Operator.Sigma);
            }
        }
    }

    /// <summary>The scratch-default study is quick's scratch target at the former default, on quick's reported seeds: same run but LR and init.</summary>
    [Fact]
    public void TheScratchDefaultStudyIsQuicksScratchTargetAtTheDefaultSetting()
    {
        var atDefault = SweepPresets.Get("scratch-default-quick").Runs;
        Assert.Equal(8, atDefault.Count);
        Assert.All(atDefault, r => Assert.Equal(Method.Scratch, r.Method));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), atDefault.Select(r => r.Train.Seed).Order());
        var kept = SweepPresets.Get("quick", seeds: 8).Runs.Where(r => r.Method == Method.Scratch).ToDictionary(r => r.Train.Seed);
        foreach (var r in atDefault)
        {
            Assert.Equal((1e-2, 1.0), (r.Train.Lr, ((GptConfig)r.Model).InitScale));
            var twin = kept[r.Train.Seed];
            var asKept = r with { Train = r.Train with { Lr = twin.Train.Lr }, Model = ((GptConfig)r.Model) with { InitScale = ((GptConfig)twin.Model).InitScale } };
            Assert.Equal(twin.Id, asKept.Id);
        }
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
}
