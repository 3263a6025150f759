using System.Text;
using Microsoft.Data.Analysis;
using Warmstart.Analysis;
using Warmstart.Experiments;

namespace Warmstart.Reporting;

/// <summary>
/// Compact HTML tables for the notebooks' formatters (registered in notebooks/setup.dib; the library itself does
/// not depend on the notebook kernel) and for a file-based app's page: a <see cref="TableGrid"/> written as plain
/// HTML that GitHub and VS Code both show, with no script pager.
/// </summary>
public static class HtmlTable
{
    /// <summary>Tables with at most this many rows are shown whole.</summary>
    public const int MaxRows = TableGrid.MaxRows;

    /// <summary>Rows shown from the start and the end of a longer table.</summary>
    public const int HeadRows = TableGrid.HeadRows, TailRows = TableGrid.TailRows;

    /// <summary>Significant figures of numbers in the tables.</summary>
    public const int Significant = TableGrid.Significant;

    /// <summary>
    /// The library's result types that get a compact table in a notebook (setup.dib registers one formatter for
    /// each): DataFrames, the result tables, and the records a cell is likely to show as its value.
    /// </summary>
    public static IReadOnlyList<Type> ResultTypes { get; } =
    [
        typeof(DataFrame), typeof(ResultTables), typeof(ScalingFit), typeof(Advice),
        typeof(Training.RunSummary), typeof(Training.GrowthReport), typeof(Experiments.SweepOutcome), typeof(Experiments.Provenance),
        typeof(SpeedupSummaryRow), typeof(SpeedupRow), typeof(AblationRow), typeof(LambdaRow), typeof(ScalingFitRow),
        typeof(IsoFlopFit), typeof(RunRow),
    ];

    const string TableStyle = "border-collapse: collapse; font-size: 0.9em; margin: 0.25em 0;";
    const string CellStyle = "padding: 0.15em 0.6em; border-bottom: 1px solid #ddd; white-space: nowrap;";

    /// <summary>An HTML table of any result value: a DataFrame, the result tables, a sequence of records, or one record.</summary>
    public static string Of(object? value, int significant = Significant) => value switch
    {
        null => "<i>null</i>",
        string s => Encode(s),
        _ => Of(TableGrid.Of(value, significant)),
    };

    /// <summary>A DataFrame: all rows up to <see cref="MaxRows"/>, otherwise the first 20 and last 5 with a row naming the rest.</summary>
    public static string Of(DataFrame frame, int significant = Significant) => Of(TableGrid.Of(frame, significant));

    /// <summary>The result tables: a line of counts, then the runs (one row per run).</summary>
    public static string Of(ResultTables tables, int significant = Significant) => Of(TableGrid.Of(tables, significant));

    /// <summary>One record as a two-column table of its public properties.</summary>
    public static string OfRecord(object value, int significant = Significant) => Of(TableGrid.OfRecord(value, significant));

    /// <summary>A sequence of records, one row each.</summary>
    public static string OfRecords<T>(IEnumerable<T> rows, int significant = Significant) => Of(TableGrid.OfRecords(rows, significant));

    /// <summary>A laid-out table as HTML: a record as a captioned name/value table, anything else with a header row.</summary>
    public static string Of(TableGrid grid)
    {
        var body = new StringBuilder();
        for (int i = 0; i < grid.Rows.Count; i++)
        {
            if (i == grid.OmittedAt)
                body.Append($"<tr><td colspan=\"{grid.Header.Count}\" style=\"{CellStyle} text-align: center; color: #777;\">{Encode(grid.OmittedText)}</td></tr>");
            body.Append("<tr>");
            foreach (var cell in grid.Rows[i]) body.Append(Cell(cell));
            body.Append("</tr>");
        }
        if (grid.IsNameValue)
            return $"<table style=\"{TableStyle}\"><caption style=\"caption-side: top; text-align: left; color: #555;\">{Encode(grid.Title ?? "")}</caption><tbody>{body}</tbody></table>";
        var head = string.Concat(grid.Header.Select(h => Cell(new TableCell(h, false, Header: true))));
        string title = grid.Title is null ? "" : $"<div><b>{Encode(grid.Title)}</b></div>";
        return title + $"<table style=\"{TableStyle}\"><caption style=\"caption-side: bottom; text-align: left; color: #777; font-size: 0.85em;\">{Encode(grid.Caption ?? "")}</caption>"
            + $"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>";
    }

    /// <summary>One value as table text, HTML-encoded: rounded numbers, "–" for NaN, yes/no, short dates.</summary>
    public static string Text(object? value, int significant = Significant) => Encode(TableGrid.Text(value, significant));

    static string Cell(TableCell cell)
    {
        string tag = cell.Header ? "th" : "td";
        string align = cell.Numeric ? " text-align: right;" : " text-align: left;";
        return $"<{tag} style=\"{CellStyle}{align}\">{Encode(cell.Text)}</{tag}>";
    }

    // Only the characters HTML needs escaped: µ, Δ, ≈ and the like stay readable (WebUtility would write &#956;).
    internal static string Encode(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
