using System.Text.Json;
using System.Text.RegularExpressions;
using Warmstart.Notebooks;

namespace Warmstart.Tests.Notebooks;

/// <summary>
/// The committed notebooks as a reader opens them (GitHub, VS Code), without executing anything: saved with their
/// outputs (notebooks/refresh-outputs.sh), no error outputs, no machine paths, every chart once as a static PNG,
/// and within the size budget. Fails naming the notebook and cell; the fix is to run the refresh script.
/// </summary>
public class SavedNotebookTests
{
    /// <summary>
    /// Per-notebook size budget. A saved chart costs ~50–200 KB of PNG; the largest notebook has 4 charts and 4 tables
    /// (well under 1 MB). 1.5 MB leaves room for a few more figures, while a notebook that grows past it (a script
    /// pager, an inlined plotly.js of 3.6 MB, a retina-scale PNG, thousands of progress lines) is caught before every
    /// refresh adds it to the history.
    /// </summary>
    public const long SizeBudgetBytes = 1_500_000;

    static readonly string[] MachinePaths = ["/root/", "/home/", "/tmp/", "/work/", "/Users/", "/var/folders/", ".nuget/packages", @"C:\Users", @"\AppData\"];

    public static TheoryData<string> Notebooks() => NotebookTests.Notebooks();

    sealed record Output(string Type, Dictionary<string, string> Data, string? Error);
    sealed record Cell(int Index, string Source, List<Output> Outputs);

    static List<Cell> CodeCells(string notebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "notebooks", notebook)));
        var cells = new List<Cell>();
        int index = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            var outputs = new List<Output>();
            if (cell.TryGetProperty("outputs", out var outs))
                foreach (var o in outs.EnumerateArray())
                {
                    string type = o.GetProperty("output_type").GetString() ?? "";
                    var data = new Dictionary<string, string>();
                    if (o.TryGetProperty("data", out var d))
                        foreach (var item in d.EnumerateObject()) data[item.Name] = Joined(item.Value);
                    if (o.TryGetProperty("text", out var text)) data["stream/" + (o.TryGetProperty("name", out var n) ? n.GetString() : "text")] = Joined(text);
                    string? error = type == "error" ? $"{o.GetProperty("ename").GetString()}: {o.GetProperty("evalue").GetString()}" : null;
                    outputs.Add(new Output(type, data, error));
                }
            cells.Add(new Cell(index, Joined(cell.GetProperty("source")), outputs));
        }
        return cells;
    }

    static string Joined(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => string.Concat(e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.ToString())),
        JsonValueKind.String => e.GetString() ?? "",
        _ => e.ToString(),
    };

    static bool IsFigure(Cell c) => c.Source.TrimStart().StartsWith("// figure", StringComparison.Ordinal);

    /// <summary>True when the cell shows something: it calls Workbook.Show, Markdown or Progress, or ends in an expression the kernel displays.</summary>
    static bool Shows(Cell c) => NotebookScripts.EndsInExpression(c.Source) || Regex.IsMatch(c.Source, @"\bWorkbook\.(Show|Markdown|Progress)\(");

    static string Name(string notebook, Cell c) =>
        $"{notebook} cell {c.Index} ({c.Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("//")) ?? ""})";

    [Theory, MemberData(nameof(Notebooks))]
    public void IsSavedWithItsOutputs(string notebook)
    {
        var cells = CodeCells(notebook);
        var missing = cells.Where(c => (IsFigure(c) || Shows(c)) && c.Outputs.Count == 0).Select(c => Name(notebook, c)).ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} cell(s) that display something were saved without outputs (run notebooks/refresh-outputs.sh {notebook}):\n" + string.Join("\n", missing));
    }

    /// <summary>
    /// A saved chart is one PNG and nothing else: GitHub cannot run the interactive chart's script, and VS Code would
    /// show a chart saved both ways twice. Re-running the cell shows it interactive.
    /// </summary>
    [Theory, MemberData(nameof(Notebooks))]
    public void FiguresAreSavedOnceAsPng(string notebook)
    {
        foreach (var cell in CodeCells(notebook).Where(IsFigure).Where(c => c.Outputs.Count > 0))
        {
            Assert.True(cell.Outputs.Count(o => o.Data.TryGetValue("image/png", out var png) && png.Length > 1000) == 1,
                $"{Name(notebook, cell)}: not exactly one static PNG saved (refresh with chromium installed)");
            Assert.False(cell.Outputs.Any(o => o.Data.TryGetValue("text/html", out var html) && html.Contains("Plotly", StringComparison.OrdinalIgnoreCase)),
                $"{Name(notebook, cell)}: the interactive chart is saved beside its PNG, so VS Code shows the figure twice (refresh with WARMSTART_FIGURES=static)");
        }
    }

    /// <summary>nbformat 4.5 requires every cell to carry a unique id; code cells carry the count of a top-to-bottom run.</summary>
    [Theory, MemberData(nameof(Notebooks))]
    public void IsValidNbformatWithCellIdsAndExecutionCounts(string notebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "notebooks", notebook)));
        Assert.Equal(4, doc.RootElement.GetProperty("nbformat").GetInt32());
        Assert.Equal(5, doc.RootElement.GetProperty("nbformat_minor").GetInt32());
        var ids = new HashSet<string>();
        int count = 0, index = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            Assert.True(cell.TryGetProperty("id", out var id) && Regex.IsMatch(id.GetString() ?? "", "^[A-Za-z0-9_-]{1,64}$"),
                $"{notebook} cell {index}: no valid id (run notebooks/refresh-outputs.sh {notebook})");
            Assert.True(ids.Add(id.GetString()!), $"{notebook} cell {index}: id '{id.GetString()}' is used twice");
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            count++;
            Assert.True(cell.TryGetProperty("execution_count", out var n) && n.ValueKind == JsonValueKind.Number && n.GetInt32() == count,
                $"{notebook} cell {index}: execution_count should be {count}, the code cell's place in a top-to-bottom run");
        }
    }

    [Theory, MemberData(nameof(Notebooks))]
    public void HasNoErrorOutputs(string notebook)
    {
        var errors = CodeCells(notebook).SelectMany(c => c.Outputs.Where(o => o.Error is not null || o.Data.ContainsKey("stream/stderr"))
            .Select(o => $"{Name(notebook, c)}: {o.Error ?? o.Data["stream/stderr"]}")).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory, MemberData(nameof(Notebooks))]
    public void HasNoMachinePaths(string notebook)
    {
        var found = new List<string>();
        foreach (var cell in CodeCells(notebook))
        foreach (var output in cell.Outputs)
        foreach (var (mime, text) in output.Data.Where(d => !d.Key.StartsWith("image/", StringComparison.Ordinal))) // base64 can spell anything
        foreach (var path in MachinePaths)
        {
            int at = text.IndexOf(path, StringComparison.OrdinalIgnoreCase);
            if (at >= 0) found.Add($"{Name(notebook, cell)} {mime}: …{text.Substring(Math.Max(0, at - 30), Math.Min(90, text.Length - Math.Max(0, at - 30)))}…");
        }
        Assert.True(found.Count == 0, $"machine paths in saved outputs (refresh-outputs.sh strips them):\n{string.Join("\n", found)}");
    }

    /// <summary>
    /// A measured number in a notebook's prose goes stale the day its results are regenerated, so the readings (the
    /// markdown after the first code cell) may state what the computed cells show but may not type their values: no
    /// number with two or more decimals and no "±". Settings (λ = 0.4, g ≈ 2.2, 1e-2) and the paper's own numbers in
    /// the introduction are allowed.
    /// </summary>
    [Theory, MemberData(nameof(Notebooks))]
    public void ReadingsTypeNoMeasuredNumbers(string notebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "notebooks", notebook)));
        var measured = new Regex(@"(?<![\w.])\d+\.\d{2,}(?!\w)|±");
        var found = new List<string>();
        bool afterCode = false;
        int index = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() == "code") { afterCode = true; continue; }
            if (!afterCode) continue;
            var text = Joined(cell.GetProperty("source"));
            found.AddRange(measured.Matches(text).Select(m => $"{notebook} cell {index}: …{text.Substring(Math.Max(0, m.Index - 40), Math.Min(60, text.Length - Math.Max(0, m.Index - 40)))}…"));
        }
        Assert.True(found.Count == 0, "typed measurements in a reading (show them from a computed cell instead):\n" + string.Join("\n", found));
    }

    [Theory, MemberData(nameof(Notebooks))]
    public void StaysWithinTheSizeBudget(string notebook)
    {
        long size = new FileInfo(Path.Combine(NotebookRunner.RepoRoot, "notebooks", notebook)).Length;
        Assert.True(size <= SizeBudgetBytes, $"{notebook} is {size / 1e6:0.00} MB, over the {SizeBudgetBytes / 1e6:0.0} MB budget per notebook");
    }
}
