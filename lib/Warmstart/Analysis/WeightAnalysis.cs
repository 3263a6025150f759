using TorchSharp.PyBridge;
using Warmstart.Model;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Analysis;

public sealed record WeightMetricRow(string RunId, Method Method, string Layer, double Step, double EffectiveRank,
    double CosineToPrevious, double Norm, double RadialChange, double AngularChange)
{
    /// <summary>The value of one of the measures a figure draws.</summary>
    public double Value(WeightMeasure measure) => measure switch
    {
        WeightMeasure.EffectiveRank => EffectiveRank,
        WeightMeasure.CosineToPrevious => CosineToPrevious,
        WeightMeasure.RadialChange => RadialChange,
        WeightMeasure.AngularChange => AngularChange,
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, null),
    };
}

/// <summary>The per-snapshot measures of <see cref="WeightAnalysis"/> that a figure draws, one figure each.</summary>
public enum WeightMeasure { EffectiveRank, CosineToPrevious, RadialChange, AngularChange }

/// <summary>
/// Post-hoc weight analysis over the snapshots a run saved (snapshots/step_*.safetensors), for a few chosen layers:
/// <list type="bullet">
/// <item>effective rank: exp of the entropy of the normalised singular values (Roy &amp; Vetterli 2007);</item>
/// <item>cosine similarity of the flattened weights to the previous snapshot;</item>
/// <item>the change Δ = W_t − W_{t−1} split against the previous weights' direction Ŵ: radial = ⟨Δ, Ŵ⟩ (signed growth of
/// the norm along itself) and angular = ‖Δ − ⟨Δ, Ŵ⟩Ŵ‖ (rotation), so ‖Δ‖² = radial² + angular².</item>
/// </list>
/// All in float64.
/// </summary>
public static class WeightAnalysis
{
    /// <summary>The layers the paper looks at: the embedding, one attention projection, one MLP matrix and the head.</summary>
    public static IReadOnlyList<string> DefaultLayers(IArchitecture architecture) => architecture switch
    {
        GptArchitecture g => [g.Config.TiedHead ? "wte.weight" : "lm_head.weight", "wte.weight", "h.0.attn.c_attn.weight", "h.0.mlp.c_fc.weight"],
        MlpArchitecture => ["input.weight", "h.0.weight", "head.weight"],
        _ => throw new ArgumentException($"no default layers for {architecture.GetType().Name}"),
    };

    public sealed record RankChangeRow(string RunId, Method Method, string Layer, double RankAtStart, double RankAtEnd);

    /// <summary>Each run and layer's effective rank at its first snapshot (right after growth) and at its last.</summary>
    public static List<RankChangeRow> RankAtStartAndEnd(IEnumerable<WeightMetricRow> weights) =>
        weights.GroupBy(w => (w.RunId, w.Layer))
            .Select(g =>
            {
                var ordered = g.OrderBy(w => w.Step).ToList();
                return new RankChangeRow(ordered[0].RunId, ordered[0].Method, ordered[0].Layer, ordered[0].EffectiveRank, ordered[^1].EffectiveRank);
            })
            .OrderBy(r => r.Layer).ThenBy(r => r.Method).ToList();

    public static double EffectiveRank(Tensor matrix)
    {
        using var scope = NewDisposeScope();
        var m = matrix.to_type(ScalarType.Float64);
        if (m.dim() == 1) m = m.unsqueeze(0);
        var s = linalg.svdvals(m);
        double total = s.sum().item<double>();
        if (total <= 0) return 0; // an all-zero matrix (µP's readout at step 0) has rank 0
        var p = s / total;
        var entropy = -(p * (p + 1e-300).log()).sum().item<double>();
        return Math.Exp(entropy);
    }

    public static double Cosine(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var x = a.to_type(ScalarType.Float64).flatten();
        var y = b.to_type(ScalarType.Float64).flatten();
        double nx = x.norm().item<double>(), ny = y.norm().item<double>();
        return nx == 0 || ny == 0 ? double.NaN : (x.dot(y).item<double>() / (nx * ny));
    }

    /// <summary>(radial, angular) parts of the change from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    public static (double Radial, double Angular) Decompose(Tensor previous, Tensor current)
    {
        using var scope = NewDisposeScope();
        var w = previous.to_type(ScalarType.Float64).flatten();
        var delta = current.to_type(ScalarType.Float64).flatten() - w;
        double norm = w.norm().item<double>();
        if (norm == 0) return (double.NaN, delta.norm().item<double>());
        var unit = w / norm;
        double radial = delta.dot(unit).item<double>();
        double angular = (delta - radial * unit).norm().item<double>();
        return (radial, angular);
    }

    /// <summary>Metrics for every snapshot of one run (snapshots sorted by step).</summary>
    public static List<WeightMetricRow> ForRun(string runDir, string runId, Method method, IReadOnlyList<string> layers)
    {
        var folder = Path.Combine(runDir, Training.Trainer.SnapshotFolder);
        if (!Directory.Exists(folder)) return [];
        var snapshots = Directory.GetFiles(folder, "step_*.safetensors")
            .Select(f => (Step: long.Parse(Path.GetFileNameWithoutExtension(f)["step_".Length..]), Path: f))
            .OrderBy(s => s.Step).ToList();
        var rows = new List<WeightMetricRow>();
        Dictionary<string, Tensor>? previous = null;
        foreach (var (step, path) in snapshots)
        {
            var current = Safetensors.LoadStateDict(path, layers.Distinct().ToList());
            foreach (var layer in layers.Distinct())
            {
                if (!current.TryGetValue(layer, out var w))
                    throw new InvalidDataException($"snapshot '{path}' has no layer '{layer}'");
                double cos = double.NaN, radial = double.NaN, angular = double.NaN;
                if (previous is not null)
                {
                    cos = Cosine(previous[layer], w);
                    (radial, angular) = Decompose(previous[layer], w);
                }
                rows.Add(new WeightMetricRow(runId, method, layer, step, EffectiveRank(w), cos, w.to_type(ScalarType.Float64).norm().item<double>(), radial, angular));
            }
            if (previous is not null) foreach (var t in previous.Values) t.Dispose();
            previous = current;
        }
        if (previous is not null) foreach (var t in previous.Values) t.Dispose();
        return rows;
    }
}
