namespace Warmstart.Tests.Notebooks;

/// <summary>
/// Every notebook, top to bottom, headless in a .NET Interactive kernel, as a reader opens it: on the committed results
/// (Regenerate off, the quick scale), the way the refresh script saves it. No cell may fail, and every cell marked
/// "// figure" must have displayed a Plotly chart. Failures name the cell. Training the studies at the smoke scale from
/// the same cells is the file-based apps' test (FileBasedAppTests), so the kernel is not asked to train as well.
/// </summary>
[Outer(OuterReason.Process)]
[Outer(OuterReason.Slow)]
public class NotebookTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var nb in Directory.GetFiles(Path.Combine(NotebookRunner.RepoRoot, "notebooks"), "*.ipynb").Select(Path.GetFileName).Order())
            data.Add(nb!);
        return data;
    }

    static readonly Dictionary<string, string> Committed = new()
    {
        ["WARMSTART_REGENERATE"] = "false",
        ["WARMSTART_SCALE"] = "quick",
        ["WARMSTART_FIGURES"] = "interactive",
    };

    [Theory, MemberData(nameof(Notebooks))]
    public void RunsHeadlessOnTheCommittedResults(string notebook)
    {
        // The tour has no committed results (it always trains), so it takes its few-second scale.
        var environment = notebook.StartsWith("00-") ? new Dictionary<string, string>(Committed) { ["WARMSTART_SCALE"] = "smoke" } : Committed;
        var result = NotebookRunner.Run(notebook, environment, TimeSpan.FromMinutes(6));
        Assert.NotEmpty(result.Cells);
        var failed = result.Cells.Where(c => c.Errors.Count > 0).ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed.Select(c =>
            $"{notebook}: cell {c.Index} failed ({FirstLine(c.Source)}): {string.Join("; ", c.Errors)}")));
        Assert.True(result.ExitCode == 0, $"{notebook}: dotnet-repl exited with {result.ExitCode}\n{result.Log[^Math.Min(2000, result.Log.Length)..]}");
        foreach (var cell in result.Cells.Where(c => c.Source.TrimStart().StartsWith("// figure")))
            Assert.True(cell.Outputs.Any(o => o.StartsWith("text/html") && o.Contains("Plotly", StringComparison.OrdinalIgnoreCase)),
                $"{notebook}: figure cell {cell.Index} ({FirstLine(cell.Source)}) displayed no chart");
    }

    [Fact]
    public void BadParametersGiveAReadableErrorInTheCell()
    {
        var result = NotebookRunner.Run("03-growth-factor.ipynb",
            new Dictionary<string, string> { ["WARMSTART_REGENERATE"] = "true", ["WARMSTART_SCALE"] = "huge" }, TimeSpan.FromMinutes(4));
        var failing = result.Cells.First(c => c.Errors.Count > 0);
        Assert.Contains("Workbook.Open(", failing.Source);  // the first cell that uses the parameters checks them before loading anything
        var error = string.Join("\n", failing.Errors);
        Assert.Contains("unknown scale 'huge': allowed are smoke, quick, paper", error);
        Assert.DoesNotContain("   at ", error);                                        // no stack trace wall
    }

    static string FirstLine(string source) => source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("//")) ?? "";
}
