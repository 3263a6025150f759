using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Analysis;
using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Charts;
using Warmstart.Experiments;

namespace Warmstart.Notebooks;

/// <summary>A bad parameter or missing input, reported in a notebook cell as one readable line.</summary>
public sealed class WorkbookException(string message) : Exception(message)
{
    public override string? StackTrace => null; // the message is the whole story; no trace wall under the cell
}

/// <summary>
/// What the notebooks call: parameters from environment variables, the committed cached results or a fresh sweep,
/// and progress text for an updating display. Notebooks hold prose, parameters and plots; this holds the logic.
/// </summary>
public static class Workbook
{
    /// <summary>The repository root (the folder holding Workbook.sln), found from the current folder upwards.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Workbook.sln"))) return dir.FullName;
            throw new WorkbookException($"cannot find the workbook (Workbook.sln) above '{Directory.GetCurrentDirectory()}': open the notebook from the repository's notebooks/ folder");
        }
    }

    /// <summary>Committed results of a preset (data/results/&lt;preset&gt;).</summary>
    public static string CachedResults(string preset) => Path.Combine(RepoRoot, "data", "results", preset);

    /// <summary>Where regenerated results go (runs/&lt;preset&gt;, ignored by git), so the committed cache stays intact.</summary>
    public static string RegeneratedResults(string preset) => Path.Combine(RepoRoot, "runs", preset);

    public static string Text(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v.Trim() : fallback;

    public static bool Flag(string variable, bool fallback) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v
        ? v.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw new WorkbookException($"{variable}='{v}' is not a switch: use true or false"),
        }
        : fallback;

    public static double Number(string variable, double fallback) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
            : throw new WorkbookException($"{variable}='{v}' is not a number")
        : fallback;

    /// <summary>Runs notebook logic, turning bad input into a <see cref="WorkbookException"/> (one readable line).</summary>
    public static T Guard<T>(Func<T> body)
    {
        try { return body(); }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new WorkbookException(e.Message);
        }
    }

    /// <summary>Checks a study's parameters before anything runs; throws a one-line error naming the bad value.</summary>
    public static void CheckParameters(string study, string scale, int seeds = 1, IReadOnlyList<double>? budgets = null) =>
        Guard(() => SweepPresets.Get(study, scale, seeds, budgets));

    public static string PresetName(string study, string scale) => SweepPresets.PresetName(study, scale);

    /// <summary>A table the report wrote under analysis/ of the study's results folder (cached or regenerated).</summary>
    public static Microsoft.Data.Analysis.DataFrame AnalysisTable(string study, string scale, bool regenerate, string file) => Guard(() =>
    {
        string preset = PresetName(study, scale);
        var path = Path.Combine(regenerate ? RegeneratedResults(preset) : CachedResults(preset), "analysis", file);
        if (!File.Exists(path))
            throw new ArgumentException($"no {file} for preset '{preset}' (looked for {path}): load or regenerate the results first");
        return Frames.Load(path);
    });

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
        var outcome = SweepRunner.Run(sweep, dir, new SweepOptions { Progress = reporter });
        Report.Write(dir, charts: false);
        progress?.Invoke($"{preset}: {outcome.Total} runs ({outcome.Trained} trained now, {outcome.Skipped} already done, {outcome.Failed} failed) in {outcome.Seconds:F0} s → {dir}");
        return new ResultStore(dir).LoadTables();
    });

    /// <summary>
    /// How the library shows a value in the notebook: (value, MIME type or null for the default). setup.dib sets it
    /// to the kernel's <c>display</c>; the library itself does not depend on the kernel.
    /// </summary>
    public static Action<object, string?>? Output { get; set; }

    /// <summary>
    /// Shows a chart: the interactive Plotly chart (as before) and, where chromium is installed, a static PNG of it
    /// as a second output, so a saved notebook shows the figure on GitHub and offline too. Without chromium only
    /// the interactive chart; if the static copy fails, a one-line note says so. A figure's caption
    /// (<see cref="Figures.Caption"/>: what the marks mean, what is left out) follows as text under it.
    /// </summary>
    public static void Show(GenericChart chart)
    {
        var output = Output ?? throw new WorkbookException("Workbook.Output is not set: run '#!import setup.dib' first");
        output(chart, null);
        var png = StaticFigures.Render(chart, out var problem);
        if (png is not null) output(png, "image/png");
        else if (problem is not null) output($"(no static image: {problem})", "text/plain");
        if (Figures.Caption(chart) is { Length: > 0 } caption) output(caption, "text/markdown");
    }

    /// <summary>Shows markdown computed from the data (a reading, a verdict) as formatted text in the notebook.</summary>
    public static void Markdown(string markdown) =>
        (Output ?? throw new WorkbookException("Workbook.Output is not set: run '#!import setup.dib' first"))(markdown, "text/markdown");

    /// <summary>
    /// The scaling-law fits of a study: with <paramref name="regenerate"/> off, the committed ones the report wrote
    /// (analysis/scaling_fits.csv), which saves refitting (about 2 s per law here); otherwise fitted now from
    /// <paramref name="results"/>. Falls back to fitting when the committed table is missing.
    /// </summary>
    public static DataFrame ScalingFits(string study, string scale, bool regenerate, ResultTables results) => Guard(() =>
    {
        if (!regenerate && CommittedFits.Find(CachedResults(PresetName(study, scale))) is { } path) return CommittedFits.Load(path);
        return ScalingLaw.FitByMethod(results);
    });

    /// <summary>
    /// The ΔL(N, D) map of <paramref name="method"/> against scratch: with <paramref name="regenerate"/> off, read
    /// from the committed analysis (scaling_fits.csv and delta_grid/zero/observed_&lt;method&gt;.csv) instead of
    /// refitting both laws; otherwise (or when those files are missing) computed now. A law that cannot be fitted is
    /// a one-line error naming the reason.
    /// </summary>
    public static DeltaMap DeltaMap(string study, string scale, bool regenerate, ResultTables results, string method) => Guard(() =>
    {
        if (!regenerate && CommittedFits.LoadMap(CachedResults(PresetName(study, scale)), method) is { } map) return map;
        return ScalingLaw.Map(results, method);
    });
}
