using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Data.Analysis;
using Warmstart.Runtime;

namespace Warmstart.Reporting;

/// <summary>
/// Typed rows as a DataFrame, for a notebook to display (the kernel's table formatter takes DataFrames): one column
/// per data property (<see cref="Csv.DataProperties"/>), named as its CSV column or by its
/// <see cref="DisplayNameAttribute"/>. The analyses themselves pass records, never frames.
/// </summary>
public static class Frames
{
    public static DataFrame FromRecords<T>(IEnumerable<T> rows) => FromRecords(rows, typeof(T));

    /// <summary>Rows of <paramref name="type"/> (a record, or an anonymous type) as a DataFrame.</summary>
    public static DataFrame FromRecords(IEnumerable rows, Type type)
    {
        var list = rows.Cast<object?>().ToList();
        var columns = new List<DataFrameColumn>();
        foreach (var p in Csv.DataProperties(type))
        {
            string name = ColumnName(p);
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            columns.Add(t switch
            {
                _ when t == typeof(double) => new DoubleDataFrameColumn(name, list.Select(r => (double?)p.GetValue(r) ?? double.NaN)),
                _ when t == typeof(int) || t == typeof(long) =>
                    new DoubleDataFrameColumn(name, list.Select(r => p.GetValue(r) is { } v ? Convert.ToDouble(v) : double.NaN)),
                _ when t == typeof(bool) => new BooleanDataFrameColumn(name, list.Select(r => (bool?)p.GetValue(r))),
                _ => new StringDataFrameColumn(name, list.Select(r => p.GetValue(r) switch
                {
                    null => "",
                    Enum e => Csv.Spelling(e),
                    var v => v.ToString() ?? "",
                })),
            });
        }
        return new DataFrame(columns);
    }

    /// <summary>A property's column header: its <see cref="DisplayNameAttribute"/>, else its CSV column name.</summary>
    public static string ColumnName(PropertyInfo property) =>
        property.GetCustomAttribute<DisplayNameAttribute>()?.DisplayName ?? Csv.ColumnName(property);
}
