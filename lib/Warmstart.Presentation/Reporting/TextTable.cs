using System.Globalization;
using System.Text;

namespace Warmstart.Reporting;

/// <summary>
/// A <see cref="TableGrid"/> as text: aligned columns for a console (numbers right-aligned), and a Markdown pipe
/// table for a page's Markdown twin. Both keep the grid's title, size line and "… N more rows …" row.
/// </summary>
public static class TextTable
{
    /// <summary>The table as aligned plain-text columns, one line per row, with a rule under the header.</summary>
    public static string Plain(TableGrid grid)
    {
        // A header sits over its column the way the numbers do: right-aligned over a column of numbers.
        bool NumericColumn(int c) => grid.Rows.Count > 0 && grid.Rows.All(r => c < r.Count && r[c].Numeric);
        var rows = grid.IsNameValue ? grid.Rows : [grid.Header.Select((h, c) => new TableCell(h, NumericColumn(c), Header: true)).ToList(), .. grid.Rows];
        int columns = rows.Count == 0 ? 0 : rows.Max(r => r.Count);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Count ? Width(r[c].Text) : 0)).ToArray();
        var text = new StringBuilder();
        if (grid.Title is not null) text.AppendLine(grid.Title);
        for (int i = 0; i < rows.Count; i++)
        {
            int dataIndex = grid.IsNameValue ? i : i - 1;
            if (dataIndex == grid.OmittedAt && dataIndex >= 0) text.AppendLine("  " + grid.OmittedText);
            text.AppendLine(string.Join("  ", rows[i].Select((cell, c) => cell.Numeric ? Pad(cell.Text, widths[c], left: true) : Pad(cell.Text, widths[c], left: false))).TrimEnd());
            if (i == 0 && !grid.IsNameValue) text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        if (grid.Caption is not null) text.AppendLine(grid.Caption);
        return text.ToString();
    }

    /// <summary>The table as a Markdown pipe table (a record: a name/value table), with its title and size line as text.</summary>
    public static string Markdown(TableGrid grid)
    {
        var header = grid.IsNameValue ? (IReadOnlyList<string>)["", ""] : grid.Header;
        var text = new StringBuilder();
        if (grid.Title is not null) text.Append("**").Append(Escape(grid.Title)).AppendLine("**").AppendLine();
        text.AppendLine("| " + string.Join(" | ", header.Select(Escape)) + " |");
        var numeric = Enumerable.Range(0, header.Count).Select(c => !grid.IsNameValue && grid.Rows.Count > 0 && grid.Rows.All(r => c < r.Count && r[c].Numeric)).ToList();
        text.AppendLine("|" + string.Join("|", numeric.Select(n => n ? "---:" : "---")) + "|");
        for (int i = 0; i < grid.Rows.Count; i++)
        {
            if (i == grid.OmittedAt) text.AppendLine("| " + grid.OmittedText + string.Concat(Enumerable.Repeat(" |", header.Count)));
            text.AppendLine("| " + string.Join(" | ", grid.Rows[i].Select(c => c.Header ? $"**{Escape(c.Text)}**" : Escape(c.Text))) + " |");
        }
        if (grid.Caption is not null) text.AppendLine().AppendLine($"*{Escape(grid.Caption)}*");
        return text.ToString();
    }

    // Markdown would read a pipe as a column break and * or _ as emphasis.
    static string Escape(string s) => s.Replace("\\", "\\\\").Replace("|", "\\|").Replace("*", "\\*").Replace("_", "\\_").ReplaceLineEndings(" ");

    // Width in text elements, so that µ, Δ and ≈ count as one column each.
    static int Width(string s) => new StringInfo(s).LengthInTextElements;

    static string Pad(string s, int width, bool left)
    {
        var padding = new string(' ', Math.Max(0, width - Width(s)));
        return left ? padding + s : s + padding;
    }
}
