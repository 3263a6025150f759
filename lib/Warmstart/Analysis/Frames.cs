using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.Data.Analysis;
using Warmstart.Runtime;

namespace Warmstart.Analysis;

/// <summary>
/// DataFrame plumbing shared by the analyses: records → frames (snake_case columns), typed column reads, and CSV
/// files written atomically with the invariant culture and read back with doubles (not LoadCsv's float guess).
/// </summary>
public static class Frames
{
    public static DataFrame FromRecords<T>(IEnumerable<T> rows)
    {
        var list = rows.ToList();
        var columns = new List<DataFrameColumn>();
        foreach (var p in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string name = JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name);
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            DataFrameColumn column = type switch
            {
                _ when type == typeof(double) => new DoubleDataFrameColumn(name, list.Select(r => (double?)p.GetValue(r) ?? double.NaN)),
                _ when type == typeof(int) || type == typeof(long) =>
                    new DoubleDataFrameColumn(name, list.Select(r => p.GetValue(r) is { } v ? Convert.ToDouble(v) : double.NaN)),
                _ when type == typeof(bool) => new BooleanDataFrameColumn(name, list.Select(r => (bool?)p.GetValue(r))),
                _ => new StringDataFrameColumn(name, list.Select(r => p.GetValue(r)?.ToString() ?? "")),
            };
            columns.Add(column);
        }
        return new DataFrame(columns);
    }

    public static double[] Doubles(DataFrame frame, string column)
    {
        var c = Column(frame, column);
        return Enumerable.Range(0, (int)c.Length).Select(i => c[i] switch
        {
            null => double.NaN,
            double d => d,
            float f => f,
            bool b => b ? 1 : 0,
            string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN,
            var o => Convert.ToDouble(o, CultureInfo.InvariantCulture),
        }).ToArray();
    }

    public static string[] Strings(DataFrame frame, string column)
    {
        var c = Column(frame, column);
        return Enumerable.Range(0, (int)c.Length).Select(i => c[i] switch
        {
            null => "",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            var o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "",
        }).ToArray();
    }

    public static bool[] Bools(DataFrame frame, string column) =>
        Strings(frame, column).Select(s => s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1").ToArray();

    public static bool Has(DataFrame frame, string column) => frame.Columns.Any(c => c.Name == column);

    static DataFrameColumn Column(DataFrame frame, string column) =>
        frame.Columns.FirstOrDefault(c => c.Name == column)
        ?? throw new ArgumentException($"the table has no column '{column}' (it has {string.Join(", ", frame.Columns.Select(c => c.Name))})");

    /// <summary>Rows whose <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public static DataFrame Where(DataFrame frame, string column, string value)
    {
        var values = Strings(frame, column);
        return Where(frame, i => values[i] == value);
    }

    /// <summary>Rows whose index satisfies <paramref name="keep"/> (read the columns once, outside the predicate).</summary>
    public static DataFrame Where(DataFrame frame, Func<int, bool> keep) =>
        frame.Filter(new BooleanDataFrameColumn("keep", Enumerable.Range(0, (int)frame.Rows.Count).Select(i => (bool?)keep(i))));

    public static void Save(DataFrame frame, string path) =>
        Files.WriteAtomic(path, stream => DataFrame.SaveCsv(frame, stream, encoding: new System.Text.UTF8Encoding(false), cultureInfo: CultureInfo.InvariantCulture));

    /// <summary>Reads a CSV with every column that parses as numbers typed double, the rest string.</summary>
    public static DataFrame Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"table '{path}' does not exist", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new InvalidDataException($"table '{path}' is empty");
        var header = SplitCsvLine(lines[0]);
        var rows = lines.Skip(1).Where(l => l.Length > 0).Select(SplitCsvLine).ToList();
        if (rows.Any(r => r.Length != header.Length))
            throw new InvalidDataException($"table '{path}' has rows with a different number of fields than its header");
        var columns = new List<DataFrameColumn>();
        for (int c = 0; c < header.Length; c++)
        {
            var raw = rows.Select(r => r[c]).ToList();
            bool numeric = raw.All(s => s.Length == 0 || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            bool boolean = !numeric && raw.All(s => s is "True" or "False" or "true" or "false" or "");
            columns.Add(numeric
                ? new DoubleDataFrameColumn(header[c], raw.Select(s => s.Length == 0 ? double.NaN : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)))
                : boolean
                    ? new BooleanDataFrameColumn(header[c], raw.Select(s => s.Length == 0 ? (bool?)null : bool.Parse(s)))
                    : new StringDataFrameColumn(header[c], raw));
        }
        return new DataFrame(columns);
    }

    /// <summary>Splits one CSV line, honouring double-quoted fields (with "" for a quote inside).</summary>
    public static string[] SplitCsvLine(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
