using Microsoft.Data.Analysis;
using Warmstart.Analysis;
using Warmstart.Charts;

namespace Warmstart.Experiments;

/// <summary>
/// Writes every analysis that the results support as CSV under <c>analysis/</c> and every figure as standalone HTML
/// under <c>charts/</c>; analyses the data cannot support are listed in <c>analysis/notes.txt</c> with the reason.
/// Reads only result files, so <c>report</c> redraws without training.
/// </summary>
public static class Report
{
    public sealed record Written(List<string> Files, List<string> Notes);

    /// <summary>Weight metrics of every finished run that kept snapshots (empty when none did).</summary>
    public static DataFrame WeightMetrics(ResultStore store, IReadOnlyList<RunRow> runs)
    {
        var rows = new List<WeightMetricRow>();
        foreach (var run in runs.Where(r => r.Status == "finished"))
        {
            var dir = store.RunDir(run.RunId);
            if (!Directory.Exists(Path.Combine(dir, Training.Trainer.SnapshotFolder))) continue;
            var layers = WeightAnalysis.DefaultLayers(store.ReadSpec(run.RunId).Architecture());
            rows.AddRange(WeightAnalysis.ForRun(dir, run.RunId, run.Method, layers));
        }
        return Frames.FromRecords(rows);
    }

    public static Written Write(string resultsDir, bool charts = true)
    {
        if (!Directory.Exists(resultsDir))
            throw new DirectoryNotFoundException($"results folder '{resultsDir}' does not exist: give a folder that sweep wrote");
        var store = new ResultStore(resultsDir);
        var tables = store.LoadTables();
        var root = store.Root;
        var analysis = Path.Combine(root, "analysis");
        var chartDir = Path.Combine(root, "charts");
        var files = new List<string>();
        var notes = new List<string>();
        void Csv(DataFrame frame, string name) { var p = Path.Combine(analysis, name); Frames.Save(frame, p); files.Add(p); }
        void Html(Func<Plotly.NET.GenericChart> chart, string name)
        {
            if (!charts) return;
            var p = Path.Combine(chartDir, name);
            Figures.SaveStandalone(chart(), p);
            files.Add(p);
        }

        Frames.Save(tables.Runs, Path.Combine(root, "runs.csv"));
        Frames.Save(tables.Curves, Path.Combine(root, "curves.csv"));
        var runs = tables.RunRows();
        var methods = runs.Select(r => r.Method).Where(m => m != "scratch").Distinct().OrderBy(m => m).ToList();
        foreach (var r in runs.Where(r => r.Status != "finished"))
            notes.Add(store.Problems.TryGetValue(r.RunId, out var problem) ? $"run {r.RunId}: invalid, left out of the analyses: {problem}" : $"run {r.RunId}: {r.Status}");

        var speedup = Speedup.Compute(tables);
        Csv(speedup, "speedup.csv");
        var speedupSummary = Speedup.Summary(speedup);
        Csv(speedupSummary, "speedup_summary.csv");
        if (speedup.Rows.Count > 0) Html(() => Figures.SpeedupVsG(speedupSummary), "speedup_vs_g.html");

        foreach (var method in methods)
        foreach (bool withBase in new[] { false, true })
        {
            var (points, fits) = IsoFlop.Compute(tables, method, withBase);
            string suffix = $"{method}{(withBase ? "_with_base" : "")}";
            Csv(points, $"isoflop_points_{suffix}.csv");
            Csv(fits, $"isoflop_fits_{suffix}.csv");
            if (points.Rows.Count > 0)
                Html(() => Figures.IsoFlop(points, fits, $"Iso-FLOP loss vs g: {method}{(withBase ? ", base compute included" : "")}"), $"isoflop_{suffix}.html");
        }

        Csv(Summaries.Ablation(tables), "ablation.csv");
        var lambda = Summaries.LambdaSweep(tables);
        Csv(lambda, "lambda.csv");
        if (runs.Where(r => r.Method == "szp").Select(r => (r.Lambda, r.Sigma)).Distinct().Count() > 1) Html(() => Figures.LambdaSweep(lambda), "lambda_sweep.html");
        Html(() => Figures.LearningCurves(tables.Runs, tables.Curves, "Learning curves vs FLOPs (dashed: the base model's final loss)"), "learning_curves.html");

        var fitsFrame = ScalingLaw.FitByMethod(tables);
        Csv(fitsFrame, "scaling_fits.csv");
        Html(() => Figures.FitTable(fitsFrame), "scaling_fits.html");
        foreach (var reason in Frames.Strings(fitsFrame, "reason").Zip(Frames.Strings(fitsFrame, "method")).Where(t => t.First.Length > 0))
            notes.Add($"scaling fit for {reason.Second}: {reason.First}");
        foreach (var method in methods)
        {
            DeltaMap map;
            try { map = ScalingLaw.Map(tables, method); }
            catch (ArgumentException) { continue; } // the reason is already in scaling_fits.csv and the notes
            Csv(map.Grid, $"delta_grid_{method}.csv");
            Csv(map.Zero, $"delta_zero_{method}.csv");
            Csv(map.Observed, $"delta_observed_{method}.csv");
            Html(() => Figures.DeltaContour(map.Grid, map.Zero, map.Observed, $"ΔL(N, D) = L_{method} − L_scratch"), $"delta_{method}.html");
        }
        var weights = WeightMetrics(store, runs);
        if (weights.Rows.Count > 0)
        {
            Csv(weights, "weights.csv");
            foreach (var metric in new[] { "effective_rank", "cosine_to_previous", "radial_change", "angular_change" })
                Html(() => Figures.WeightMetric(weights, metric), $"weights_{metric}.html");
        }
        if (runs.Select(r => r.Lr).Distinct().Count() > 1)
        {
            var (table, spearman) = Summaries.LrTransfer(tables);
            Csv(table, "lr_transfer.csv");
            Csv(spearman, "lr_rank_correlation.csv");
            Html(() => Figures.LrSweep(table), "lr_sweep.html");
        }
        Runtime.Files.WriteTextAtomic(Path.Combine(analysis, "notes.txt"), string.Join("\n", notes) + "\n");
        return new Written(files, notes);
    }
}
