namespace Warmstart.Tests.Notebooks;

/// <summary>
/// Every notebook, top to bottom, headless, training its study at the smoke scale (Regenerate on): no cell may fail,
/// and every cell marked "// figure" must have displayed a Plotly chart. Failures name the cell.
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

    static readonly Dictionary<string, string> Smoke = new()
    {
        ["WARMSTART_REGENERATE"] = "true",
        ["WARMSTART_SCALE"] = "smoke",
        ["WARMSTART_SEEDS"] = "1",
    };

    [Theory, MemberData(nameof(Notebooks))]
    public void RunsHeadlessAtTheSmokeScale(string notebook)
    {
        var result = NotebookRunner.Run(notebook, Smoke, TimeSpan.FromMinutes(6));
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
        var parameters = result.Cells.First(c => c.Errors.Count > 0);
        Assert.Contains("WARMSTART_SCALE", parameters.Source);                       // the parameters cell
        var error = string.Join("\n", parameters.Errors);
        Assert.Contains("unknown scale 'huge': allowed are smoke, quick, paper", error);
        Assert.DoesNotContain("   at ", error);                                        // no stack trace wall
    }

    static string FirstLine(string source) => source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("//")) ?? "";
}
