using Microsoft.Data.Analysis;
using Warmstart.Analysis;
using Warmstart.Reporting;

namespace Warmstart.Tests.Reporting;

/// <summary>A result laid out once as a table (<see cref="TableGrid"/>), written as console text and as Markdown.</summary>
public class TextTableTests
{
    /// <summary>A small frame whose text needs escaping in Markdown ("|"); the page test shows it too.</summary>
    internal static DataFrame Frame(int rows) => new(
        new StringDataFrameColumn("method", Enumerable.Range(0, rows).Select(i => i % 2 == 0 ? "szp" : "scratch|fp")),
        new DoubleDataFrameColumn("ΔL", Enumerable.Range(0, rows).Select(i => -0.1 * i - 0.01234567)));

    [Fact]
    public void TablesPrintAsAlignedTextAndAsMarkdown()
    {
        var grid = TableGrid.Of(Frame(3));
        Assert.Equal("""
            method            ΔL
            ----------  --------
            szp         -0.01235
            scratch|fp   -0.1123
            szp          -0.2123
            3 rows × 2 columns

            """.ReplaceLineEndings("\n"), TextTable.Plain(grid).ReplaceLineEndings("\n"));
        string markdown = TextTable.Markdown(grid);
        Assert.Contains("| method | ΔL |\n|---|---:|\n| szp | -0.01235 |\n| scratch\\|fp | -0.1123 |", markdown);
        Assert.Contains("*3 rows × 2 columns*", markdown);

        var longer = TableGrid.Of(Frame(60));
        Assert.Equal(TableGrid.HeadRows + TableGrid.TailRows, longer.Rows.Count);
        Assert.Contains("  … 35 more rows …\n", TextTable.Plain(longer).ReplaceLineEndings("\n"));
        Assert.Contains("| … 35 more rows … | |", TextTable.Markdown(longer));

        var record = TableGrid.Of(new ScalingFit(4.07e8, 1.9993755, 51.47873, 0.322112, 1.23594359, 0.95023777, 18, double.NaN));
        Assert.True(record.IsNameValue);
        Assert.StartsWith("ScalingFit\n", TextTable.Plain(record).ReplaceLineEndings("\n"));
        Assert.Matches(@"\n\w+ +4\.07e\+08\n", TextTable.Plain(record).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void WhatIsATableAndWhatIsText()
    {
        Assert.True(TableGrid.IsTable(Frame(1)));
        Assert.True(TableGrid.IsTable(new ScalingFit(1, 1, 1, 1, 1, 1, 1, 1)));
        Assert.True(TableGrid.IsTable(new List<ScalingFit> { new(1, 1, 1, 1, 1, 1, 1, 1) }));
        Assert.False(TableGrid.IsTable("text"));
        Assert.False(TableGrid.IsTable(42));
        Assert.False(TableGrid.IsTable(null));
    }
}
