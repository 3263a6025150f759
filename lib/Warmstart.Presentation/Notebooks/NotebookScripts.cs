using System.Text.Json;
using System.Text.RegularExpressions;

namespace Warmstart.Notebooks;

/// <summary>A notebook whose file-based app is missing, out of date, or has no notebook.</summary>
public sealed record ScriptDifference(string Script, string Problem);

/// <summary>
/// Keeps each notebook's file-based app in step with it: <c>notebooks/NN-name.cs</c> is generated from
/// <c>notebooks/NN-name.ipynb</c> (the source, which also keeps the saved outputs) in jupytext's percent format,
/// cell for cell. The setup cell (<c>#!import setup.dib</c>) becomes the app's <c>#:project</c> directive and usings,
/// read from the .dib itself, so neither the library's path nor a namespace is written down twice; every other
/// cell is copied as it is, and must therefore be C# that compiles as a top-level program too (no magic commands,
/// no kernel <c>display</c>, no bare expression at the end of a cell).
/// </summary>
public static partial class NotebookScripts
{
    /// <summary>How to bring the scripts up to date; named in every difference.</summary>
    public const string SyncCommand = "dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync";

    /// <summary>The file-based app of a notebook, as it is generated from the notebook.</summary>
    public static string Generate(string notebookPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        string name = Path.GetFileName(notebookPath);
        var cells = ReadNotebook(notebookPath).Select((cell, i) => cell.IsCode ? Translate(cell, folder, $"{name} cell {i + 1}") : cell);
        string script = Path.ChangeExtension(name, ".cs");
        string[] header =
        [
            $"// Generated from {name}, its source: edit the notebook, then run",
            $"//   {SyncCommand}",
            "// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:",
            $"//   dotnet run notebooks/{script} -- --help",
        ];
        return PercentScript.Write(cells, header);
    }

    /// <summary>Writes the file-based app of every notebook in <paramref name="folder"/>; returns the scripts it changed.</summary>
    public static List<string> Sync(string folder)
    {
        var changed = new List<string>();
        foreach (var notebook in Notebooks(folder))
        {
            string script = Path.ChangeExtension(notebook, ".cs"), text = Generate(notebook);
            if (File.Exists(script) && File.ReadAllText(script) == text) continue;
            Runtime.Files.WriteTextAtomic(script, text);
            changed.Add(script);
        }
        return changed;
    }

    /// <summary>Every script in <paramref name="folder"/> that differs from what its notebook generates, or has no notebook.</summary>
    public static List<ScriptDifference> Check(string folder)
    {
        var differences = new List<ScriptDifference>();
        foreach (var notebook in Notebooks(folder))
        {
            string script = Path.ChangeExtension(notebook, ".cs");
            if (!File.Exists(script)) { differences.Add(new(script, $"missing: run `{SyncCommand}`")); continue; }
            var expected = Generate(notebook).Split('\n');
            var found = File.ReadAllText(script).ReplaceLineEndings("\n").Split('\n');
            int line = Enumerable.Range(0, Math.Max(expected.Length, found.Length))
                .FirstOrDefault(i => i >= expected.Length || i >= found.Length || expected[i] != found[i], -1);
            if (line < 0) continue;
            string Quote(string[] lines) => line < lines.Length ? $"`{lines[line]}`" : "the end of the file";
            differences.Add(new(script, $"differs from {Path.GetFileName(notebook)} at line {line + 1}: the notebook gives {Quote(expected)}, the script has {Quote(found)}; " +
                $"edit the notebook, not the script, and run `{SyncCommand}`"));
        }
        foreach (var script in Directory.GetFiles(folder, "*.cs").Order(StringComparer.Ordinal))
            if (!File.Exists(Path.ChangeExtension(script, ".ipynb")))
                differences.Add(new(script, $"has no notebook {Path.GetFileName(Path.ChangeExtension(script, ".ipynb"))} to be generated from: delete it, or add the notebook"));
        return differences;
    }

    static IEnumerable<string> Notebooks(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"notebook folder '{folder}' does not exist");
        return Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal);
    }

    /// <summary>The cells of a .ipynb notebook, in order; a cell in a language other than C# is refused.</summary>
    public static List<NotebookCell> ReadNotebook(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var cells = new List<NotebookCell>();
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            string type = cell.GetProperty("cell_type").GetString() ?? "";
            var source = cell.GetProperty("source");
            string text = source.ValueKind == JsonValueKind.Array ? string.Concat(source.EnumerateArray().Select(s => s.GetString())) : source.GetString() ?? "";
            if (type == "markdown") { cells.Add(new NotebookCell(false, text)); continue; }
            if (type != "code") continue; // raw cells hold nothing to run or read
            string language = cell.TryGetProperty("metadata", out var m) && m.TryGetProperty("polyglot_notebook", out var p) && p.TryGetProperty("kernelName", out var k)
                ? k.GetString() ?? "csharp" : "csharp";
            if (language != "csharp")
                throw new InvalidDataException($"{Path.GetFileName(path)} cell {cells.Count + 1} is in '{language}': a file-based app runs C# cells only");
            cells.Add(new NotebookCell(true, text));
        }
        return cells;
    }

    // A code cell as the app runs it: the setup import becomes the app's directives, anything else must already be plain C#.
    static NotebookCell Translate(NotebookCell cell, string folder, string where)
    {
        if (SetupImport().Match(cell.Source.Trim()) is { Success: true } import)
            return cell with { Source = AppSetup.FromDib(Path.Combine(folder, import.Groups["file"].Value)).Source };
        foreach (var line in cell.Source.Split('\n'))
            if (line.TrimStart().StartsWith("#!", StringComparison.Ordinal) || line.TrimStart().StartsWith("#r ", StringComparison.Ordinal))
                throw new InvalidDataException($"{where}: '{line.Trim()}' is a notebook-kernel command that a file-based app cannot run: move it into setup.dib");
        if (KernelDisplay().IsMatch(cell.Source))
            throw new InvalidDataException($"{where} calls the kernel's display(...), which a file-based app lacks: use Workbook.Show(...) (and Workbook.Progress(...) for a line that updates)");
        if (EndsInExpression(cell.Source))
            throw new InvalidDataException($"{where} ends in a bare expression, which only a notebook kernel displays: end it with Workbook.Show(...);");
        return cell;
    }

    /// <summary>
    /// True when the cell ends in an expression whose value a notebook kernel displays: the last line that is not
    /// blank or a comment does not end a statement or block (;, {, }) and is not a magic command (#!).
    /// </summary>
    public static bool EndsInExpression(string source)
    {
        var last = source.Split('\n').Select(l => TrailingComment().Replace(l, "")).LastOrDefault(l => l.Length > 0);
        return last is not null && !last.StartsWith("#!", StringComparison.Ordinal) && !last.EndsWith(';') && !last.EndsWith('{') && !last.EndsWith('}');
    }

    [GeneratedRegex(@"^#!import\s+(?<file>\S+\.dib)$")]
    private static partial Regex SetupImport();

    [GeneratedRegex(@"(?<![\w.])display\(")]
    private static partial Regex KernelDisplay();

    [GeneratedRegex(@"^\s+|\s*//[^""]*$|\s+$")]
    private static partial Regex TrailingComment();
}
