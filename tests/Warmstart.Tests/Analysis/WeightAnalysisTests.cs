using Warmstart.Analysis;
using Warmstart.Data;
using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Analysis;

/// <summary>The post-hoc weight analysis: effective rank, cosine to the previous snapshot, radial and angular change.</summary>
public class WeightAnalysisTests
{
    public WeightAnalysisTests() => TestSupport.Init();

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
        var rows = WeightAnalysis.ForRun(dir["run"], "r", Method.Scratch, WeightAnalysis.DefaultLayers(config.Architecture()));
        Assert.Equal(new double[] { 0, 10, 20, 30 }, rows.Select(r => r.Step).Distinct().OrderBy(s => s));
        // Cosine is undefined against the all-zero µP readout at step 0 (NaN); everywhere else it lies in [−1, 1].
        Assert.All(rows.Where(r => r.Step > 0 && !(r.Layer == "head.weight" && r.Step == 10)), r => Assert.InRange(r.CosineToPrevious, -1, 1.0000001));
        Assert.True(double.IsNaN(rows.Single(r => r.Layer == "head.weight" && r.Step == 10).CosineToPrevious));
        Assert.Equal(0.0, rows.Single(r => r.Step == 0 && r.Layer == "head.weight").EffectiveRank); // µP zero readout at step 0
        var head = WeightAnalysis.RankAtStartAndEnd(rows).Single(r => r.Layer == "head.weight");
        Assert.Equal(0.0, head.RankAtStart);
        Assert.Equal(rows.Single(r => r.Step == 30 && r.Layer == "head.weight").EffectiveRank, head.RankAtEnd);
    }
}
