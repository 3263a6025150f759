using Microsoft.Data.Analysis;
using Warmstart.Analysis;
using Warmstart.Notebooks;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Reporting;

/// <summary>The compact HTML tables the notebooks' setup.dib formatters and a file-based app's page show.</summary>
public class HtmlTableTests
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

    static int CountOf(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
