using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Data.Analysis;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Runtime;

namespace Warmstart.Reporting;

/// <summary>One shown cell of a table: its text (plain, not encoded) and whether it holds a number (right-aligned).</summary>
public readonly record struct TableCell(string Text, bool Numeric, bool Header = false);

/// <summary>
/// A result value laid out as a table once, so that every place that shows it agrees: the notebooks' HTML
/// (<see cref="HtmlTable"/>), and a file-based app's console text and Markdown page (<see cref="TextTable"/>). Numbers
/// are rounded with <see cref="Numbers.Number"/>; tables longer than <see cref="MaxRows"/> keep their head and tail
/// with one row naming what is left out.
/// </summary>
/// <param name="Title">A line above the table (the counts of a result set, or a record's type name); null for none.</param>
/// <param name="Header">Column names; empty for a record shown as name/value rows.</param>
/// <param name="Rows">The shown rows, each as many cells as the header (a record: name and value).</param>
/// <param name="OmittedAt">Index into <paramref name="Rows"/> before which the left-out rows sit; -1 when none are.</param>
/// <param name="Omitted">How many rows are left out.</param>
/// <param name="Caption">The size line under the table ("50 rows × 3 columns"); null for a record.</param>
public sealed record TableGrid(string? Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<TableCell>> Rows,
    int OmittedAt, int Omitted, string? Caption)
{
    /// <summary>Tables with at most this many rows are shown whole.</summary>
    public const int MaxRows = 50;

    /// <summary>Rows shown from the start and the end of a longer table.</summary>
    public const int HeadRows = 20, TailRows = 5;

    /// <summary>Significant figures of numbers in the tables (losses differ in the third decimal).</summary>
    public const int Significant = 4;

    /// <summary>True for a record shown as name/value rows (no header row).</summary>
    public bool IsNameValue => Header.Count == 0;

    /// <summary>The text of the row that stands for the left-out rows.</summary>
    public string OmittedText => $"… {Omitted} more rows …";

    /// <summary>
    /// True when <paramref name="value"/> is shown as a table rather than as text: a DataFrame, the result tables,
    /// a sequence of records, or a record (a C# record type or a Warmstart struct).
    /// </summary>
    public static bool IsTable(object? value) => value switch
    {
        null or string => false,
        DataFrame or ResultTables => true,
        _ => RecordsOf(value) is not null || IsRecord(value.GetType()),
    };

    /// <summary>The record type of <paramref name="value"/>'s rows when it is a sequence of records; null otherwise.</summary>
    public static Type? RecordsOf(object? value) =>
        value is IEnumerable and not string and not DataFrame && ElementType(value.GetType()) is { } element && IsRecord(element) ? element : null;

    /// <summary>Any result value as a table: a DataFrame, the result tables, a sequence of records, or one record.</summary>
    public static TableGrid Of(object value, int significant = Significant) => value switch
    {
        DataFrame frame => Of(frame, significant),
        ResultTables tables => Of(tables, significant),
        IEnumerable sequence when RecordsOf(value) is { } element => OfRecords(sequence.Cast<object?>().ToList(), element, significant),
        _ => OfRecord(value, significant),
    };

    /// <summary>A DataFrame: all rows up to <see cref="MaxRows"/>, otherwise the first 20 and last 5.</summary>
    public static TableGrid Of(DataFrame frame, int significant = Significant)
    {
        long rows = frame.Rows.Count;
        var header = frame.Columns.Select(c => c.Name).ToList();
        var numeric = frame.Columns.Select(IsNumeric).ToList();
        var (shown, omittedAt, omitted) = Shown(rows);
        var cells = shown.Select(r => (IReadOnlyList<TableCell>)Enumerable.Range(0, header.Count)
            .Select(c => new TableCell(Text(frame.Columns[c][r], significant), numeric[c])).ToList()).ToList();
        return new TableGrid(null, header, cells, omittedAt, omitted,
            $"{rows} row{(rows == 1 ? "" : "s")} × {header.Count} column{(header.Count == 1 ? "" : "s")}");
    }

    /// <summary>The result tables: a line of counts, then the runs (one row per run).</summary>
    public static TableGrid Of(ResultTables tables, int significant = Significant)
    {
        var runs = tables.Runs;
        string methods = string.Join(", ", runs.Select(r => r.Method).Distinct().Order());
        string models = string.Join(", ", runs.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal));
        return OfRecords(runs, significant) with
        {
            Title = $"{runs.Count} runs, {tables.Curves.Count} curve points; methods: {methods}; models: {models}",
        };
    }

    /// <summary>One record as name/value rows of its public properties, titled with its type name.</summary>
    public static TableGrid OfRecord(object value, int significant = Significant)
    {
        var rows = Properties(value.GetType()).Select(p =>
        {
            object? v = p.GetValue(value);
            return (IReadOnlyList<TableCell>)[new TableCell(p.Name, false, Header: true), new TableCell(Text(v, significant), IsNumber(v))];
        }).ToList();
        return new TableGrid(value.GetType().Name, [], rows, -1, 0, null);
    }

    /// <summary>A sequence of records, one row each, headed as <see cref="Frames.FromRecords{T}"/> heads them (a kernel shows that frame).</summary>
    public static TableGrid OfRecords<T>(IEnumerable<T> rows, int significant = Significant) =>
        OfRecords(rows.Cast<object?>().ToList(), typeof(T), significant);

    static TableGrid OfRecords(List<object?> list, Type type, int significant)
    {
        var properties = Csv.DataProperties(type);
        var (shown, omittedAt, omitted) = Shown(list.Count);
        var cells = shown.Select(i => (IReadOnlyList<TableCell>)properties.Select(p =>
        {
            object? v = list[(int)i] is { } row ? p.GetValue(row) : null;
            return new TableCell(Text(v, significant), IsNumber(v));
        }).ToList()).ToList();
        return new TableGrid(null, properties.Select(Frames.ColumnName).ToList(), cells, omittedAt, omitted, $"{list.Count} × {type.Name}");
    }

    // The row indices shown, and where and how many rows are left out.
    static (List<long> Shown, int OmittedAt, int Omitted) Shown(long rows)
    {
        if (rows <= MaxRows) return (Enumerable.Range(0, (int)rows).Select(i => (long)i).ToList(), -1, 0);
        var shown = Enumerable.Range(0, HeadRows).Select(i => (long)i).Concat(Enumerable.Range(0, TailRows).Select(i => rows - TailRows + i)).ToList();
        return (shown, HeadRows, (int)(rows - HeadRows - TailRows));
    }

    /// <summary>One value as table text (plain): rounded numbers, "–" for NaN, yes/no, short dates.</summary>
    public static string Text(object? value, int significant = Significant) => value switch
    {
        null => "",
        double d => Numbers.Number(d, significant),
        float f => Numbers.Number(f, significant),
        int or long or short or byte or uint or ulong => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        decimal m => Numbers.Number((double)m, significant),
        bool b => b ? "yes" : "no",
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        string s => s,
        Enum e => Csv.Spelling(e),
        IDictionary dict => $"{dict.Count} entries",
        IEnumerable seq => string.Join(", ", seq.Cast<object?>().Take(8).Select(o => o is double d ? Numbers.Number(d, significant) : Convert.ToString(o, CultureInfo.InvariantCulture)))
            + (seq.Cast<object?>().Skip(8).Any() ? " …" : ""),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    static bool IsNumber(object? v) => v is double or float or int or long or short or byte or uint or ulong or decimal;

    static bool IsNumeric(DataFrameColumn c) => c.DataType == typeof(double) || c.DataType == typeof(float) || c.DataType == typeof(int)
        || c.DataType == typeof(long) || c.DataType == typeof(decimal) || c.DataType == typeof(short);

    static List<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract").ToList();

    static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    // A record with no public constructor is a value of a closed set (a Method): shown as its text, not as a table.
    static bool IsRecord(Type type) => (type.GetMethod("<Clone>$") is not null && type.GetConstructors().Length > 0)
        || (type.IsValueType && !type.IsPrimitive && type.Namespace?.StartsWith("Warmstart", StringComparison.Ordinal) == true);
}
