using System.Collections;
using System.Runtime.CompilerServices;
using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Reporting;

namespace Warmstart.Notebooks;

/// <summary>Display: what a cell shows, in a notebook kernel or on a file-based app's page.</summary>
public static partial class Workbook
{
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
}
