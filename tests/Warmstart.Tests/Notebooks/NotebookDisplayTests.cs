using Microsoft.Data.Analysis;
using Warmstart.Analysis;
using Warmstart.Notebooks;
using Warmstart.Reporting;
using Warmstart.Runtime;
using Warmstart.Training;
using Xunit.Abstractions;

namespace Warmstart.Tests.Notebooks;

/// <summary>
/// What the notebooks display, without a kernel: the committed scaling fits read back instead of refitted, and
/// Workbook.Show's interactive + static chart outputs and tables.
/// </summary>
public class NotebookDisplayTests(ITestOutputHelper log)
{
    [Fact]
    [Outer(OuterReason.Slow)]
    public void CommittedFitsMatchAFreshFit()
    {
        // The committed MLP study (its laws are identified): reading its fits back gives what fitting them now gives.
        var dir = Workbook.CachedResults("mlp-quick");
        var committed = CommittedFits.Load(CommittedFits.Find(dir)!);
        var tables = new Warmstart.Experiments.ResultStore(dir).LoadTables();
        var scratchNow = ScalingLaw.Fit(ScalingLaw.PointsFor(tables, Method.Scratch));
        var scratch = CommittedFits.Fit(committed, Method.Scratch);
        Assert.Equal(scratchNow.E, scratch.E, 1e-6);
        Assert.Equal(scratchNow.Beta, scratch.Beta, 1e-6);
        Assert.Equal(scratchNow.Predict(6e4, 1.2e6), scratch.Predict(6e4, 1.2e6), 1e-6);

        var map = CommittedFits.LoadMap(dir, Method.Szp)!;
        Assert.Equal(scratch, map.Scratch);
        Assert.True(map.Grid.Count > 100);
        Assert.Equal(ScalingLaw.ObservedDeltas(tables, Method.Szp), map.Observed);
    }

    [Fact]
    public void CommittedFitsAreReadOnlyWithoutRegenerateAndFallBackWhenMissing()
    {
        var root = Directory.CreateTempSubdirectory("warmstart-fits-").FullName;
        try
        {
            Assert.Null(CommittedFits.Find(root));
            Assert.Null(CommittedFits.LoadMap(root, Method.Szp));
            Directory.CreateDirectory(Path.Combine(root, "analysis"));
            File.WriteAllText(AnalysisFiles.ScalingFits.In(AnalysisFiles.Of(root)),
                "method,points,distinct_n,distinct_d,a,alpha,b,beta,e,r2,reason\n" +
                "scratch,9,5,9,0.1,1,13,0.13,1.5,0.99,\n" +
                "szp,3,1,3,,,,,,,too few runs for the fit: 3 points\n");
            var fits = CommittedFits.Load(AnalysisFiles.ScalingFits.In(AnalysisFiles.Of(root)));
            Assert.Equal(["", "too few runs for the fit: 3 points"], fits.Select(f => f.Reason));
            Assert.Equal(1.5, CommittedFits.Fit(fits, Method.Scratch).E);
            Assert.Equal("too few runs for the fit: 3 points", Assert.Throws<ArgumentException>(() => CommittedFits.Fit(fits, Method.Szp)).Message);
            Assert.Contains("no scaling-law fit for 'fp'", Assert.Throws<ArgumentException>(() => CommittedFits.Fit(fits, Method.Fp)).Message);
            Assert.Throws<ArgumentException>(() => CommittedFits.LoadMap(root, Method.Szp)); // the recorded reason, as ScalingLaw.Map would say
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void WorkbookReadsTheCommittedFitsWhenNotRegenerating()
    {
        var dir = Workbook.CachedResults("mlp-quick");
        var tables = new Warmstart.Experiments.ResultStore(dir).LoadTables();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var fits = Workbook.ScalingFits("mlp", "quick", regenerate: false, tables);
        var map = Workbook.DeltaMap("mlp", "quick", regenerate: false, tables, Method.Szp);
        log.WriteLine($"committed fits and map read in {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "reading the committed fits must not refit");
        Assert.Equal(CommittedFits.Load(CommittedFits.Find(dir)!), fits);
        Assert.True(double.IsNaN(map.Warm.Objective));               // read back, not fitted
    }

    /// <summary>What the notebook is sent while <paramref name="show"/> runs (Workbook.Output is restored after).</summary>
    static List<(object Value, string? Mime)> Outputs(Action show)
    {
        var shown = new List<(object Value, string? Mime)>();
        var before = Workbook.Output;
        try
        {
            Workbook.Output = (value, mime) => shown.Add((value, mime));
            show();
        }
        finally { Workbook.Output = before; }
        return shown;
    }

    [Fact]
    [Outer(OuterReason.Browser)]
    public void ShowDisplaysTheChartOnceInteractiveInASessionAndAsAPngWhenSaving()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(x: [1.0, 2, 3], y: [2.0, 1, 3], Name: "test");
        using (TestSupport.Environment("WARMSTART_FIGURES", null)) // a live session: the interactive chart alone
        {
            var live = Outputs(() => Workbook.Show(chart));
            Assert.Same(chart, Assert.Single(live).Value);
        }
        using (TestSupport.Environment("WARMSTART_FIGURES", "both"))
        {
            var e = Assert.Throws<WorkbookException>(() => Outputs(() => Workbook.Show(chart)));
            Assert.Equal("WARMSTART_FIGURES='both': allowed are interactive, static", e.Message);
        }
        using (TestSupport.Environment("WARMSTART_FIGURES", "static")) // what the refresh script saves
        {
            var saved = Outputs(() => Workbook.Show(chart));
            if (!StaticFigures.Enabled)
            {
                log.WriteLine($"skipped the PNG: no chromium (looked for {ChartRenderer.ExecutablePath})");
                Assert.Same(chart, saved[0].Value);
                Assert.Equal("(no static image: chromium is not installed)", saved[1].Value);
                return;
            }
            Assert.Equal("image/png", Assert.Single(saved).Mime);
            var png = Assert.IsType<PngImage>(saved[0].Value);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Bytes[..4]);
            int width = png.Bytes[16] << 24 | png.Bytes[17] << 16 | png.Bytes[18] << 8 | png.Bytes[19];
            Assert.Equal((int)(StaticFigures.Width * StaticFigures.Scale), width);
            log.WriteLine($"PNG {png.Bytes.Length:N0} bytes");
            // The browser and its plotly.js page stay open: a second chart is drawn on the same page.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var second = Outputs(() => Workbook.Show(Plotly.NET.CSharp.Chart.Point<double, double, string>(x: [1.0, 2], y: [3.0, 4], Name: "second")));
            log.WriteLine($"second chart in {clock.ElapsedMilliseconds} ms");
            Assert.NotEqual(png.Bytes, Assert.IsType<PngImage>(Assert.Single(second).Value).Bytes);
        }
    }

    [Fact]
    public void ShowPrintsAFiguresCaptionUnderIt()
    {
        var summary = AnalysisFiles.SpeedupSummary.Read(AnalysisFiles.Of(Workbook.CachedResults("quick")));
        var chart = Figures.SpeedupVsG(summary);
        var shown = Outputs(() => Workbook.Show(chart));
        Assert.Same(chart, shown[0].Value);
        Assert.Equal("text/markdown", shown[^1].Mime);
        Assert.Equal(Figures.Caption(chart), shown[^1].Value);
        Assert.StartsWith("Speedup = scratch's tokens ÷ the warm run's tokens", (string)shown[^1].Value);
    }

    [Fact]
    public void AListOfRecordsReachesTheKernelAsADataFrameHeadedAsTheAppsTable()
    {
        var summary = AnalysisFiles.SpeedupSummary.Read(AnalysisFiles.Of(Workbook.CachedResults("quick")));
        var lines = Display.SpeedupSummary(summary);
        var frame = Assert.IsType<DataFrame>(Assert.Single(Outputs(() => Workbook.Show(lines))).Value);
        Assert.Equal(["method", "g", "speedup", "with base compute", "seeds reaching", "ΔL", "target", "TPP"], frame.Columns.Select(c => c.Name));
        Assert.Equal(frame.Columns.Select(c => c.Name), TableGrid.Of(lines).Header); // a file-based app's page heads it the same
        // Records keep their CSV column names, and closed sets show their spelling.
        var rows = Assert.IsType<DataFrame>(Assert.Single(Outputs(() => Workbook.Show(summary))).Value);
        Assert.Equal(summary.Select(r => r.Method.Spelling), Enumerable.Range(0, summary.Count).Select(i => (string)rows.Columns["method"][i]));
        Assert.Equal(summary.Select(r => Csv.Spelling(r.SpeedupKind)), Enumerable.Range(0, summary.Count).Select(i => (string)rows.Columns["speedup_kind"][i]));
    }

    [Fact]
    public void ShowWithoutSetupIsAReadableError()
    {
        var before = Workbook.Output;
        try
        {
            Workbook.Output = null;
            var e = Assert.Throws<WorkbookException>(() => Workbook.Show(Plotly.NET.CSharp.Chart.Point<double, double, string>(x: [1.0], y: [1.0])));
            Assert.Contains("#!import setup.dib", e.Message);
        }
        finally { Workbook.Output = before; }
    }
}
