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
/// The apps run two at a time (<see cref="SmokeApps"/>), each test reading its own app's run.
/// </summary>
[Outer(OuterReason.Process)]
[Outer(OuterReason.Slow)]
public class FileBasedAppTests(ITestOutputHelper log, FileBasedAppTests.SmokeApps apps) : IClassFixture<FileBasedAppTests.SmokeApps>
{
    public static TheoryData<string> Notebooks() => NotebookTests.Notebooks();

    public sealed record Run(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

    /// <summary>One app's smoke run as the test below starts it: its arguments, its page folder and how it went.</summary>
    public sealed record SmokeRun(List<string> Args, string Page, Run Run);

    /// <summary>
    /// Every notebook's app at the smoke scale, started when the class starts, two at a time: apps that open the same
    /// study (both regenerate it into runs/&lt;preset&gt;) never run at once, so the second finds it trained and reported.
    /// </summary>
    public sealed class SmokeApps : IDisposable
    {
        readonly TempFolder temp = TestSupport.Temp();
        readonly TwoAtATime<SmokeRun> runs;

        public SmokeApps() => runs = new(NotebookTests.NotebookNames().Select(notebook =>
            new TwoAtATime<SmokeRun>.Job(notebook, StudiesOpenedBy(notebook), () => RunAtSmokeScale(notebook))));

        public SmokeRun this[string notebook] => runs[notebook];

        SmokeRun RunAtSmokeScale(string notebook)
        {
            string script = Path.ChangeExtension(notebook, ".cs");
            var parameters = NotebookParameter.FoundIn(File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "notebooks", script))).Select(p => p.Option).ToHashSet();
            string page = temp[Path.GetFileNameWithoutExtension(notebook) + "/page"];
            var args = new List<string> { "--scale", "smoke", "--out", page };
            if (parameters.Contains("--regenerate")) args.Add("--regenerate");
            if (parameters.Contains("--seeds")) args.AddRange(["--seeds", "1"]);
            return new SmokeRun(args, page, DotnetRun(script, args, TimeSpan.FromMinutes(10), oneCore: true));
        }

        /// <summary>The studies an app opens (<c>Workbook.Open("budget", …)</c>), read from its source.</summary>
        static HashSet<string> StudiesOpenedBy(string notebook) =>
            Regex.Matches(File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "notebooks", Path.ChangeExtension(notebook, ".cs"))), @"Workbook\.Open\(""(?<study>[\w-]+)""")
                .Select(m => m.Groups["study"].Value).ToHashSet();

        public void Dispose()
        {
            runs.Dispose();
            temp.Dispose();
        }
    }

    /// <summary>
    /// The notebook whose app also draws its figures as PNGs in chromium. Drawing is the same code for every page and
    /// costs seconds per figure, so the other apps run with WARMSTART_STATIC_FIGURES=false.
    /// </summary>
    const string DrawsPngs = "03-growth-factor.cs";

    static Run DotnetRun(string script, IEnumerable<string> args, TimeSpan timeout, bool fresh = true, bool oneCore = false)
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
        // Two apps at once, one core each: torch's threads spin while they wait, so two processes that each size
        // their pools for both cores run far slower than one at a time.
        if (oneCore) environment[TwoAtATime.OneCore.Key] = TwoAtATime.OneCore.Value;
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
        string script = Path.ChangeExtension(notebook, ".cs");
        var (args, page, run) = apps[notebook];
        log.WriteLine($"dotnet run notebooks/{script} -- {string.Join(" ", args)}: {run.Elapsed.TotalSeconds:F0} s, exit {run.ExitCode}");
        Assert.True(run.ExitCode == 0, $"{script} exited with {run.ExitCode}:\n{run.Stderr}\n{run.Stdout[^Math.Min(3000, run.Stdout.Length)..]}");
        Assert.Matches(@"page: .*index\.html \(and index\.md; \d+ tables, \d+ figures, \d+ as PNG\)\s*$", run.Stdout);
        string Page(string file) => Path.Combine(page, file);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Page("index.json")));
        var outputs = manifest.RootElement.GetProperty("outputs").EnumerateArray()
            .Select(o => (Cell: o.GetProperty("cell").GetInt32(), Kind: o.GetProperty("kind").GetString()!, Png: o.GetProperty("png").GetString(),
                Label: o.GetProperty("caption").GetString() ?? o.GetProperty("title").GetString())).ToList();
        var missing = SavedKinds(notebook).SelectMany(cell => cell.Value.Where(kind => !outputs.Contains((cell.Key, kind, null, null), Comparer))
            .Select(kind => $"cell {cell.Key}: the notebook shows a {kind}, the page has none")).ToList();
        Assert.True(missing.Count == 0, $"{script}'s page lacks what the notebook shows:\n{string.Join("\n", missing)}");

        // Every figure is on the page and beside it (interactive, and a PNG where chromium is installed); every table is printed.
        string html = File.ReadAllText(Page("index.html")), markdown = File.ReadAllText(Page("index.md"));
        var figures = outputs.Where(o => o.Kind == "figure").ToList();
        Assert.Equal(figures.Count, Regex.Matches(html, "<figure class=\"output figure\"").Count);
        for (int i = 1; i <= figures.Count; i++) Assert.True(File.Exists(Page($"figure-{i:00}.html")), $"figure-{i:00}.html missing");
        Assert.All(figures, f => Assert.Equal(StaticFigures.Enabled && script == DrawsPngs, f.Png is not null && File.Exists(Page(f.Png))));
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
        _ = apps["03-growth-factor.ipynb"]; // its smoke run builds the app (--no-cache): these runs reuse that build
        var scale = DotnetRun("03-growth-factor.cs", ["--scale", "huge", "--regenerate"], TimeSpan.FromMinutes(5), fresh: false);
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
