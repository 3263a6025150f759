using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Reporting;

/// <summary>
/// Writes every analysis that the results support as CSV under <c>analysis/</c> and every figure as standalone HTML
/// under <c>charts/</c>; analyses the data cannot support are listed in <c>analysis/notes.txt</c> with the reason.
/// Reads only result files, so <c>report</c> redraws without training.
/// </summary>
public static class Report
{
    public sealed record Written(List<string> Files, List<string> Notes);

    /// <summary>
    /// The hashes of the sources this build compiled, of the research core (which computes every number) and of this
    /// presentation project (which writes them out), as the builds embed them; an assembly's version id where one is
    /// missing.
    /// </summary>
    public static string LibrarySources { get; } =
        $"{SourceHash(typeof(Analysis.Verdicts).Assembly)} {SourceHash(typeof(Report).Assembly)}";

    static string SourceHash(System.Reflection.Assembly assembly) =>
        assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SourceHash" && !string.IsNullOrEmpty(a.Value))?.Value
        ?? assembly.ManifestModule.ModuleVersionId.ToString();

    /// <summary>Where <see cref="WriteUnlessCurrent"/> records the inputs of the report it last wrote.</summary>
    public const string InputsStamp = ".report-inputs";

    /// <summary>
    /// One hash of everything a report of <paramref name="resultsDir"/> reads: the sweep index's preset and runs, each listed run's spec,
    /// summary, curve, failure record and plan (their bytes; a retrained run rewrites its summary), its weight snapshots
    /// (names and sizes), and the sources and package versions of the library build that would analyse them.
    /// </summary>
    public static string InputsHash(string resultsDir)
    {
        var store = new ResultStore(resultsDir);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string path)
        {
            bool present = File.Exists(path); // a missing file and an empty one are different inputs
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{Path.GetRelativePath(store.Root, path)} {(present ? "present" : "missing")}\n"));
            if (present) hash.AppendData(File.ReadAllBytes(path));
        }
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(LibrarySources + "\n"));
        // The index by its content, not its bytes: it carries the time of the last sweep, which a sweep that trained
        // nothing still updates.
        var index = store.ReadIndex();
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{index?.Preset}\n{string.Join("\n", index?.Runs ?? [])}\n"));
        foreach (var id in index?.Runs ?? [])
        {
            foreach (var file in new[] { ResultStore.SpecFile, Trainer.SummaryFile, Trainer.CurveFile }) Add(Path.Combine(store.RunDir(id), file));
            Add(store.FailureFile(id));
            Add(store.PlanFile(id));
            // The weight analysis reads the snapshots: their names and sizes (not their bytes, which are large).
            var snapshots = Path.Combine(store.RunDir(id), Trainer.SnapshotFolder);
            if (Directory.Exists(snapshots))
                foreach (var file in Directory.GetFiles(snapshots).Order(StringComparer.Ordinal))
                    hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{Path.GetRelativePath(store.Root, file)} {new FileInfo(file).Length}\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// <see cref="Write"/>, unless the folder's last report by this method read exactly what it holds now (same runs,
    /// same bytes, same library build): re-running a notebook on results it has already regenerated then costs no
    /// scaling-law refits. Returns whether it wrote. The stamp lives beside the results, not in analysis/.
    /// </summary>
    public static bool WriteUnlessCurrent(string resultsDir, bool charts = true, bool png = true)
    {
        var stamp = Path.Combine(resultsDir, InputsStamp);
        string inputs = InputsHash(resultsDir);
        if (IsCurrent(resultsDir, inputs)) return false;
        Write(resultsDir, charts, png); // deletes the stamp first: a report that stops half-way leaves none
        Files.WriteTextAtomic(stamp, inputs + "\n");
        return true;
    }

    /// <summary>
    /// Whether the analysis/ of <paramref name="resultsDir"/> was written by <see cref="WriteUnlessCurrent"/> from exactly
    /// the runs it holds now, by this library build: then its tables can be read instead of recomputed.
    /// </summary>
    public static bool IsCurrent(string resultsDir, string? inputs = null)
    {
        var stamp = Path.Combine(resultsDir, InputsStamp);
        return File.Exists(stamp) && Directory.Exists(AnalysisFiles.Of(resultsDir))
               && File.ReadAllText(stamp).Trim() == (inputs ?? InputsHash(resultsDir));
    }

    /// <summary>Weight metrics of every finished run that kept snapshots (empty when none did).</summary>
    public static List<WeightMetricRow> WeightMetrics(ResultStore store, IReadOnlyList<RunRow> runs)
    {
        var rows = new List<WeightMetricRow>();
        foreach (var run in runs.Where(r => r.IsFinished))
        {
            var dir = store.RunDir(run.RunId);
            if (!Directory.Exists(Path.Combine(dir, Training.Trainer.SnapshotFolder))) continue;
            var layers = WeightAnalysis.DefaultLayers(store.ReadSpec(run.RunId)!.Architecture());
            rows.AddRange(WeightAnalysis.ForRun(dir, run.RunId, run.Method, layers));
        }
        return rows;
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

    /// <summary>
    /// The study's headline charts (<see cref="Study.Headline"/>) copied as PNGs into figures/, the folder a results
    /// folder commits (charts/ is not): the README and the notebooks' prose link these, so a report keeps them in step
    /// with the data. A chart that was not drawn (no chromium) leaves the committed figure as it was.
    /// </summary>
    static List<string> HeadlineFigures(string root, string chartDir)
    {
        var preset = new ResultStore(root).ReadIndex()?.Preset;
        if (preset is null || Studies.OfPreset(preset) is not var (study, _)) return [];
        var written = new List<string>();
        foreach (var name in study.Headline)
        {
            var png = Path.Combine(chartDir, name + ".png");
            if (!File.Exists(png)) continue;
            var target = Path.Combine(root, "figures", name + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(png, target, overwrite: true);
            written.Add(target);
        }
        return written;
    }

    /// <summary>
    /// The runs the speedup, iso-FLOP and ablation tables compare, from a study's tables after the selection step: a
    /// control's untrained base is a zero-step run (method "untrained"), an input of its arm, not a result to compare
    /// with scratch, so it is left out.
    /// </summary>
    public static ResultTables Compared(ResultTables selected) => selected with { Runs = selected.Runs.Where(r => r.Method != Method.Untrained).ToList() };

    public static Written Write(string resultsDir, bool charts = true, bool png = true)
    {
        if (!Directory.Exists(resultsDir))
            throw new DirectoryNotFoundException($"results folder '{resultsDir}' does not exist: give a folder that sweep wrote");
        // Whatever wrote the stamp, this report replaces what it vouched for; WriteUnlessCurrent stamps again once done.
        File.Delete(Path.Combine(resultsDir, InputsStamp));
        var store = new ResultStore(resultsDir);
        var tables = store.LoadTables();
        var root = store.Root;
        var analysis = AnalysisFiles.Of(root);
        var chartDir = Path.Combine(root, "charts");
        var files = new List<string>();
        var notes = new List<string>();
        var pages = new List<string>();
        void Save<T>(TableFile<T> table, IEnumerable<T> rows) { table.Write(analysis, rows); files.Add(table.In(analysis)); }
        void Text(string name, string text) { var p = Path.Combine(analysis, name); Runtime.Files.WriteTextAtomic(p, text); files.Add(p); }
        void Html(Func<Plotly.NET.GenericChart> chart, string name)
        {
            if (!charts) return;
            var p = Path.Combine(chartDir, name);
            Figures.SaveStandalone(chart(), p, sharedPlotlyJs: true);
            files.Add(p);
            pages.Add(p);
        }

        tables.Write(root);
        var raw = tables;
        // One selection step before every comparison: one setting (LR × init scale) per configuration for all seeds,
        // chosen on held-out batches. A study without a grid is unchanged. LR transfer and weight metrics read the raw tables.
        var (selected, bestSettings) = Selection.BestPerConfiguration(raw);
        Save(AnalysisFiles.BestSettings, bestSettings);
        if (Selection.HasGrid(bestSettings))
            notes.Add("several settings per configuration: analyses use one setting per configuration, the lowest mean loss over seeds on held-out batches (best_settings.csv)");
        tables = Compared(selected);
        var runs = raw.Runs;
        var methods = runs.Select(r => r.Method).Where(m => m != Method.Scratch && m != Method.Untrained).Distinct().Order().ToList();
        foreach (var r in runs.Where(r => !r.IsFinished))
            notes.Add(store.Problems.TryGetValue(r.RunId, out var problem) ? $"run {r.RunId}: invalid, left out of the analyses: {problem}" : $"run {r.RunId}: {Csv.Spelling(r.Status)}");
        foreach (var r in runs.Where(r => r.Diverged)) // kept in runs.csv, but no speedup or iso-FLOP point can come from it
            notes.Add($"run {r.RunId}: diverged ({store.Summary(r.RunId)?.DivergedReason ?? "see its summary.json"}), left out of the speedup and iso-FLOP analyses");

        // The tables do not record the tokenizer; the runs' specs do, and the figures' loss axes name its unit.
        string tokenizer = runs.Select(r => store.ReadSpec(r.RunId)?.Data).OfType<Data.CorpusData>().Select(c => c.Tokenizer).FirstOrDefault() ?? Units.ByteTokenizer;
        var speedup = Speedup.Compute(tables);
        Save(AnalysisFiles.Speedup, speedup);
        var speedupSummary = Speedup.Summary(speedup);
        Save(AnalysisFiles.SpeedupSummary, speedupSummary);
        if (speedup.Count > 0) Html(() => Figures.SpeedupVsG(speedupSummary), "speedup_vs_g.html");
        if (speedupSummary.Any(r => r.Paired > 0)) Html(() => Figures.DeltaVsG(speedupSummary, tokenizer), "delta_vs_g.html");

        foreach (var method in methods)
        foreach (bool withBase in new[] { false, true })
        foreach (bool withScratch in new[] { false, true })
        {
            // Both views: the paper's (scratch not a point) and with scratch as the g = 1 point of the quadratic.
            var (points, fits) = IsoFlop.Compute(tables, method, withBase, includeScratch: withScratch);
            Save(AnalysisFiles.IsoFlopPoints(method, withBase, withScratch), points);
            Save(AnalysisFiles.IsoFlopFits(method, withBase, withScratch), fits);
            if (withScratch) continue; // the g = 1 view is a table beside the paper's; only the paper's view is drawn
            // One chart per target model and budget: the FLOP levels of different targets do not share an axis.
            string view = AnalysisFiles.IsoFlopView(method, withBase, withScratch);
            var targets = fits.Select(f => (f.Model, f.Tpp)).Distinct().ToList();
            for (int t = 0; t < targets.Count && points.Count > 0; t++)
            {
                var (model, tpp) = targets[t];
                string name = targets.Count == 1 ? $"isoflop_{view}.html" : $"isoflop_{view}_{t + 1}.html";
                string title = $"Iso-FLOP loss vs g: {method}{(withBase ? ", base compute included" : "")}" + (targets.Count == 1 ? "" : $" — {model}, {tpp:0.#} TPP");
                Html(() => Figures.IsoFlop(IsoFlop.ForTarget(points, model, tpp), IsoFlop.ForTarget(fits, model, tpp), title, tokenizer), name);
            }
        }

        Save(AnalysisFiles.Ablation, Summaries.Ablation(tables));
        var lambda = Summaries.LambdaSweep(tables);
        Save(AnalysisFiles.Lambda, lambda);
        if (runs.Where(r => r.Method == Method.Szp).Select(r => (r.Lambda, r.Sigma)).Distinct().Count() > 1) Html(() => Figures.LambdaSweep(lambda, tokenizer), "lambda_sweep.html");
        Html(() => Figures.LearningCurves(tables.Runs, tables.Curves, "Learning curves vs FLOPs", tokenizer), "learning_curves.html");

        var scalingFits = ScalingLaw.FitByMethod(tables);
        Save(AnalysisFiles.ScalingFits, scalingFits);
        if (Figures.HasAnyFit(scalingFits)) Html(() => Figures.FitTable(scalingFits), "scaling_fits.html");
        foreach (var fit in scalingFits)
        {
            if (fit.Reason.Length > 0) notes.Add($"scaling fit for {fit.Method}: {fit.Reason}");
            if (fit.AtBounds.Length > 0) notes.Add($"scaling fit for {fit.Method}: parameters at their bounds, the law is not identified by these runs ({fit.AtBounds})");
        }
        foreach (var method in methods)
        {
            DeltaMap map;
            try { map = ScalingLaw.Map(tables, method); }
            catch (ArgumentException) { continue; } // the reason is already in scaling_fits.csv and the notes
            Save(AnalysisFiles.DeltaGrid(method), map.Grid);
            Save(AnalysisFiles.DeltaZero(method), map.Zero);
            Save(AnalysisFiles.DeltaObserved(method), map.Observed);
            string unit = Units.Data(runs.Select(r => r.Model));
            Html(() => Figures.DeltaContour(map.Grid, map.Zero, map.Observed, $"ΔL(N, D) = L_{method} − L_scratch", unit, tokenizer), $"delta_{method}.html");
        }
        var weights = WeightMetrics(store, runs);
        if (weights.Count > 0)
        {
            Save(AnalysisFiles.Weights, weights);
            foreach (var measure in Enum.GetValues<WeightMeasure>())
                Html(() => Figures.WeightMetric(weights, measure), $"weights_{Csv.Spelling(measure)}.html");
        }
        if (runs.Select(r => r.Lr).Distinct().Count() > 1)
        {
            var (table, spearman) = Summaries.LrTransfer(raw);
            Save(AnalysisFiles.LrTransfer, table);
            Save(AnalysisFiles.LrRankCorrelation, spearman);
            Html(() => Figures.LrSweep(table, tokenizer), "lr_sweep.html");
        }
        var verdicts = Verdicts.ForStudy(raw, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))));
        Save(AnalysisFiles.Verdicts, verdicts);
        Text("verdicts.md", verdicts.Count == 0 ? "No claim of the paper is addressed by this study.\n" : AnalysisMarkdown.Verdicts(verdicts));
        if (Controls.Applies(raw))
        {
            var controls = Controls.Compare(raw);
            Save(AnalysisFiles.Controls, controls);
            Text("controls.md", AnalysisMarkdown.Controls(raw));
            Html(() => Figures.Controls(controls, tokenizer), "controls.html");
        }
        if (FpNoise.Applies(raw))
        {
            var noise = FpNoise.Table(raw);
            Save(AnalysisFiles.FpNoise, noise);
            Text("fp_noise.md", Readings.FpNoise(noise));
        }
        if (Tuning.Applies(raw))
        {
            Save(AnalysisFiles.Tune, Tuning.Grid(raw));
            Text("tune.md", AnalysisMarkdown.Tuning(raw));
        }
        if (charts && png)
        {
            notes.AddRange(WritePngs(pages, files));
            files.AddRange(HeadlineFigures(root, chartDir));
        }
        Runtime.Files.WriteTextAtomic(Path.Combine(analysis, "notes.txt"), string.Join("\n", notes) + "\n");
        return new Written(files, notes);
    }
}
