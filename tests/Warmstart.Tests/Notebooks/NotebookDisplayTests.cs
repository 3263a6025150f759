using Microsoft.Data.Analysis;
using Warmstart.Analysis;
using Warmstart.Notebooks;
using Warmstart.Reporting;
using Warmstart.Runtime;
using Warmstart.Training;
using Xunit.Abstractions;

namespace Warmstart.Tests.Notebooks;

/// <summary>
/// What the notebooks display, without a kernel: the compact HTML tables the setup.dib formatters use, the
/// committed scaling fits read back instead of refitted, and Workbook.Show's interactive + static chart outputs.
/// </summary>
public class NotebookDisplayTests(ITestOutputHelper log)
{
    static DataFrame Frame(int rows) => new(
        new StringDataFrameColumn("method", Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "szp" : "scratch")),
        new DoubleDataFrameColumn("loss", Enumerable.Range(0, rows).Select(i => 2.0 + i / 3.0)),
        new DoubleDataFrameColumn("speedup", Enumerable.Range(0, rows).Select(i => i == 0 ? double.PositiveInfinity : i == 1 ? double.NaN : 1.23456789)));

    [Fact]
    public void SmallTablesShowEveryRowRoundedWithoutScripts()
    {
        string html = HtmlTable.Of(Frame(50));
        Assert.Equal(50, CountOf(html, "<tr><td"));
        Assert.Contains(">2.333<", html);                         // 4 significant figures, not 2.3333333333333335
        Assert.DoesNotContain("2.3333", html);
        Assert.Contains(">∞<", html);                             // not "Infinity"
        Assert.Contains(">–<", html);                             // not "NaN"
        Assert.Contains(">1.235<", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("50 rows × 3 columns", html);
        Assert.Contains("text-align: right;\">2<", html);         // numbers right-aligned
    }

    [Fact]
    public void LongTablesShowHeadAndTailAndSayWhatIsLeftOut()
    {
        string html = HtmlTable.Of(Frame(200));
        Assert.Equal(HtmlTable.HeadRows + HtmlTable.TailRows, CountOf(html, "<tr><td style"));
        Assert.Equal(1, CountOf(html, "<tr><td colspan"));        // the "more rows" row
        Assert.Contains("… 175 more rows …", html);
        Assert.Contains("200 rows × 3 columns", html);
        Assert.Contains(">68.33<", html);                         // the last row (2 + 199/3)
    }

    [Fact]
    public void RecordsAndSequencesOfRecordsRenderAsTables()
    {
        var fit = new ScalingFit(407133101.68, 1.9993755, 51.47873, 0.322112, 1.23594359, 0.95023777, 18, double.NaN);
        string one = HtmlTable.Of(fit);
        Assert.Contains("<caption", one);
        Assert.Contains(">ScalingFit<", one);
        Assert.Contains(">4.071e+08<", one);
        Assert.Contains(">1.999<", one);
        Assert.Contains(">18<", one);
        Assert.DoesNotContain("EqualityContract", one);

        var rows = new List<SpeedupSummaryRow>
        {
            new(Method.Szp, "L2-H8x8 <d64> µP", 2.2144, 20, 3, 3, 1.2412345, 0.1123, 0.99, 0.07),
            new(Method.Fp, "L2-H8x8 <d64>", 4.96, 20, 3, 0, double.NaN, double.NaN, double.NaN, double.NaN),
        };
        string many = HtmlTable.Of(rows);
        Assert.Equal(2, CountOf(many, "<tr><td"));
        Assert.Contains("&lt;d64&gt; µP", many);                  // text is HTML-encoded, µ left readable
        Assert.Contains(">1.241<", many);
        Assert.Contains("2 × SpeedupSummaryRow", many);
    }

    [Fact]
    public void EveryResultTypeFormatsWithoutThrowing()
    {
        Assert.Contains(typeof(DataFrame), HtmlTable.ResultTypes);
        Assert.Contains(typeof(Warmstart.Training.RunSummary), HtmlTable.ResultTypes);
        Assert.Contains(typeof(Warmstart.Training.GrowthReport), HtmlTable.ResultTypes);
        Assert.Contains("<table", HtmlTable.Of(new Warmstart.Training.RunSummary { Params = 133_000, FinalValLoss = 1.98491334, Device = "cpu" }));
        Assert.Contains(">1.985<", HtmlTable.Of(new Warmstart.Training.RunSummary { FinalValLoss = 1.98491334 }));
        Assert.Contains("<table", HtmlTable.Of(new Warmstart.Training.GrowthReport { Operator = "szp", G = 2.2144 }));
        var results = new Warmstart.Experiments.ResultStore(Workbook.CachedResults("quick")).LoadTables();
        string html = HtmlTable.Of(results);
        Assert.Matches(@"<div><b>\d+ runs, \d+ curve points; methods: ", html);
        Assert.DoesNotContain("<script", html);
    }

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
        var before = Environment.GetEnvironmentVariable("WARMSTART_FIGURES");
        try
        {
            Environment.SetEnvironmentVariable("WARMSTART_FIGURES", null); // a live session: the interactive chart alone
            var live = Outputs(() => Workbook.Show(chart));
            Assert.Same(chart, Assert.Single(live).Value);

            Environment.SetEnvironmentVariable("WARMSTART_FIGURES", "static"); // what the refresh script saves
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

            Environment.SetEnvironmentVariable("WARMSTART_FIGURES", "both");
            var e = Assert.Throws<WorkbookException>(() => Outputs(() => Workbook.Show(chart)));
            Assert.Equal("WARMSTART_FIGURES='both': allowed are interactive, static", e.Message);
        }
        finally { Environment.SetEnvironmentVariable("WARMSTART_FIGURES", before); }
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

    static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
