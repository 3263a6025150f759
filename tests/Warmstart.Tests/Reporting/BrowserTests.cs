using Warmstart.Analysis;
using Warmstart.Reporting;
using Xunit.Abstractions;

namespace Warmstart.Tests.Reporting;

/// <summary>
/// The charts in a real browser, since a chart whose plotly JSON is right can still fail to draw: Debian's chromium,
/// driven by PuppeteerSharp at its system path. A report of the committed quick results is written into a temp copy; every chart page must draw (plot
/// SVG present, traces &gt; 0) without console errors, and <c>report</c> must leave a PNG beside each page.
/// Where chromium is not installed (anywhere but CI, which runs build/chromium/install.sh) the tests say
/// "skipped: no chromium" and pass: xunit 2 has no runtime skip.
/// </summary>
[Outer(OuterReason.Browser)]
public class BrowserTests(ITestOutputHelper output)
{
    bool NoChromium()
    {
        if (ChartRenderer.IsAvailable()) return false;
        string message = $"skipped: no chromium (looked for {ChartRenderer.ExecutablePath}; apt-get install chromium or build/chromium/install.sh)";
        output.WriteLine(message);
        Console.WriteLine(message);
        return true;
    }

    static TempFolder CopyOfQuickResults()
    {
        var dir = TestSupport.Temp();
        var source = Path.Combine(NotebookRunner.RepoRoot, "data", "results", "quick");
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            if (Path.GetRelativePath(source, file).StartsWith("charts" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                continue; // what a local report wrote there (ignored by git) is what these tests make afresh
            var target = Path.Combine(dir.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return dir;
    }

    [ChromiumFact]
    public async Task ReportWritesAPngBesideEveryChartAndEveryPageDraws()
    {
        if (NoChromium()) return;
        using var dir = CopyOfQuickResults();
        var written = Report.Write(dir.Path);
        Assert.DoesNotContain(written.Notes, n => n.Contains("chromium") || n.Contains("PNG"));
        var charts = Path.Combine(dir.Path, "charts");
        var pages = Directory.GetFiles(charts, "*.html").Order().ToList();
        Assert.Contains(Path.Combine(charts, "speedup_vs_g.html"), pages);
        Assert.Contains(Path.Combine(charts, "isoflop_szp.html"), pages);
        Assert.False(File.Exists(Path.Combine(charts, "scaling_fits.html")), "no fit exists for the quick results, so no fit table");
        Assert.True(File.Exists(Path.Combine(charts, Figures.PlotlyJsFile)));
        foreach (var page in pages)
        {
            var png = new FileInfo(Path.ChangeExtension(page, ".png"));
            Assert.True(png.Exists, $"{png.Name} missing");
            Assert.True(png.Length > 20_000, $"{png.Name} is only {png.Length} bytes");
            Assert.True(new FileInfo(page).Length < 300_000, $"{Path.GetFileName(page)}: plotly.js should be shared, not embedded");
        }

        await using var renderer = await ChartRenderer.StartAsync();
        foreach (var page in pages)
        {
            var check = await renderer.RenderAsync(page);
            output.WriteLine($"{Path.GetFileName(page)}: svg {check.HasPlotSvg}, traces {check.Traces}, errors {check.ConsoleErrors.Count}");
            Assert.True(check.HasPlotSvg, $"{Path.GetFileName(page)}: no .main-svg");
            Assert.True(check.Traces > 0, $"{Path.GetFileName(page)}: no traces");
            Assert.True(check.ConsoleErrors.Count == 0, $"{Path.GetFileName(page)}: {string.Join(" | ", check.ConsoleErrors)}");
        }
    }

    [ChromiumFact]
    public async Task AStandaloneChartWithPlotlyInlineDrawsFromItsOwnFile()
    {
        if (NoChromium()) return;
        using var dir = TestSupport.Temp();
        var summary = AnalysisFiles.SpeedupSummary.Read(AnalysisFiles.Of(Path.Combine(NotebookRunner.RepoRoot, "data", "results", "quick")));
        var page = dir["speedup.html"];
        Figures.SaveStandalone(Figures.SpeedupVsG(summary), page); // plotly.js embedded: the one file is enough
        Assert.False(File.Exists(dir[Figures.PlotlyJsFile]));
        await using var renderer = await ChartRenderer.StartAsync();
        var check = await renderer.RenderAsync(page, dir["speedup.png"]);
        Assert.True(check.Drew, $"svg {check.HasPlotSvg}, traces {check.Traces}, errors: {string.Join(" | ", check.ConsoleErrors)}");
        Assert.True(new FileInfo(dir["speedup.png"]).Length > 20_000);
    }

    [Fact]
    public async Task MissingChromiumIsAClearErrorAndReportStillWritesHtml()
    {
        using var dir = CopyOfQuickResults();
        using (TestSupport.Environment("WARMSTART_CHROMIUM", "/nonexistent/chromium"))
        {
            var e = await Assert.ThrowsAsync<ChromiumMissingException>(() => ChartRenderer.StartAsync());
            Assert.Equal("no chromium at /nonexistent/chromium: apt-get install chromium", e.Message);
            var written = Report.Write(dir.Path);
            Assert.Single(written.Notes, n => n.StartsWith("no chromium at /nonexistent/chromium: apt-get install chromium"));
            Assert.True(File.Exists(Path.Combine(dir.Path, "charts", "speedup_vs_g.html")));
            Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "charts"), "*.png"));
        }
    }
}
