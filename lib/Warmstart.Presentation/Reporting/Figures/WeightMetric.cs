using Plotly.NET;
using Warmstart.Analysis;

namespace Warmstart.Reporting;

public static partial class Figures
{
    /// <summary>
    /// One weight metric against training step, a panel per tensor: the language model's tensors on the first row,
    /// the MLP's on the second (the two families share no tensor), a line per run in its method's style. Angular
    /// change is drawn as the rotation angle between successive snapshots in degrees, radial change as a percentage
    /// of the previous snapshot's norm, so that tensors of any size read on one scale.
    /// </summary>
    public static GenericChart WeightMetric(IReadOnlyList<WeightMetricRow> weights, WeightMeasure measure)
    {
        if (weights.Count == 0) return NothingToPlot($"Weights: {measure}", "no weight snapshots (train with snapshots, e.g. the weights study)");
        // Index-aligned columns: the drawing below picks snapshots by index.
        var method = weights.Select(w => w.Method).ToArray();
        var layer = weights.Select(w => w.Layer).ToArray();
        var run = weights.Select(w => w.RunId).ToArray();
        var step = weights.Select(w => w.Step).ToArray();
        var value = weights.Select(w => w.Value(measure)).ToArray();
        var norm = weights.Select(w => w.Norm).ToArray();
        var radial = weights.Select(w => w.RadialChange).ToArray();
        // A run is a language model's when it tracks the token embedding (WeightAnalysis.DefaultLayers names it for every GPT).
        var languageModels = Enumerable.Range(0, run.Length).Where(i => layer[i] == "wte.weight").Select(i => run[i]).ToHashSet();
        var families = new[] { (Name: "LM", Rows: Enumerable.Range(0, run.Length).Where(i => languageModels.Contains(run[i])).ToList()),
                               (Name: "MLP", Rows: Enumerable.Range(0, run.Length).Where(i => !languageModels.Contains(run[i])).ToList()) }
            .Where(f => f.Rows.Count > 0).ToList();
        var tensors = families.Select(f => f.Rows.Select(i => layer[i]).Distinct().ToList()).ToList();
        int columns = Math.Max(1, tensors.Select(t => t.Count).DefaultIfEmpty(1).Max());
        var (title, yTitle, about) = WeightTexts(measure);
        var charts = new List<GenericChart>();
        var panels = new List<Panel?>();
        for (int f = 0; f < families.Count; f++)
        {
            for (int t = 0; t < columns; t++)
            {
                if (t >= tensors[f].Count) { panels.Add(null); continue; }
                int p = panels.Count;
                string tensor = tensors[f][t];
                foreach (var series in families[f].Rows.Where(i => layer[i] == tensor).GroupBy(i => run[i]))
                {
                    var idx = series.OrderBy(i => step[i]).ToArray();
                    var y = WeightSeries(idx, value, norm, radial, measure);
                    var keep = Enumerable.Range(0, idx.Length).Where(k => double.IsFinite(y[k])).ToArray();
                    if (keep.Length == 0) continue;
                    var m = method[idx[0]];
                    charts.Add(Scatter(keep.Select(k => step[idx[k]]), keep.Select(k => y[k]), $"{m}: {tensor}", method: m, size: 5, legend: false,
                        group: m.Spelling, panel: p, hover: $"{m}: {tensor}<br>step %{{x}}<br>%{{y:.4g}}<extra></extra>"));
                }
                panels.Add(new Panel(Axis("training step (optimizer steps)"), Axis(yTitle), $"{families[f].Name}: {tensor.Replace(".weight", "")}"));
            }
        }
        charts.InsertRange(0, InReadingOrder(method).Select(m => MethodKey(m)));
        var caption = new List<string>
        {
            about, "One panel per tensor" + (families.Count > 1 ? $"; first row the language model's, second the MLP's." : "."),
        };
        return Finish(Combine(charts), title, panels, caption, columns);
    }

    /// <summary>The figure's title, its y axis title and the caption's sentence on what the measure is.</summary>
    static (string Title, string YTitle, string About) WeightTexts(WeightMeasure measure) => measure switch
    {
        WeightMeasure.EffectiveRank => ("Effective rank of the weights over training", "effective rank (directions)",
            "Effective rank: the exponential of the entropy of the normalised singular values (1: rank one; at most the smaller dimension)."),
        WeightMeasure.CosineToPrevious => ("Cosine similarity to the previous snapshot", "cosine to previous (unitless)",
            "Cosine similarity between a tensor and itself at the previous snapshot (1: the direction did not change)."),
        WeightMeasure.RadialChange => ("Radial change (along the weights) per snapshot", "radial change (% of the norm)",
            "Radial change: the part of the change since the previous snapshot along the tensor's own direction, " +
            "as a percentage of its previous Frobenius norm (positive: the weights grow)."),
        WeightMeasure.AngularChange => ("Angular change (rotation) per snapshot", "rotation (degrees)",
            "Angular change: the angle between a tensor and itself at the previous snapshot, atan(‖ΔW⊥‖ / (‖W‖ + ΔW∥)), " +
            "in degrees: the rotating part of the change."),
        _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, null),
    };

    /// <summary>
    /// The measure along one run's snapshots of a tensor (<paramref name="idx"/>, by step): the radial and angular
    /// changes in their scale-free forms, against the previous snapshot's norm (NaN at the first snapshot).
    /// </summary>
    static double[] WeightSeries(int[] idx, double[] value, double[] norm, double[] radial, WeightMeasure measure) =>
        idx.Select((i, k) =>
        {
            double previous = k > 0 ? norm[idx[k - 1]] : double.NaN;
            return measure switch
            {
                WeightMeasure.AngularChange => previous > 0 ? Math.Atan2(value[i], previous + radial[i]) * 180 / Math.PI : double.NaN,
                WeightMeasure.RadialChange => previous > 0 ? 100 * value[i] / previous : double.NaN,
                _ => value[i],
            };
        }).ToArray();
}
