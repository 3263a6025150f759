namespace Warmstart.Tests.Notebooks;

/// <summary>
/// Every notebook, top to bottom, headless in a .NET Interactive kernel, as a reader opens it: on the committed results
/// (Regenerate off, the quick scale), the way the refresh script saves it. No cell may fail, and every cell marked
/// "// figure" must have displayed a Plotly chart. Failures name the cell. Training the studies at the smoke scale from
/// the same cells is the file-based apps' test (FileBasedAppTests), so the kernel is not asked to train as well.
/// The kernels run two at a time (<see cref="KernelRuns"/>), each test reading its own notebook's run.
/// </summary>
[Outer(OuterReason.Process)]
[Outer(OuterReason.Slow)]
public class NotebookTests(NotebookTests.KernelRuns kernels) : IClassFixture<NotebookTests.KernelRuns>
{
    /// <summary>Every notebook's kernel run on the committed results, started when the class starts, two at a time.</summary>
    public sealed class KernelRuns : IDisposable
    {
        readonly TwoAtATime<NotebookRunner.Result> runs =
            new(NotebookNames().Select(n => new TwoAtATime<NotebookRunner.Result>.Job(n, new HashSet<string>(), () => OnCommittedResults(n))));

        public NotebookRunner.Result this[string notebook] => runs[notebook];

        public void Dispose() => runs.Dispose();
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<NotebookRunner.Result>> Finished = new();

    /// <summary>
    /// A notebook's run in a kernel on the committed results, once per test process: the tests that need the same run
    /// (the tour beside a system PyTorch, <see cref="Runtime.SystemLibTorchTests"/>) share it.
    /// </summary>
    public static NotebookRunner.Result OnCommittedResults(string notebook) => Finished.GetOrAdd(notebook, n => new(() =>
    {
        // The tour has no committed results (it always trains), so it takes its few-second scale.
        var environment = new Dictionary<string, string>(Committed) { [TwoAtATime.OneCore.Key] = TwoAtATime.OneCore.Value! };
        if (n.StartsWith("00-")) environment["WARMSTART_SCALE"] = "smoke";
        return NotebookRunner.Run(n, environment, TimeSpan.FromMinutes(6));
    })).Value;

    /// <summary>Every notebook in notebooks/, by name (NN-name.ipynb), in order.</summary>
    public static List<string> NotebookNames() =>
        Directory.GetFiles(Path.Combine(NotebookRunner.RepoRoot, "notebooks"), "*.ipynb").Select(f => Path.GetFileName(f)!).Order().ToList();

    public static TheoryData<string> Notebooks() => new(NotebookNames());

    static readonly Dictionary<string, string> Committed = new()
    {
        ["WARMSTART_REGENERATE"] = "false",
        ["WARMSTART_SCALE"] = "quick",
        ["WARMSTART_FIGURES"] = "interactive",
    };

    [Theory, MemberData(nameof(Notebooks))]
    public void RunsHeadlessOnTheCommittedResults(string notebook)
    {
        var result = kernels[notebook];
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
