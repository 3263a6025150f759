using System.Text.Json;
using System.Text.RegularExpressions;
using Warmstart.Notebooks;
using Xunit.Abstractions;

namespace Warmstart.Tests.Notebooks;

/// <summary>
/// Every notebook as a file-based app, the way a user runs it once the notebook kernels are gone:
/// <c>dotnet run notebooks/NN-name.cs -- --scale smoke --regenerate</c> (with the options the notebook reads). It must
/// finish, print its tables, and write a page that holds, cell by cell, every table, figure and computed reading that
/// the saved notebook shows, and the notebook's closing prose. Each run builds its app (--no-cache), 5–10 s of its time here.
/// </summary>
[Outer(OuterReason.Process)]
[Outer(OuterReason.Slow)]
public class FileBasedAppTests(ITestOutputHelper log)
{
    public static TheoryData<string> Notebooks() => NotebookTests.Notebooks();

    sealed record Run(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

    /// <summary>
    /// The notebook whose app also draws its figures as PNGs in chromium. Drawing is the same code for every page and
    /// costs seconds per figure, so the other apps run with WARMSTART_STATIC_FIGURES=false.
    /// </summary>
    const string DrawsPngs = "03-growth-factor.cs";

    static Run DotnetRun(string script, IEnumerable<string> args, TimeSpan timeout, bool fresh = true)
    {
        // --no-cache: dotnet run reuses an app's cached build without looking at its #:project, so a test could run an old
        // library; a second run of an app this test class has just built may reuse it (fresh: false).
        string[] command = [.. fresh ? new[] { "run", "--no-cache" } : ["run"], Path.Combine("notebooks", script), "--", .. args];
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(v => v.StartsWith("WARMSTART_", StringComparison.Ordinal) && v != "WARMSTART_CHROMIUM")
            .ToDictionary(v => v, _ => (string?)null); // the command line alone sets the parameters
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        if (script != DrawsPngs) environment["WARMSTART_STATIC_FIGURES"] = "false";
        var run = TestProcess.Run("dotnet", command, timeout, NotebookRunner.RepoRoot, environment);
        return new Run(run.ExitCode, run.Stdout, run.Stderr, run.Elapsed);
    }

    /// <summary>What each cell of the saved notebook shows, by the page's kinds: table, figure, markdown (a computed reading).</summary>
    static Dictionary<int, HashSet<string>> SavedKinds(string notebook)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "notebooks", notebook)));
        var kinds = new Dictionary<int, HashSet<string>>();
        int index = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            string source = string.Concat(cell.GetProperty("source").EnumerateArray().Select(s => s.GetString()));
            if (cell.GetProperty("cell_type").GetString() != "code" || source.TrimStart().StartsWith("#!", StringComparison.Ordinal)) continue;
            var set = kinds[index] = [];
            foreach (var output in cell.GetProperty("outputs").EnumerateArray())
            {
                if (!output.TryGetProperty("data", out var data)) continue;
                string html = data.TryGetProperty("text/html", out var h) ? string.Concat(h.EnumerateArray().Select(s => s.GetString())) : "";
                if (html.Contains("<table", StringComparison.Ordinal)) set.Add("table");
                if (html.Contains("Plotly", StringComparison.OrdinalIgnoreCase) || data.TryGetProperty("image/png", out _)) set.Add("figure");
                if (data.TryGetProperty("text/markdown", out _)) set.Add("markdown");
            }
            // A figure's caption is saved as markdown under it; the page prints it inside the figure.
            if (set.Contains("figure")) set.Remove("markdown");
        }
        return kinds;
    }

    [Theory, MemberData(nameof(Notebooks))]
    public void RunsAtTheSmokeScaleAndWritesAPageWithEverythingTheNotebookShows(string notebook)
    {
        string script = Path.ChangeExtension(notebook, ".cs"), name = Path.GetFileNameWithoutExtension(notebook);
        var parameters = NotebookParameter.FoundIn(File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "notebooks", script))).Select(p => p.Option).ToHashSet();
        using var temp = TestSupport.Temp();
        var args = new List<string> { "--scale", "smoke", "--out", temp["page"] };
        if (parameters.Contains("--regenerate")) args.Add("--regenerate");
        if (parameters.Contains("--seeds")) args.AddRange(["--seeds", "1"]);

        var run = DotnetRun(script, args, TimeSpan.FromMinutes(10));
        log.WriteLine($"dotnet run notebooks/{script} -- {string.Join(" ", args)}: {run.Elapsed.TotalSeconds:F0} s, exit {run.ExitCode}");
        Assert.True(run.ExitCode == 0, $"{script} exited with {run.ExitCode}:\n{run.Stderr}\n{run.Stdout[^Math.Min(3000, run.Stdout.Length)..]}");
        Assert.Matches(@"page: .*index\.html \(and index\.md; \d+ tables, \d+ figures, \d+ as PNG\)\s*$", run.Stdout);

        using var manifest = JsonDocument.Parse(File.ReadAllText(temp["page/index.json"]));
        var outputs = manifest.RootElement.GetProperty("outputs").EnumerateArray()
            .Select(o => (Cell: o.GetProperty("cell").GetInt32(), Kind: o.GetProperty("kind").GetString()!, Png: o.GetProperty("png").GetString(),
                Label: o.GetProperty("caption").GetString() ?? o.GetProperty("title").GetString())).ToList();
        var missing = SavedKinds(notebook).SelectMany(cell => cell.Value.Where(kind => !outputs.Contains((cell.Key, kind, null, null), Comparer))
            .Select(kind => $"cell {cell.Key}: the notebook shows a {kind}, the page has none")).ToList();
        Assert.True(missing.Count == 0, $"{script}'s page lacks what the notebook shows:\n{string.Join("\n", missing)}");

        // Every figure is on the page and beside it (interactive, and a PNG where chromium is installed); every table is printed.
        string html = File.ReadAllText(temp["page/index.html"]), markdown = File.ReadAllText(temp["page/index.md"]);
        var figures = outputs.Where(o => o.Kind == "figure").ToList();
        Assert.Equal(figures.Count, Regex.Matches(html, "<figure class=\"output figure\"").Count);
        for (int i = 1; i <= figures.Count; i++) Assert.True(File.Exists(temp[$"page/figure-{i:00}.html"]), $"figure-{i:00}.html missing");
        Assert.All(figures, f => Assert.Equal(StaticFigures.Enabled && script == DrawsPngs, f.Png is not null && File.Exists(temp[$"page/{f.Png}"])));
        int tables = outputs.Count(o => o.Kind == "table");
        Assert.Equal(tables, Regex.Matches(html, "<div class=\"output table\">").Count);
        foreach (var table in outputs.Where(o => o.Kind == "table"))
            Assert.True(run.Stdout.Contains(table.Label!, StringComparison.Ordinal), $"{script} did not print the table of cell {table.Cell} ({table.Label})");

        // The notebook's prose, its closing reading included, stands on the page and in its Markdown twin.
        var closing = NotebookScripts.ReadNotebook(Path.Combine(NotebookRunner.RepoRoot, "notebooks", notebook)).Last(c => !c.IsCode).Source.Split('\n')[0].TrimStart('#', ' ');
        Assert.Contains(closing, html);
        Assert.Contains(closing, markdown);
        Assert.Contains($"dotnet run notebooks/{script} -- {string.Join(" ", args)}", html);
    }

    static readonly IEqualityComparer<(int Cell, string Kind, string? Png, string? Label)> Comparer =
        EqualityComparer<(int Cell, string Kind, string? Png, string? Label)>.Create((a, b) => a.Cell == b.Cell && a.Kind == b.Kind, a => HashCode.Combine(a.Cell, a.Kind));

    [Fact]
    public void BadInputEndsTheRunWithOneLine()
    {
        var scale = DotnetRun("03-growth-factor.cs", ["--scale", "huge", "--regenerate"], TimeSpan.FromMinutes(5));
        Assert.Equal(2, scale.ExitCode);
        Assert.Equal("error: unknown scale 'huge': allowed are smoke, quick, paper", scale.Stderr.Trim());
        Assert.DoesNotContain("page", scale.Stdout);

        var option = DotnetRun("03-growth-factor.cs", ["--sclae", "smoke"], TimeSpan.FromMinutes(5), fresh: false);
        Assert.Equal(2, option.ExitCode);
        Assert.Equal("error: unknown option '--sclae': 03-growth-factor takes --regenerate, --scale <text>, --seeds <number> (and --out <folder>)", option.Stderr.Trim());

        var flag = DotnetRun("03-growth-factor.cs", ["--regenerate=maybe"], TimeSpan.FromMinutes(5), fresh: false);
        Assert.Equal(2, flag.ExitCode);
        Assert.Equal("error: --regenerate='maybe' is not a switch: use true or false", flag.Stderr.Trim());
    }
}
