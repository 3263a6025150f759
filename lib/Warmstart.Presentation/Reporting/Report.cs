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

    /// <summary>
    /// Writes every analysis the results support (<see cref="ReportWriter"/>, section by section), every chart as HTML
    /// (with <paramref name="charts"/>) and, with <paramref name="png"/> where chromium is installed, a PNG beside each
    /// and the study's headline figures into figures/.
    /// </summary>
    public static Written Write(string resultsDir, bool charts = true, bool png = true)
    {
        if (!Directory.Exists(resultsDir))
            throw new DirectoryNotFoundException($"results folder '{resultsDir}' does not exist: give a folder that sweep wrote");
        // Whatever wrote the stamp, this report replaces what it vouched for; WriteUnlessCurrent stamps again once done.
        File.Delete(Path.Combine(resultsDir, InputsStamp));
        var store = new ResultStore(resultsDir);
        var report = new ReportWriter(store, charts);
        report.Speedups();
        report.IsoFlops();
        report.Summaries();
        report.ScalingLaws();
        report.WeightsAndLearningRates();
        report.ClaimsAndReadings();
        if (charts && png)
        {
            report.Notes.AddRange(WritePngs(report.Pages, report.Files));
            report.Files.AddRange(HeadlineFigures(store.Root, Path.Combine(store.Root, "charts")));
        }
        report.WriteNotes();
        return new Written(report.Files, report.Notes);
    }
}
