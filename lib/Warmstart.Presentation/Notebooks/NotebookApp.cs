using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Plotly.NET;
using Warmstart.Reporting;

namespace Warmstart.Notebooks;

/// <summary>
/// A notebook running as a file-based app (<c>dotnet run notebooks/NN-name.cs -- …</c>; its setup cell calls
/// <see cref="Workbook.StartApp"/>). Parameters come from the command line, then the environment; what the cells show
/// is printed (tables as text) and collected into a <see cref="NotebookPage"/> under runs/notebooks/NN-name/, which is
/// written when the program ends, and whose place is the last line printed. Bad input ends the run with one line.
/// </summary>
public sealed class NotebookApp
{
    public string Name { get; }
    public AppArguments Arguments { get; }
    public NotebookPage Page { get; }
    readonly TextWriter console;
    int written;

    NotebookApp(string name, AppArguments arguments, NotebookPage page, TextWriter console) =>
        (Name, Arguments, Page, this.console) = (name, arguments, page, console);

    /// <summary>
    /// Reads the app's source (for its prose and the parameters it reads), parses <paramref name="args"/> against
    /// those parameters and opens the page. Null when --help was asked for (the usage is printed).
    /// </summary>
    public static NotebookApp? Start(string sourcePath, IReadOnlyList<string> args, TextWriter console, string? defaultFolder = null)
    {
        if (!File.Exists(sourcePath)) throw new WorkbookException($"the app's source '{sourcePath}' is not here: run it with dotnet run from the repository");
        string source = File.ReadAllText(sourcePath);
        string name = Path.GetFileNameWithoutExtension(sourcePath);
        var parameters = NotebookParameter.FoundIn(source);
        var arguments = AppArguments.Parse(args, name, parameters);
        if (arguments.Help)
        {
            console.WriteLine(AppArguments.UsageLine(name, parameters));
            console.WriteLine($"  runs the notebook {name}.ipynb without a notebook kernel; the page goes to runs/notebooks/{name}/ unless {AppArguments.OutOption} names a folder");
            return null;
        }
        string folder = arguments.OutputFolder ?? defaultFolder ?? Path.Combine(Workbook.RepoRoot, "runs", "notebooks", name);
        string invocation = $"dotnet run notebooks/{name}.cs{(args.Count > 0 ? " -- " + string.Join(" ", args) : "")} · {DateTime.Now:yyyy-MM-dd HH:mm}";
        var page = new NotebookPage(name, folder, PercentScript.Parse(source), invocation, Path.GetDirectoryName(Path.GetFullPath(sourcePath))!);
        return new NotebookApp(name, arguments, page, console);
    }

    /// <summary>
    /// A warning when the libraries this app runs are older than the repository's: `dotnet run file.cs` reuses its
    /// cached build while the .cs and the Directory.* files are unchanged, without looking at a #:project's sources
    /// (SDK 10.0.401), so after a pull or an edit of lib/ the app would run the old code. Null when current: each loaded
    /// library (the research core and this presentation project) is the one `dotnet build -c Release` last wrote, and
    /// no source of it is newer.
    /// </summary>
    public static string? StaleLibraryWarning(string name, string repoRoot)
    {
        bool Stale(System.Reflection.Assembly assembly)
        {
            var loaded = assembly.Location;
            string project = assembly.GetName().Name!, library = Path.Combine(repoRoot, "lib", project);
            if (loaded.Length == 0 || !File.Exists(loaded) || !Directory.Exists(library)) return false;
            var built = Path.Combine(library, "bin", "Release", "net10.0", project + ".dll");
            bool rebuilt = File.Exists(built) && Path.GetFullPath(built) != Path.GetFullPath(loaded) && ModuleVersion(built) != ModuleVersion(loaded);
            var loadedTime = File.GetLastWriteTimeUtc(loaded);
            bool edited = Directory.EnumerateFiles(library, "*.cs*", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                .Any(f => File.GetLastWriteTimeUtc(f) > loadedTime);
            return rebuilt || edited;
        }
        return Stale(typeof(Analysis.Verdicts).Assembly) || Stale(typeof(NotebookApp).Assembly)
            ? $"warning: lib/ changed after this app was built, and dotnet run does not rebuild for a #:project's changes: run `dotnet run --no-cache notebooks/{name}.cs` once to use the current library"
            : null;
    }

    static Guid ModuleVersion(string assembly)
    {
        using var stream = File.OpenRead(assembly);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.GetGuid(reader.GetModuleDefinition().Mvid);
    }

    /// <summary>The value of a parameter given on the command line, and the option that gave it.</summary>
    public bool TryGetParameter(string variable, out string value, out string option)
    {
        option = Arguments.Options.GetValueOrDefault(variable, variable);
        return Arguments.Values.TryGetValue(variable, out value!);
    }

    /// <summary>Shows a value: a chart as a figure, a table-like value as a table, anything else as text.</summary>
    public void Show(object? value, int line)
    {
        int cell = Page.CellAt(line);
        switch (value)
        {
            case GenericChart chart:
                var figure = Page.AddFigure(chart, cell);
                console.WriteLine($"[figure {figure.Number}] {figure.Title} → {figure.PngFile ?? figure.HtmlFile}{(figure.Problem is null ? "" : $" ({figure.Problem})")}");
                break;
            case PngImage png:
                throw new WorkbookException($"a bare {png} has no place on the page: show the chart itself (Workbook.Show(chart) writes its PNG)");
            case { } table when TableGrid.IsTable(table):
                var grid = TableGrid.Of(table);
                Page.Add(new NotebookPage.TableItem(cell, grid));
                console.WriteLine(TextTable.Plain(grid));
                break;
            default:
                string text = value?.ToString() ?? "null";
                Page.Add(new NotebookPage.TextItem(cell, text));
                console.WriteLine(text);
                break;
        }
    }

    public void Markdown(string markdown, int line)
    {
        Page.Add(new NotebookPage.MarkdownItem(Page.CellAt(line), markdown));
        console.WriteLine(markdown);
    }

    /// <summary>A line that updates: each update is printed, and the page keeps the last.</summary>
    public Action<string> Updatable(string text, int line)
    {
        var item = new NotebookPage.ProgressItem(Page.CellAt(line)) { Text = text };
        Page.Add(item);
        return update =>
        {
            item.Text = update;
            console.WriteLine(update);
        };
    }

    /// <summary>Ends the run without a page (it showed nothing: bad input stopped it before the first output).</summary>
    public void Discard() => Interlocked.Exchange(ref written, 1);

    /// <summary>Writes the page (once) and prints where it is; <paramref name="failure"/> marks where a cell stopped the run.</summary>
    public void Finish(string? failure = null, int failedLine = 0)
    {
        if (Interlocked.Exchange(ref written, 1) == 1) return;
        Page.Write(failure, failure is null ? -1 : Page.CellAt(failedLine));
        var figures = Page.Items.OfType<NotebookPage.FigureItem>().ToList();
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(Page.Folder, NotebookPage.HtmlFile));
        console.WriteLine($"{(failure is null ? "page" : "page so far")}: {relative} (and {NotebookPage.MarkdownFile}; " +
            $"{Page.Items.OfType<NotebookPage.TableItem>().Count()} tables, {figures.Count} figures, {figures.Count(f => f.PngFile is not null)} as PNG)");
    }
}
