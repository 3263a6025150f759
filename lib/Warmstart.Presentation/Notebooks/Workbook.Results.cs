using System.Diagnostics;
using System.Runtime.CompilerServices;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Notebooks;

/// <summary>Loading: a study's results (committed, or trained now), and the tables its report wrote.</summary>
public static partial class Workbook
{
    /// <summary>A table the report wrote under analysis/ of the study's results folder (cached or regenerated).</summary>
    public static List<T> AnalysisTable<T>(string study, string scale, bool regenerate, TableFile<T> table) =>
        Guard(() => table.Read(AnalysisFolderWith(study, scale, regenerate, table)));

    // The analysis/ folder of the study's results (cached or regenerated) that holds the table; an error naming the
    // path when the report has not written it.
    static string AnalysisFolderWith<T>(string study, string scale, bool regenerate, TableFile<T> table)
    {
        string preset = PresetName(study, scale);
        var analysis = AnalysisFiles.Of(regenerate ? RegeneratedResults(preset) : CachedResults(preset));
        if (!File.Exists(table.In(analysis)))
            throw new ArgumentException($"no {table.Name} for preset '{preset}' (looked for {table.In(analysis)}): load or regenerate the results first");
        return analysis;
    }

    /// <summary>
    /// A notebook's study, opened in one call: the parameters checked (a bad scale or seed count stops here, naming what
    /// is allowed), a line saying what is loaded or trained — updated in place with the sweep's progress — and the
    /// results, committed or (regenerate) trained now into runs/ (<see cref="Results"/>; finished runs are reused).
    /// </summary>
    public static ResultTables Open(string study, string scale, bool regenerate, int seeds = 1, IReadOnlyList<double>? budgets = null,
        [CallerLineNumber] int line = 0)
    {
        CheckParameters(study, scale, seeds, budgets);
        string preset = PresetName(study, scale);
        var progress = Progress($"{(regenerate ? "training" : "loading")} the {study} study at scale '{scale}' → preset '{preset}'", line);
        var results = Results(study, scale, regenerate, progress.Update, seeds, budgets);
        progress.Update($"the {study} study ({preset}): {results.Runs.Count} runs, {results.Curves.Count} validation points");
        return results;
    }

    /// <summary>
    /// The results of a study at a scale: the committed cache, or (regenerate) a sweep trained now into runs/, with
    /// progress text sent to <paramref name="progress"/> at most every two seconds.
    /// </summary>
    public static ResultTables Results(string study, string scale, bool regenerate, Action<string>? progress = null,
        int seeds = 1, IReadOnlyList<double>? budgets = null) => Guard(() =>
    {
        string preset = PresetName(study, scale);
        if (!regenerate)
        {
            var cached = CachedResults(preset);
            if (!Directory.Exists(cached))
                throw new ArgumentException(
                    $"no committed results for preset '{preset}' (looked in {cached}): set Regenerate = true (or WARMSTART_REGENERATE=true) to train them");
            return new ResultStore(cached).LoadTables();
        }
        var sweep = SweepPresets.Get(preset, seeds, budgets);
        var dir = RegeneratedResults(preset);
        var throttle = Stopwatch.StartNew();
        var reporter = new SynchronousProgress<SweepProgress>(p =>
        {
            string text = p.Training is { } t
                ? $"{preset}: run {p.Done + 1}/{p.Total} ({p.Run}) step {t.Step}/{t.TotalSteps}, loss {t.TrainLoss:F3}, {t.TokensPerSecond:N0} tok/s"
                : $"{preset}: run {Math.Min(p.Done + 1, p.Total)}/{p.Total} ({p.Run}) {p.Event}";
            if (throttle.Elapsed.TotalSeconds < 2 && p.Training is not null) return;
            throttle.Restart();
            progress?.Invoke(text);
        });
        // A study folder keeps one thread count (it changes floating-point summation order): a folder regenerated
        // before, on this machine or with fewer cores, carries on at the count it recorded instead of refusing.
        int? recordedThreads = Directory.Exists(dir) ? new ResultStore(dir).ReadIndex()?.ThreadsPerRun : null;
        var outcome = SweepRunner.Run(sweep, dir, new SweepOptions { Progress = reporter, ThreadsPerRun = recordedThreads });
        bool reported = Report.WriteUnlessCurrent(dir, charts: false);
        ReportedThisProcess[dir] = true;
        progress?.Invoke($"{preset}: {outcome.Total} runs ({outcome.Trained} trained now, {outcome.Skipped} already done, {outcome.Failed} failed) in {outcome.Seconds:F0} s → {dir}" +
                         (reported ? "" : "; its analysis is current (same runs, same library build): not rewritten"));
        return new ResultStore(dir).LoadTables();
    });


    /// <summary>
    /// The results folder whose analysis/ a cell may read instead of recomputing: the committed one, or (regenerate) the
    /// one <see cref="Results"/> trained into, once its report is current (written from exactly the runs it holds by this
    /// library build); null when there is none, and the caller computes. Where a folder is returned, the callers below
    /// answer for the study as its report did (one setting per configuration, the controls' untrained bases left out)
    /// and do not look at their <c>results</c> argument: pass the study's own results, not a filtered copy.
    /// </summary>
    static string? ReportedFolder(string preset, bool regenerate)
    {
        if (!regenerate) return CachedResults(preset);
        var dir = RegeneratedResults(preset);
        return ReportedThisProcess.ContainsKey(dir) || Directory.Exists(dir) && Report.IsCurrent(dir) ? dir : null;
    }

    /// <summary>
    /// The folders <see cref="Results"/> trained and reported in this process: their reports are current by construction
    /// (only Results trains here, and it reports after every sweep), so the cells after it skip rehashing every run file.
    /// </summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> ReportedThisProcess = new();

    /// <summary>
    /// The scaling-law fits of a study: the ones its report wrote (analysis/scaling_fits.csv; committed, or regenerated
    /// and current), which saves refitting (seconds per law); otherwise fitted now from <paramref name="results"/>.
    /// </summary>
    public static List<ScalingFitRow> ScalingFits(string study, string scale, bool regenerate, ResultTables results) => Guard(() =>
    {
        if (ReportedFolder(PresetName(study, scale), regenerate) is { } folder && CommittedFits.Find(folder) is { } path) return CommittedFits.Load(path);
        return ScalingLaw.FitByMethod(results);
    });

    /// <summary>
    /// The paper's claims that a study's results address, decided by <see cref="Verdicts.ForStudy"/>: the verdicts its
    /// report wrote (analysis/verdicts.csv; committed, or regenerated and current) — claim 5 alone refits four scaling
    /// laws, a minute of CPU — otherwise decided now from <paramref name="results"/>. A test recomputes every committed
    /// study's verdicts and fails when a committed file differs, so reading it never shows a stale verdict.
    /// </summary>
    public static List<VerdictRow> Verdicts(string study, string scale, bool regenerate, ResultTables results) => Guard(() =>
    {
        string preset = PresetName(study, scale);
        if (ReportedFolder(preset, regenerate) is { } folder && File.Exists(AnalysisFiles.Verdicts.In(AnalysisFiles.Of(folder))))
            return AnalysisFiles.Verdicts.Read(AnalysisFiles.Of(folder));
        return Analysis.Verdicts.ForStudy(results, preset);
    });

    /// <summary>
    /// A study's reading beyond the paper on <paramref name="topic"/> as Markdown, as its report wrote it
    /// (analysis/readings.csv; committed, or regenerated and current), so a notebook shows the sentences the README
    /// shows; otherwise written now from <paramref name="results"/> by the same code. A reading in several parts (the
    /// controls' answer per g) is one paragraph per part, the answer over every g marked "Overall".
    /// </summary>
    public static string Reading(ReadingTopic topic, string study, string scale, bool regenerate, ResultTables results) => Guard(() =>
    {
        var rows = ReportedFolder(PresetName(study, scale), regenerate) is { } folder && File.Exists(StudyReadings.File.In(AnalysisFiles.Of(folder)))
            ? StudyReadings.File.Read(AnalysisFiles.Of(folder))
            : StudyReadings.Of(results);
        var parts = rows.Where(r => r.Topic == topic).Select(r => r.Part == StudyReadings.Overall ? "**Overall.** " + r.Markdown : r.Markdown).ToList();
        return parts.Count == 0 ? $"No {Runtime.Csv.Spelling(topic)} reading in these results." : string.Join("\n\n", parts);
    });

    /// <summary>
    /// The ΔL(N, D) map of <paramref name="method"/> against scratch: read from the analysis its report wrote
    /// (scaling_fits.csv and delta_grid/zero/observed_&lt;method&gt;.csv; committed, or regenerated and current) instead
    /// of refitting both laws; otherwise (or when those files are missing) computed now. A law that cannot be fitted is
    /// a one-line error naming the reason.
    /// </summary>
    public static DeltaMap DeltaMap(string study, string scale, bool regenerate, ResultTables results, Method method) => Guard(() =>
    {
        if (ReportedFolder(PresetName(study, scale), regenerate) is { } folder && CommittedFits.LoadMap(folder, method) is { } map) return map;
        return ScalingLaw.Map(results, method);
    });
}
