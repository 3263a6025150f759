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
            var layers = WeightAnalysis.DefaultLayers(store.ReadSpec(run.RunId)!.Architecture());
            rows.AddRange(WeightAnalysis.ForRun(dir, run.RunId, run.Method, layers));
        }
        return Frames.FromRecords(rows);
    }

    /// <summary>
    /// Renders every chart page to a PNG beside it in headless chromium (<see cref="ChartRenderer"/>). Never fails the
    /// report: without chromium, or when a page does not draw, it returns one note and the HTML stays.
    /// </summary>
    static List<string> WritePngs(List<string> pages, List<string> files)
    {
        if (pages.Count == 0) return [];
        if (!ChartRenderer.IsAvailable())
            return [$"no chromium at {ChartRenderer.ExecutablePath}: apt-get install chromium (or build/chromium/install.sh); charts written as HTML only, no PNGs"];
        try
        {
            var checks = ChartRenderer.RenderPngs(pages);
            files.AddRange(pages.Select(p => Path.ChangeExtension(p, ".png")).Where(File.Exists));
            var failed = checks.Where(c => !c.Drew).ToList();
            return failed.Count == 0 ? []
                : [$"{failed.Count} chart(s) did not draw cleanly in chromium: " + string.Join("; ", failed.Select(c =>
                    $"{Path.GetFileName(c.Page)} ({(c.ConsoleErrors.Count > 0 ? c.ConsoleErrors[0] : $"svg {c.HasPlotSvg}, traces {c.Traces}")})"))];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [$"PNG export failed ({e.GetType().Name}: {e.Message}); charts written as HTML only"];
        }
    }

    public static Written Write(string resultsDir, bool charts = true, bool png = true)
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
        var pages = new List<string>();
        void Csv(DataFrame frame, string name) { var p = Path.Combine(analysis, name); Frames.Save(frame, p); files.Add(p); }
        void Html(Func<Plotly.NET.GenericChart> chart, string name)
        {
            if (!charts) return;
            var p = Path.Combine(chartDir, name);
            Figures.SaveStandalone(chart(), p, sharedPlotlyJs: true);
            files.Add(p);
            pages.Add(p);
        }

        Frames.Save(tables.Runs, Path.Combine(root, "runs.csv"));
        Frames.Save(tables.Curves, Path.Combine(root, "curves.csv"));
        var raw = tables;
        // One selection step before every comparison: one setting (LR × init scale) per configuration for all seeds,
        // chosen on held-out batches. A study without a grid is unchanged. LR transfer and weight metrics read the raw tables.
        var (selected, bestSettings) = Selection.BestPerConfiguration(raw);
        Csv(Selection.ToFrame(bestSettings), "best_settings.csv");
        if (Selection.HasGrid(bestSettings))
            notes.Add("several settings per configuration: analyses use one setting per configuration, the lowest mean loss over seeds on held-out batches (best_settings.csv)");
        // A control's untrained base is a zero-step run (method "untrained"): an input of its arm, not a result to
        // compare with scratch, so the speedup, iso-FLOP and ablation tables leave it out.
        var trainedMethods = Frames.Strings(selected.Runs, "method");
        tables = selected with { Runs = Frames.Where(selected.Runs, i => trainedMethods[i] != "untrained") };
        var runs = raw.RunRows();
        var methods = runs.Select(r => r.Method).Where(m => m is not "scratch" and not "untrained").Distinct().OrderBy(m => m).ToList();
        foreach (var r in runs.Where(r => r.Status != "finished"))
            notes.Add(store.Problems.TryGetValue(r.RunId, out var problem) ? $"run {r.RunId}: invalid, left out of the analyses: {problem}" : $"run {r.RunId}: {r.Status}");
        foreach (var r in runs.Where(r => r.Diverged)) // kept in runs.csv, but no speedup or iso-FLOP point can come from it
            notes.Add($"run {r.RunId}: diverged ({store.Summary(r.RunId)?.DivergedReason ?? "see its summary.json"}), left out of the speedup and iso-FLOP analyses");

        // The tables do not record the tokenizer; the runs' specs do, and the figures' loss axes name its unit.
        string tokenizer = runs.Select(r => store.ReadSpec(r.RunId)?.Data).OfType<Data.CorpusData>().Select(c => c.Tokenizer).FirstOrDefault() ?? Units.ByteTokenizer;
        var speedup = Speedup.Compute(tables);
        Csv(speedup, "speedup.csv");
        var speedupSummary = Speedup.Summary(speedup);
        Csv(speedupSummary, "speedup_summary.csv");
        if (speedup.Rows.Count > 0) Html(() => Figures.SpeedupVsG(speedupSummary), "speedup_vs_g.html");

        foreach (var method in methods)
        foreach (bool withBase in new[] { false, true })
        foreach (bool withScratch in new[] { false, true })
        {
            // Both views: the paper's (scratch not a point) and with scratch as the g = 1 point of the quadratic.
            var (points, fits) = IsoFlop.Compute(tables, method, withBase, includeScratch: withScratch);
            string suffix = $"{method}{(withBase ? "_with_base" : "")}{(withScratch ? "_g1" : "")}";
            Csv(points, $"isoflop_points_{suffix}.csv");
            Csv(fits, $"isoflop_fits_{suffix}.csv");
            if (withScratch) continue; // the g = 1 view is a table beside the paper's; only the paper's view is drawn
            // One chart per target model and budget: the FLOP levels of different targets do not share an axis.
            var targets = Frames.Strings(fits, "model").Zip(Frames.Doubles(fits, "tpp")).Distinct().ToList();
            for (int t = 0; t < targets.Count && points.Rows.Count > 0; t++)
            {
                var (model, tpp) = targets[t];
                string name = targets.Count == 1 ? $"isoflop_{suffix}.html" : $"isoflop_{suffix}_{t + 1}.html";
                string title = $"Iso-FLOP loss vs g: {method}{(withBase ? ", base compute included" : "")}" + (targets.Count == 1 ? "" : $" — {model}, {tpp:0.#} TPP");
                Html(() => Figures.IsoFlop(IsoFlop.ForTarget(points, model, tpp), IsoFlop.ForTarget(fits, model, tpp), title, tokenizer), name);
            }
        }

        Csv(Summaries.Ablation(tables), "ablation.csv");
        var lambda = Summaries.LambdaSweep(tables);
        Csv(lambda, "lambda.csv");
        if (runs.Where(r => r.Method == "szp").Select(r => (r.Lambda, r.Sigma)).Distinct().Count() > 1) Html(() => Figures.LambdaSweep(lambda, tokenizer), "lambda_sweep.html");
        Html(() => Figures.LearningCurves(tables.Runs, tables.Curves, "Learning curves vs FLOPs", tokenizer), "learning_curves.html");

        var fitsFrame = ScalingLaw.FitByMethod(tables);
        Csv(fitsFrame, "scaling_fits.csv");
        if (Figures.HasAnyFit(fitsFrame)) Html(() => Figures.FitTable(fitsFrame), "scaling_fits.html");
        var atBounds = Frames.Strings(fitsFrame, "at_bounds");
        var fitMethods = Frames.Strings(fitsFrame, "method");
        foreach (var (reason, i) in Frames.Strings(fitsFrame, "reason").Select((r, i) => (r, i)))
        {
            if (reason.Length > 0) notes.Add($"scaling fit for {fitMethods[i]}: {reason}");
            if (atBounds[i].Length > 0) notes.Add($"scaling fit for {fitMethods[i]}: parameters at their bounds, the law is not identified by these runs ({atBounds[i]})");
        }
        foreach (var method in methods)
        {
            DeltaMap map;
            try { map = ScalingLaw.Map(tables, method); }
            catch (ArgumentException) { continue; } // the reason is already in scaling_fits.csv and the notes
            Csv(map.Grid, $"delta_grid_{method}.csv");
            Csv(map.Zero, $"delta_zero_{method}.csv");
            Csv(map.Observed, $"delta_observed_{method}.csv");
            string unit = Units.Data(runs.Select(r => r.Model));
            Html(() => Figures.DeltaContour(map.Grid, map.Zero, map.Observed, $"ΔL(N, D) = L_{method} − L_scratch", unit, tokenizer), $"delta_{method}.html");
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
            var (table, spearman) = Summaries.LrTransfer(raw);
            Csv(table, "lr_transfer.csv");
            Csv(spearman, "lr_rank_correlation.csv");
            Html(() => Figures.LrSweep(table, tokenizer), "lr_sweep.html");
        }
        var verdicts = Verdicts.ForStudy(raw, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))));
        Csv(Verdicts.ToFrame(verdicts), "verdicts.csv");
        var md = Path.Combine(analysis, "verdicts.md");
        Runtime.Files.WriteTextAtomic(md, verdicts.Count == 0 ? "No claim of the paper is addressed by this study.\n" : Verdicts.Markdown(verdicts));
        files.Add(md);
        if (Controls.Applies(raw))
        {
            var controls = Controls.Compare(raw);
            Csv(Controls.ToFrame(controls), "controls.csv");
            var cmd = Path.Combine(analysis, "controls.md");
            Runtime.Files.WriteTextAtomic(cmd, Controls.Markdown(controls));
            files.Add(cmd);
            Html(() => Figures.Controls(controls, tokenizer), "controls.html");
        }
        if (Tuning.Applies(raw))
        {
            Csv(Tuning.ToFrame(Tuning.Grid(raw)), "tune.csv");
            var tmd = Path.Combine(analysis, "tune.md");
            Runtime.Files.WriteTextAtomic(tmd, Tuning.Markdown(raw));
            files.Add(tmd);
        }
        if (charts && png) notes.AddRange(WritePngs(pages, files));
        Runtime.Files.WriteTextAtomic(Path.Combine(analysis, "notes.txt"), string.Join("\n", notes) + "\n");
        return new Written(files, notes);
    }
}
