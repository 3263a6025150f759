using Warmstart.Analysis;
using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Mlp;

public class MlpTests
{
    public MlpTests() => TestSupport.Init();

    [Fact]
    public void TeacherDataAreDeterministicPerSeed()
    {
        using var a = new TeacherStudentData(new TeacherConfig(), rows: 16, seed: 3);
        using var b = new TeacherStudentData(new TeacherConfig(), rows: 16, seed: 3);
        using var c = new TeacherStudentData(new TeacherConfig(), rows: 16, seed: 4);
        var (xa, ya) = a.TrainBatch(5, 0);
        var (xb, yb) = b.TrainBatch(5, 0);
        var (xc, _) = c.TrainBatch(5, 0);
        Assert.True(xa.equal(xb).all().item<bool>() && ya.equal(yb).all().item<bool>());
        Assert.False(xa.equal(xc).all().item<bool>());
        Assert.False(xa.equal(a.TrainBatch(6, 0).Input).all().item<bool>());
        // Held-out samples come from the task's own seed, whatever the training seed.
        Assert.True(a.ValidationBatch(0).Input.equal(c.ValidationBatch(0).Input).all().item<bool>());
        Assert.False(a.ValidationBatch(0).Input.equal(a.TrainBatch(0, 0).Input).all().item<bool>());
        // A different teacher seed is a different teacher.
        using var other = new TeacherStudentData(new TeacherConfig { Seed = 7 }, rows: 16, seed: 3);
        Assert.False(other.Probabilities(xa).allclose(a.Probabilities(xa)));
    }

    [Fact]
    public void MlpParameterCountMatchesTheModule()
    {
        foreach (var config in new[] { new MlpConfig(), new MlpConfig { Width = 45, Depth = 1, Bias = false } })
        {
            using var model = new DenseMlp(config);
            Assert.Equal(config.ParameterCount(), model.ParameterCount());
            Assert.Equal(config.ParameterCount(), model.Architecture.ParameterSpecs().Sum(s => s.Numel));
        }
    }

    [Fact]
    public void AnMlpAndALanguageModelGrowThroughTheSameOperator()
    {
        var szp = GrowthOperator.Parse("szp");
        using var mlpBase = new DenseMlp(new MlpConfig { Width = 16 }, seed: 1);
        using var lmBase = new Gpt(TestSupport.Tiny(heads: 2), seed: 1);
        using var mlp = Grower.Grow(mlpBase, new MlpArchitecture(new MlpConfig { Width = 32 }), szp, seed: 2);
        using var lm = Grower.Grow(lmBase, new GptArchitecture(TestSupport.Tiny(heads: 4)), szp, seed: 2);
        Assert.Equal(new MlpConfig { Width = 32 }.ParameterCount(), mlp.ParameterCount());
        Assert.Equal(TestSupport.Tiny(heads: 4).ParameterCount(), lm.ParameterCount());
        // λ·pad(base) + σ·init in both: the leading block of a hidden matrix is 0.4 × base + the fresh draw.
        using var fresh = new DenseMlp(new MlpConfig { Width = 32 }, seed: 2);
        var grownW = mlp.named_parameters().Single(p => p.name == "h.0.weight").parameter;
        var baseW = mlpBase.named_parameters().Single(p => p.name == "h.0.weight").parameter;
        var initW = fresh.named_parameters().Single(p => p.name == "h.0.weight").parameter;
        var expected = initW.clone();
        expected.narrow(0, 0, 16).narrow(1, 0, 16).add_(baseW * 0.4);
        Assert.True((grownW - expected).abs().max().item<float>() < 1e-6);
    }

    [Theory]
    [InlineData("hypercloning", 32)]
    [InlineData("net2net", 27)]
    [InlineData("fp", 40)]
    public void FunctionPreservingMlpGrowthKeepsTheOutputs(string op, int width)
    {
        foreach (var param in new[] { Parameterization.MuP, Parameterization.Standard })
        {
            var config = new MlpConfig { Width = 16, BaseWidth = 16, Param = param };
            using var b = new DenseMlp(config, seed: 1);
            using (no_grad()) foreach (var p in b.parameters()) p.copy_(randn(p.shape, generator: new Generator(5)) * 0.3);
            using var grown = Grower.Grow(b, new MlpArchitecture(config with { Width = width }), GrowthOperator.Parse(op), seed: 3);
            using var x = randn(64, config.InputDim, generator: new Generator(9));
            using var _ = no_grad();
            using var y0 = b.forward(x);
            using var y1 = grown.forward(x);
            double rel = (y1 - y0).abs().max().item<float>() / y0.abs().max().item<float>();
            Assert.True(rel < 1e-5, $"{op} ×{width / 16.0} under {param}: outputs changed by {rel:E2}");
        }
    }

    [Fact]
    public void MlpDepthGrowsByStacking()
    {
        using var b = new DenseMlp(new MlpConfig { Width = 16, Depth = 2 }, seed: 1);
        using var deep = Grower.Grow(b, new MlpArchitecture(new MlpConfig { Width = 16, Depth = 4 }), GrowthOperator.Parse("stack"), seed: 3);
        var bp = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var dp = deep.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (int i in new[] { 0, 1, 2, 3 })
            Assert.True(dp[$"h.{i}.weight"].equal(bp[$"h.{i % 2}.weight"]).all().item<bool>());
    }

    [Fact]
    public void IdentityBlocksAreRefusedForAnMlp()
    {
        using var dir = TestSupport.Temp();
        var config = new RunSpec { Model = new MlpConfig { Width = 16 }, Data = new TeacherConfig(),
            Train = new TrainConfig { BatchSize = 32, Tokens = 3200, Tpp = null, EvalEvery = 50, EvalBatches = 1 } };
        Trainer.Run(config, dir["base"]);
        var e = Assert.Throws<ArgumentException>(() => GrowJob.Run(dir["base"], ((MlpConfig)config.Model) with { Depth = 5 }, GrowthOperator.Parse("identity"), 0, dir["g"]));
        Assert.Contains("stacking", e.Message);
        var report = GrowJob.Run(dir["base"], ((MlpConfig)config.Model) with { Width = 32 }, GrowthOperator.Parse("hypercloning"), 0, dir["g2"]);
        Assert.Equal(report.BaseValLoss, report.GrownValLoss, 4);
        Assert.IsType<MlpConfig>(GrownCheckpoint.ReadConfig(dir["g2"])); // model.json names its family
    }

    [Fact]
    public void EffectiveRankOfALowRankMatrixIsItsRank()
    {
        var gen = new Generator(1);
        var (u, _, v) = linalg.svd(randn(20, 20, generator: gen, dtype: ScalarType.Float64));
        var s = zeros(20, dtype: ScalarType.Float64);
        s.narrow(0, 0, 3).fill_(2.0);                  // three equal singular values: entropy ln 3, effective rank 3
        var m = u.matmul(diag(s)).matmul(v);
        Assert.Equal(3.0, WeightAnalysis.EffectiveRank(m), 6);
        Assert.Equal(20.0, WeightAnalysis.EffectiveRank(eye(20)), 6);
        Assert.Equal(0.0, WeightAnalysis.EffectiveRank(zeros(4, 4)));
    }

    [Fact]
    public void IdenticalCheckpointsHaveCosineOneAndTheChangeDecomposes()
    {
        var gen = new Generator(2);
        var w = randn(8, 8, generator: gen);
        Assert.Equal(1.0, WeightAnalysis.Cosine(w, w.clone()), 12);
        var (r0, a0) = WeightAnalysis.Decompose(w, w.clone());
        Assert.Equal(0.0, r0, 12);
        Assert.Equal(0.0, a0, 12);
        Assert.Equal(w.norm().item<float>(), WeightAnalysis.Decompose(w, w * 2).Radial, 4); // pure growth along itself
        var next = w + 0.1 * randn(8, 8, generator: gen);
        var (radial, angular) = WeightAnalysis.Decompose(w, next);
        double delta = (next - w).to_type(ScalarType.Float64).norm().item<double>();
        Assert.Equal(delta * delta, radial * radial + angular * angular, 6);
    }

    [Fact]
    public void SnapshotsFeedTheWeightAnalysis()
    {
        using var dir = TestSupport.Temp();
        var config = new RunSpec { Model = new MlpConfig { Width = 16 }, Data = new TeacherConfig(),
            Train = new TrainConfig { BatchSize = 32, Tokens = 32 * 30, Tpp = null, EvalEvery = 10, EvalBatches = 1, SnapshotEvery = 10 } };
        Trainer.Run(config, dir["run"]);
        var rows = WeightAnalysis.ForRun(dir["run"], "r", "scratch", WeightAnalysis.DefaultLayers(config.Architecture()));
        Assert.Equal(new double[] { 0, 10, 20, 30 }, rows.Select(r => r.Step).Distinct().OrderBy(s => s));
        // Cosine is undefined against the all-zero µP readout at step 0 (NaN); everywhere else it lies in [−1, 1].
        Assert.All(rows.Where(r => r.Step > 0 && !(r.Layer == "head.weight" && r.Step == 10)), r => Assert.InRange(r.CosineToPrevious, -1, 1.0000001));
        Assert.True(double.IsNaN(rows.Single(r => r.Layer == "head.weight" && r.Step == 10).CosineToPrevious));
        Assert.Equal(0.0, rows.Single(r => r.Step == 0 && r.Layer == "head.weight").EffectiveRank); // µP zero readout at step 0
        var change = WeightAnalysis.RankAtStartAndEnd(Frames.FromRecords(rows));
        var head = Frames.Where(change, "layer", "head.weight");
        Assert.Equal(0.0, Frames.Doubles(head, "rank_at_start")[0]);
        Assert.Equal(rows.Single(r => r.Step == 30 && r.Layer == "head.weight").EffectiveRank, Frames.Doubles(head, "rank_at_end")[0]);
    }

    [Fact]
    public void BadMlpInputsAreClearErrors()
    {
        Assert.Contains("Width must be a positive whole number, got 0", Assert.Throws<ArgumentException>(() => new MlpConfig { Width = 0 }.Validate()).Message);
        Assert.Contains("Depth must be a positive whole number, got -1", Assert.Throws<ArgumentException>(() => new MlpConfig { Depth = -1 }.Validate()).Message);
        Assert.Contains("unknown task 'regression'", Assert.Throws<ArgumentException>(() => TeacherConfig.Named("regression")).Message);
        Assert.Contains("budgets must be positive", Assert.Throws<ArgumentException>(() => SweepPresets.Get("mlp-quick", budgets: [-5])).Message);
        Assert.Contains("tokens per parameter must be positive", Assert.Throws<ArgumentException>(() => new TrainConfig { Tpp = 0 }.Validate()).Message);
        Assert.Contains("does not fit the teacher task", Assert.Throws<ArgumentException>(() =>
            new RunSpec { Model = new MlpConfig { InputDim = 8 }, Data = new TeacherConfig() }.Validate()).Message);
    }

    [Fact]
    public void MlpSmokeSweepRunsEndToEnd()
    {
        using var dir = TestSupport.Temp();
        var outcome = SweepRunner.Run(SweepPresets.Get("mlp-smoke"), dir.Path);
        Assert.Equal(0, outcome.Failed);
        var results = new ResultStore(dir.Path).Load();
        Assert.Equal(24, (int)Speedup.Compute(results).Rows.Count); // 3 targets × 2 budgets × 2 growth factors × (SZP, fp)
        var fits = ScalingLaw.FitByMethod(results);
        // Three target sizes and two budgets identify the laws (with two sizes any exponent fits, so a law is refused).
        var reasons = Frames.Strings(fits, "reason");
        Assert.Equal("", reasons[Array.IndexOf(Frames.Strings(fits, "method"), "scratch")]);
        Assert.All(reasons, r => Assert.True(r == "" || r.Contains("distinct values of each"), r));
    }
}
