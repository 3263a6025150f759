using System.Text.Json;
using Warmstart.Analysis;
using Warmstart.Notebooks;
using Warmstart.Tests.Reporting;

namespace Warmstart.Tests.Notebooks;

/// <summary>
/// A notebook as a file-based app, without starting one: its command line (parameters found in its source, bad
/// options refused in one line) and the page it writes.
/// </summary>
public class NotebookAppTests
{
    const string Parameters = """
        var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false);
        var Scale = Workbook.Text("WARMSTART_SCALE", "quick");
        var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);
        var TargetN = Workbook.Number("WARMSTART_TARGET_N", 5e4);
        var again = Workbook.Text("WARMSTART_SCALE", "paper");
        """;

    static AppArguments Parse(params string[] args) => AppArguments.Parse(args, "03-growth-factor", NotebookParameter.FoundIn(Parameters));

    [Fact]
    public void ParametersAreFoundInTheSourceWithTheirOptions()
    {
        var found = NotebookParameter.FoundIn(Parameters);
        Assert.Equal(["--regenerate", "--scale", "--seeds", "--target-n"], found.Select(p => p.Option));
        Assert.Equal([ParameterKind.Switch, ParameterKind.Text, ParameterKind.Number, ParameterKind.Number], found.Select(p => p.Kind));
        Assert.Equal("usage: dotnet run notebooks/03-growth-factor.cs -- [--regenerate] [--scale <text>] [--seeds <number>] [--target-n <number>] [--out <folder>] [--help]",
            AppArguments.UsageLine("03-growth-factor", found));
    }

    [Fact]
    public void OptionsSetTheVariablesTheNotebookReads()
    {
        var args = Parse("--scale", "smoke", "--regenerate", "--seeds=3", "--target-n", "1e5", "--out", "/tmp/page");
        Assert.Equal("smoke", args.Values["WARMSTART_SCALE"]);
        Assert.Equal("true", args.Values["WARMSTART_REGENERATE"]);
        Assert.Equal("3", args.Values["WARMSTART_SEEDS"]);
        Assert.Equal("1e5", args.Values["WARMSTART_TARGET_N"]);
        Assert.Equal("--target-n", args.Options["WARMSTART_TARGET_N"]);
        Assert.Equal("/tmp/page", args.OutputFolder);
        Assert.False(args.Help);
        Assert.Equal("false", Parse("--regenerate=false").Values["WARMSTART_REGENERATE"]);
        Assert.Equal("no", Parse("--regenerate", "no", "--scale", "smoke").Values["WARMSTART_REGENERATE"]);
        Assert.Equal("true", Parse("--regenerate", "--scale", "smoke").Values["WARMSTART_REGENERATE"]);
        Assert.True(Parse("--help").Help);
        Assert.Empty(Parse().Values);
    }

    [Theory]
    [InlineData(new[] { "--sclae", "smoke" }, "unknown option '--sclae': 03-growth-factor takes --regenerate, --scale <text>, --seeds <number>, --target-n <number> (and --out <folder>)")]
    [InlineData(new[] { "smoke" }, "unexpected argument 'smoke': options start with --; 03-growth-factor takes --regenerate")]
    [InlineData(new[] { "--scale" }, "--scale needs a value: --scale <text>")]
    [InlineData(new[] { "--seeds", "--regenerate" }, "--seeds needs a value: --seeds <number>")]
    [InlineData(new[] { "--scale", "smoke", "--scale", "quick" }, "--scale is given twice: give it once")]
    [InlineData(new[] { "--out" }, "--out needs a value: --out <folder>")]
    public void BadArgumentsAreOneLineNamingThem(string[] args, string message)
    {
        var error = Assert.Throws<WorkbookException>(() => Parse(args));
        Assert.StartsWith(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ANotebookWithoutParametersTakesOnlyAFolder() =>
        Assert.Equal("unknown option '--scale': 09-x takes no parameters, only --out <folder>",
            Assert.Throws<WorkbookException>(() => AppArguments.Parse(["--scale", "smoke"], "09-x", [])).Message);

    [Fact]
    public void ThePageHoldsTheProseAndWhatEachCellShowedInOrder()
    {
        // No browser in the unit tier: the file-based app tests draw a notebook's PNGs into its page.
        using var noPng = TestSupport.Environment("WARMSTART_STATIC_FIGURES", "false");
        using var temp = TestSupport.Temp();
        string source = PercentScript.Write(
        [
            new(false, "# 99 · A page\n\n**Question.** Does it hold? See [the figure](../data/x.png) and [a site](https://example.org/a)."),
            new(true, "Workbook.StartApp(args);"),
            new(true, "Workbook.Show(\"text\");\nWorkbook.Show(frame);"),
            new(false, "## What the data show\n\nThe closing reading."),
            new(true, "// figure\nWorkbook.Show(chart);\nWorkbook.Markdown(\"**computed** reading\");"),
        ], ["// header"]);
        File.WriteAllText(temp["99-page.cs"], source);
        var console = new StringWriter();
        var app = NotebookApp.Start(temp["99-page.cs"], ["--out", temp["page"]], console)!;
        int Line(string code) => source.Split('\n').ToList().FindIndex(l => l.StartsWith(code, StringComparison.Ordinal)) + 1;

        app.Show("text", Line("Workbook.Show(\"text\")"));
        app.Show(TextTableTests.Frame(2), Line("Workbook.Show(frame)"));
        var progress = app.Updatable("…", Line("Workbook.Show(\"text\")"));
        progress("run 1/2");
        progress("2 runs");
        var fits = CommittedFits.Load(CommittedFits.Find(Workbook.CachedResults("mlp-quick"))!);
        app.Show(Warmstart.Reporting.Figures.FitTable(fits), Line("Workbook.Show(chart)"));
        app.Markdown("**computed** reading", Line("Workbook.Markdown"));
        app.Finish();

        string html = File.ReadAllText(temp["page/index.html"]);
        Assert.True(html.IndexOf("<h1", StringComparison.Ordinal) < html.IndexOf("<pre class=\"output text\">text</pre>", StringComparison.Ordinal));
        Assert.True(html.IndexOf("2 rows × 2 columns", StringComparison.Ordinal) < html.IndexOf("The closing reading.", StringComparison.Ordinal));
        Assert.True(html.IndexOf("The closing reading.", StringComparison.Ordinal) < html.IndexOf("<figure class=\"output figure\"", StringComparison.Ordinal));
        Assert.Contains("<pre class=\"output text\">2 runs</pre>", html);     // the progress line's last text
        Assert.DoesNotContain("run 1/2", html);
        Assert.Contains("<strong>computed</strong> reading", html);           // Markdown rendered
        Assert.Contains("href=\"../../data/x.png\"", html);                 // a link relative to the notebook, from the page
        Assert.Contains("href=\"https://example.org/a\"", html);
        Assert.Contains("Plotly.newPlot('plot-1'", html);
        string title = app.Page.Items.OfType<NotebookPage.FigureItem>().Single().Title;
        Assert.DoesNotContain("<", title);                                   // the first line of the chart's title, as text
        Assert.Contains($"Figure 1: {title}", html);
        Assert.DoesNotContain("<script src=", html);                         // self-contained: plotly.js is inline

        string markdown = File.ReadAllText(temp["page/index.md"]);
        Assert.Contains("# 99 · A page", markdown);
        Assert.Contains("[the figure](../../data/x.png)", markdown);
        Assert.Contains("```text\ntext\n```", markdown);
        Assert.Contains("| method | ΔL |", markdown);
        Assert.Contains("**computed** reading", markdown);
        Assert.Contains($"*Figure 1: {title}*", markdown);

        using var manifest = JsonDocument.Parse(File.ReadAllText(temp["page/index.json"]));
        var outputs = manifest.RootElement.GetProperty("outputs").EnumerateArray().Select(o => (o.GetProperty("cell").GetInt32(), o.GetProperty("kind").GetString())).ToList();
        Assert.Equal([(3, "text"), (3, "table"), (3, "text"), (5, "figure"), (5, "markdown")], outputs);
        Assert.True(File.Exists(temp["page/figure-01.html"]));
        Assert.False(File.Exists(temp["page/figure-01.png"]));

        string printed = console.ToString();
        Assert.Contains("method            ΔL", printed);                       // the table as text
        Assert.Contains("run 1/2", printed);                                   // every progress update
        Assert.Contains($"[figure 1] {title} → figure-01", printed);
        Assert.EndsWith("(and index.md; 1 tables, 1 figures, 0 as PNG)\n", printed.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void HelpPrintsTheOptionsAndOpensNoPage()
    {
        using var temp = TestSupport.Temp();
        File.WriteAllText(temp["03-x.cs"], "// %%\n" + Parameters);
        var console = new StringWriter();
        Assert.Null(NotebookApp.Start(temp["03-x.cs"], ["--help"], console, temp["page"]));
        Assert.StartsWith("usage: dotnet run notebooks/03-x.cs -- [--regenerate] [--scale <text>]", console.ToString());
        Assert.False(Directory.Exists(temp["page"]));
    }
}
