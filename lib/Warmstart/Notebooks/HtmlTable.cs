using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.Data.Analysis;
using Warmstart.Analysis;

namespace Warmstart.Notebooks;

/// <summary>
/// Compact HTML tables for the notebooks' formatters (registered in notebooks/setup.dib; the library itself does
/// not depend on the notebook kernel): numbers rounded with <see cref="Display.Number"/>, no script pager, every
/// row up to <see cref="MaxRows"/> and head and tail beyond that, plain HTML that GitHub and VS Code both show.
/// </summary>
public static class HtmlTable
{
    /// <summary>Tables with at most this many rows are shown whole.</summary>
    public const int MaxRows = 50;

    /// <summary>Rows shown from the start and the end of a longer table.</summary>
    public const int HeadRows = 20, TailRows = 5;

    /// <summary>Significant figures of numbers in the tables (losses differ in the third decimal).</summary>
    public const int Significant = 4;

    /// <summary>
    /// The library's result types that get a compact table in a notebook (setup.dib registers one formatter for
    /// each): DataFrames, the result tables, and the records a cell is likely to show as its value.
    /// </summary>
    public static IReadOnlyList<Type> ResultTypes { get; } =
    [
        typeof(DataFrame), typeof(ResultTables), typeof(ScalingFit), typeof(Advice),
        typeof(Training.RunSummary), typeof(Growth.GrowthReport), typeof(Experiments.SweepOutcome), typeof(Experiments.Provenance),
        typeof(SpeedupSummaryRow), typeof(SpeedupRow), typeof(AblationRow), typeof(LambdaRow), typeof(ScalingFitRow),
        typeof(IsoFlopFit), typeof(RunRow),
    ];

    const string TableStyle = "border-collapse: collapse; font-size: 0.9em; margin: 0.25em 0;";
    const string CellStyle = "padding: 0.15em 0.6em; border-bottom: 1px solid #ddd; white-space: nowrap;";

    /// <summary>An HTML table of any result value: a DataFrame, the result tables, a sequence of records, or one record.</summary>
    public static string Of(object? value, int significant = Significant) => value switch
    {
        null => "<i>null</i>",
        DataFrame frame => Of(frame, significant),
        ResultTables tables => Of(tables, significant),
        string s => Encode(s),
        IEnumerable sequence when ElementType(value.GetType()) is { } element && IsRecord(element) =>
            OfRecords(sequence.Cast<object?>(), element, significant),
        _ => OfRecord(value, significant),
    };

    /// <summary>A DataFrame: all rows up to <see cref="MaxRows"/>, otherwise the first 20 and last 5 with a row naming the rest.</summary>
    public static string Of(DataFrame frame, int significant = Significant)
    {
        long rows = frame.Rows.Count;
        var header = frame.Columns.Select(c => c.Name).ToList();
        var numeric = frame.Columns.Select(IsNumeric).ToList();
        IEnumerable<long> Range(long from, long count) => Enumerable.Range(0, (int)count).Select(i => from + i);
        bool cut = rows > MaxRows;
        var shown = cut ? Range(0, HeadRows).Concat(Range(rows - TailRows, TailRows)) : Range(0, rows);
        var body = new StringBuilder();
        foreach (long r in shown)
        {
            if (cut && r == rows - TailRows)
                body.Append($"<tr><td colspan=\"{header.Count}\" style=\"{CellStyle} text-align: center; color: #777;\">… {rows - HeadRows - TailRows} more rows …</td></tr>");
            body.Append("<tr>");
            for (int c = 0; c < header.Count; c++) body.Append(Cell(Text(frame.Columns[c][r], significant), numeric[c]));
            body.Append("</tr>");
        }
        return Table(header, body.ToString(), $"{rows} row{(rows == 1 ? "" : "s")} × {header.Count} column{(header.Count == 1 ? "" : "s")}");
    }

    /// <summary>The result tables: a line of counts, then the runs (one row per run).</summary>
    public static string Of(ResultTables tables, int significant = Significant)
    {
        var runs = tables.RunRows();
        string methods = string.Join(", ", runs.Select(r => r.Method).Distinct().Order(StringComparer.Ordinal));
        string models = string.Join(", ", runs.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal));
        return $"<div><b>{runs.Count} runs</b>, {tables.Curves.Rows.Count} curve points; methods: {Encode(methods)}; models: {Encode(models)}</div>"
            + Of(tables.Runs, significant);
    }

    /// <summary>One record as a two-column table of its public properties.</summary>
    public static string OfRecord(object value, int significant = Significant)
    {
        var body = new StringBuilder();
        foreach (var p in Properties(value.GetType()))
        {
            object? v = p.GetValue(value);
            body.Append("<tr>").Append(Cell(Encode(p.Name), false, header: true)).Append(Cell(Text(v, significant), IsNumber(v))).Append("</tr>");
        }
        return $"<table style=\"{TableStyle}\"><caption style=\"caption-side: top; text-align: left; color: #555;\">{Encode(value.GetType().Name)}</caption><tbody>{body}</tbody></table>";
    }

    /// <summary>A sequence of records, one row each.</summary>
    public static string OfRecords<T>(IEnumerable<T> rows, int significant = Significant) =>
        OfRecords(rows.Cast<object?>(), typeof(T), significant);

    static string OfRecords(IEnumerable<object?> rows, Type type, int significant)
    {
        var properties = Properties(type);
        var list = rows.ToList();
        bool cut = list.Count > MaxRows;
        var shown = cut ? list.Take(HeadRows).Concat(list.Skip(list.Count - TailRows)).ToList() : list;
        var body = new StringBuilder();
        for (int i = 0; i < shown.Count; i++)
        {
            if (cut && i == HeadRows)
                body.Append($"<tr><td colspan=\"{properties.Count}\" style=\"{CellStyle} text-align: center; color: #777;\">… {list.Count - HeadRows - TailRows} more rows …</td></tr>");
            body.Append("<tr>");
            foreach (var p in properties)
            {
                object? v = shown[i] is null ? null : p.GetValue(shown[i]);
                body.Append(Cell(Text(v, significant), IsNumber(v)));
            }
            body.Append("</tr>");
        }
        return Table(properties.Select(p => p.Name).ToList(), body.ToString(), $"{list.Count} × {type.Name}");
    }

    /// <summary>One value as table text (HTML-encoded): rounded numbers, "–" for NaN, yes/no, short dates.</summary>
    public static string Text(object? value, int significant = Significant) => value switch
    {
        null => "",
        double d => Display.Number(d, significant),
        float f => Display.Number(f, significant),
        int or long or short or byte or uint or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        decimal m => Display.Number((double)m, significant),
        bool b => b ? "yes" : "no",
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        string s => Encode(s),
        IDictionary dict => $"{dict.Count} entries",
        IEnumerable seq => Encode(string.Join(", ", seq.Cast<object?>().Take(8).Select(o => o is double d ? Display.Number(d, significant) : Convert.ToString(o, CultureInfo.InvariantCulture))))
            + (seq.Cast<object?>().Skip(8).Any() ? " …" : ""),
        _ => Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    static string Table(IReadOnlyList<string> header, string body, string caption)
    {
        var head = string.Concat(header.Select(h => Cell(Encode(h), false, header: true)));
        return $"<table style=\"{TableStyle}\"><caption style=\"caption-side: bottom; text-align: left; color: #777; font-size: 0.85em;\">{Encode(caption)}</caption>"
            + $"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>";
    }

    static string Cell(string html, bool numeric, bool header = false)
    {
        string tag = header ? "th" : "td";
        string align = numeric ? " text-align: right;" : " text-align: left;";
        return $"<{tag} style=\"{CellStyle}{align}\">{html}</{tag}>";
    }

    // Only the characters HTML needs escaped: µ, Δ, ≈ and the like stay readable (WebUtility would write &#956;).
    static string Encode(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    static bool IsNumber(object? v) => v is double or float or int or long or short or byte or uint or ulong or decimal;

    static bool IsNumeric(DataFrameColumn c) => c.DataType == typeof(double) || c.DataType == typeof(float) || c.DataType == typeof(int)
        || c.DataType == typeof(long) || c.DataType == typeof(decimal) || c.DataType == typeof(short);

    static List<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();

    static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null || (type.IsValueType && !type.IsPrimitive && type.Namespace?.StartsWith("Warmstart", StringComparison.Ordinal) == true);
}
