using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Notebooks;

/// <summary>A bad parameter or missing input, reported in a notebook cell as one readable line.</summary>
public sealed class WorkbookException(string message) : Exception(message)
{
    public override string? StackTrace => null; // the message is the whole story; no trace wall under the cell
}

/// <summary>A line of text that a cell shows and then updates (a sweep's progress): see <see cref="Workbook.Progress"/>.</summary>
public sealed class ProgressLine(Action<string> update)
{
    public void Update(string text) => update(text);
}

/// <summary>
/// What the notebooks call: parameters (from the environment, or a file-based app's command line), the committed
/// cached results or a fresh sweep, and <see cref="Show(object?, int)"/>, which displays in a notebook kernel and
/// writes a page in a file-based app. Notebooks hold prose, parameters and plots; this holds the logic.
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

    /// <summary>A text parameter: the file-based app's option, else the environment variable, else <paramref name="fallback"/>.</summary>
    public static string Text(string variable, string fallback) =>
        Parameter(variable) is ({ Length: > 0 } v, _) ? v.Trim() : fallback;

    /// <summary>A switch parameter (true/false, yes/no, on/off, 1/0); anything else is a one-line error naming it.</summary>
    public static bool Flag(string variable, bool fallback) => Parameter(variable) is ({ Length: > 0 } v, var source)
        ? v.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw new WorkbookException($"{source}='{v}' is not a switch: use true or false"),
        }
        : fallback;

    /// <summary>A number parameter; anything that is not a number is a one-line error naming it.</summary>
    public static double Number(string variable, double fallback) => Parameter(variable) is ({ Length: > 0 } v, var source)
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
            : throw new WorkbookException($"{source}='{v}' is not a number")
        : fallback;

    // A file-based app's command line wins over the environment, which the notebook kernels and their tests use.
    static (string? Value, string Source) Parameter(string variable) =>
        App is { } app && app.TryGetParameter(variable, out var value, out var option)
            ? (value, option)
            : (Environment.GetEnvironmentVariable(variable), variable);

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
        bool reported = Report.WriteUnlessCurrent(dir, charts: false);
        progress?.Invoke($"{preset}: {outcome.Total} runs ({outcome.Trained} trained now, {outcome.Skipped} already done, {outcome.Failed} failed) in {outcome.Seconds:F0} s → {dir}" +
                         (reported ? "" : "; its analysis is current (same runs, same library build): not rewritten"));
        return new ResultStore(dir).LoadTables();
    });

    /// <summary>
    /// How the library shows a value in a notebook kernel: (value, MIME type or null for the default). setup.dib sets
    /// it to the kernel's <c>display</c>; the library itself does not depend on the kernel.
    /// </summary>
    public static Action<object, string?>? Output { get; set; }

    /// <summary>
    /// How the library shows a line that it updates later, in a notebook kernel: setup.dib sets it to the kernel's
    /// <c>display</c> and the returned handle's <c>Update</c>.
    /// </summary>
    public static Func<string, Action<string>>? UpdatableOutput { get; set; }

    /// <summary>The file-based app this process runs, once its setup cell has called <see cref="StartApp"/>; null in a kernel.</summary>
    public static NotebookApp? App { get; private set; }

    /// <summary>
    /// The setup cell of a notebook run as a file-based app (generated from <c>#!import setup.dib</c>): reads the
    /// parameters from <paramref name="args"/>, sends what the cells show to the console and a page under
    /// runs/notebooks/, writes the page when the program ends, and ends a run that hit bad input with one line
    /// (exit code 2) instead of a stack trace. <c>--help</c> prints the options and exits.
    /// </summary>
    public static void StartApp(string[] args, [CallerFilePath] string source = "")
    {
        Runtime.TorchRuntime.EnsureLoadable(); // the Debian 12 loading fix, before TorchSharp first loads
        NotebookApp? app;
        try { app = NotebookApp.Start(source, args, Console.Out); }
        catch (WorkbookException e) { Console.Error.WriteLine($"error: {e.Message}"); Environment.Exit(2); return; }
        if (app is null) Environment.Exit(0); // --help
        if (NotebookApp.StaleLibraryWarning(app.Name, RepoRoot) is { } stale) Console.Error.WriteLine(stale);
        App = app;
        AppDomain.CurrentDomain.UnhandledException += (_, e) => Stop(app, e.ExceptionObject as Exception, source);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.Finish();
        StaticFigures.WarmUp(); // chromium starts in the background while the results load
    }

    // A cell threw: bad input ends the run with its one line; anything else with the page so far and the whole exception.
    static void Stop(NotebookApp app, Exception? error, string source)
    {
        while (error is TypeInitializationException or System.Reflection.TargetInvocationException && error.InnerException is not null)
            error = error.InnerException;
        int line = error is null ? 0 : new StackTrace(error, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName() == source)?.GetFileLineNumber() ?? 0;
        bool badInput = error is WorkbookException;
        if (app.Page.Items.Count > 0) app.Finish(badInput ? error!.Message : error?.ToString() ?? "the run stopped", line);
        else app.Discard();
        Console.Error.WriteLine(badInput ? $"error: {error!.Message}" : $"error: {error}");
        Environment.Exit(badInput ? 2 : 1);
    }

    const string NoDisplay = "nowhere to show it: in a notebook, run '#!import setup.dib' first; in a file-based app, its setup cell calls Workbook.StartApp(args)";

    /// <summary>
    /// Shows what a cell computed. In a notebook kernel: the kernel displays it (tables through the formatters
    /// setup.dib registers; a list of records as a DataFrame, the type those formatters take). In a file-based app: a
    /// table is printed as text and added to the page, text is printed and added, a chart becomes a figure (see
    /// <see cref="Show(GenericChart, int)"/>).
    /// </summary>
    public static void Show(object? value, [CallerLineNumber] int line = 0)
    {
        if (value is GenericChart chart) { Show(chart, line); return; }
        if (App is { } app) { app.Show(value, line); return; }
        if (TableGrid.RecordsOf(value) is { } records) value = Frames.FromRecords((IEnumerable)value!, records);
        (Output ?? throw new WorkbookException(NoDisplay))(value ?? "null", null);
    }

    /// <summary>
    /// How a notebook kernel shows a chart, from WARMSTART_FIGURES: "interactive" (the default, a live session: the
    /// Plotly chart) or "static" (what notebooks/refresh-outputs.sh saves: a PNG drawn in headless chromium, which
    /// GitHub and VS Code both show). One or the other, never both, so a chart appears once wherever it is read.
    /// </summary>
    public static bool StaticNotebookFigures => Environment.GetEnvironmentVariable("WARMSTART_FIGURES") switch
    {
        null or "" or "interactive" => false,
        "static" => true,
        var other => throw new WorkbookException($"WARMSTART_FIGURES='{other}': allowed are interactive, static"),
    };

    /// <summary>
    /// Shows a chart. In a notebook kernel: the interactive Plotly chart, or with WARMSTART_FIGURES=static its PNG
    /// (<see cref="StaticNotebookFigures"/>; without chromium, or if the PNG fails, the interactive chart and a one-line
    /// note), then the figure's caption (<see cref="Figures.Caption"/>: what the marks mean, what is left out) as text.
    /// In a file-based app: a figure on the page, drawn from its data, with its own interactive page and PNG beside it.
    /// </summary>
    public static void Show(GenericChart chart, [CallerLineNumber] int line = 0)
    {
        if (App is { } app) { app.Show(chart, line); return; }
        var output = Output ?? throw new WorkbookException(NoDisplay);
        bool saving = StaticNotebookFigures;
        string? problem = null;
        var png = saving ? StaticFigures.Render(chart, out problem) : null;
        if (png is not null) output(png, "image/png");
        else
        {
            output(chart, null);
            if (saving) output($"(no static image: {problem ?? "chromium is not installed"})", "text/plain");
        }
        if (Figures.Caption(chart) is { Length: > 0 } caption) output(caption, "text/markdown");
    }

    /// <summary>Shows markdown computed from the data (a reading, a verdict) as formatted text.</summary>
    public static void Markdown(string markdown, [CallerLineNumber] int line = 0)
    {
        if (App is { } app) { app.Markdown(markdown, line); return; }
        (Output ?? throw new WorkbookException(NoDisplay))(markdown, "text/markdown");
    }

    /// <summary>
    /// Shows a line of text that the cell then updates (<see cref="ProgressLine.Update"/>): in a kernel one display
    /// that changes in place; in a file-based app each update is printed, and the page keeps the last.
    /// </summary>
    public static ProgressLine Progress(string text, [CallerLineNumber] int line = 0)
    {
        if (App is { } app) return new ProgressLine(app.Updatable(text, line));
        return new ProgressLine((UpdatableOutput ?? throw new WorkbookException(NoDisplay))(text));
    }

    /// <summary>
    /// Under a table shown in its short form (the answer's columns, rounded): the path, from the repository root, of
    /// the CSV with every column of every row, which the report wrote under analysis/ of the study's results folder
    /// (the committed one, or the one regenerated now). A reader who wants the raw numbers opens that file.
    /// </summary>
    public static void FullTable<T>(string study, string scale, bool regenerate, TableFile<T> table, [CallerLineNumber] int line = 0)
    {
        var path = table.In(Guard(() => AnalysisFolderWith(study, scale, regenerate, table)));
        Markdown($"Every column of every row: `{Path.GetRelativePath(RepoRoot, path).Replace('\\', '/')}`.", line);
    }

    /// <summary>
    /// The results folder whose analysis/ a cell may read instead of recomputing: the committed one, or (regenerate) the
    /// one <see cref="Results"/> trained into, once its report is current (written from exactly the runs it holds by this
    /// library build); null when there is none, and the caller computes.
    /// </summary>
    static string? ReportedFolder(string preset, bool regenerate)
    {
        if (!regenerate) return CachedResults(preset);
        var dir = RegeneratedResults(preset);
        return Directory.Exists(dir) && Report.IsCurrent(dir) ? dir : null;
    }

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
