using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Warmstart.Runtime;

/// <summary>
/// Tables of records as CSV files (the run tables, every analysis table): one column per constructor parameter or init
/// property, in declaration order, named in snake_case (FinalValLoss → final_val_loss). Written in the invariant
/// culture as the committed tables were written (so they read and write back byte for byte): doubles so that they read
/// back exactly (G17, "NaN", "Infinity"), booleans True/False, enums by their <see cref="Spelling"/>, a closed set
/// such as a run's method (any <see cref="IParsable{TSelf}"/>) by its text; a field holding a comma, quote or line break
/// is quoted. Reading maps columns by name: a column the file lacks takes the record's default for it (NaN, "gpt2", …)
/// and is an error where the record has none; a column the record lacks is ignored; a value that does not parse is a
/// one-line error naming the file, line, column, value and, for a closed set, the allowed spellings.
/// </summary>
public static class Csv
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write<T>(string path, IEnumerable<T> rows) => Files.WriteTextAtomic(path, Format(rows));

    public static List<T> Read<T>(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"table '{path}' does not exist", path);
        return Parse<T>(File.ReadAllText(path), $"table '{path}'");
    }

    /// <summary>The CSV text of <paramref name="rows"/>: a header line, then one line per row, each ending in "\n".</summary>
    public static string Format<T>(IEnumerable<T> rows)
    {
        var map = Map.Of(typeof(T));
        var text = new StringBuilder();
        text.AppendJoin(',', map.Columns.Select(c => Field(c.Name))).Append('\n');
        foreach (var row in rows)
        {
            for (int c = 0; c < map.Columns.Count; c++)
            {
                if (c > 0) text.Append(',');
                text.Append(map.Columns[c].Format(map.Columns[c].Property.GetValue(row)));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The rows of CSV <paramref name="text"/>; <paramref name="source"/> names it in errors ("table 'x.csv'").</summary>
    public static List<T> Parse<T>(string text, string source = "the table")
    {
        var map = Map.Of(typeof(T));
        var records = Records(text, source);
        if (records.Count == 0) throw new InvalidDataException($"{source} is empty");
        var header = records[0].Fields;
        var index = header.Select((name, i) => (name, i)).GroupBy(x => x.name).ToDictionary(g => g.Key, g => g.First().i);
        foreach (var column in map.Columns.Where(c => c.Required && !index.ContainsKey(c.Name)))
            throw new InvalidDataException($"{source} has no column '{column.Name}' for {typeof(T).Name}.{column.Property.Name} (it has {string.Join(", ", header)})");
        var rows = new List<T>(records.Count - 1);
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Length != header.Length)
                throw new InvalidDataException($"{source} line {line} has {fields.Length} fields, its header {header.Length}");
            rows.Add((T)map.Create(column =>
            {
                if (!index.TryGetValue(column.Name, out int i)) return Missing.Value;
                try { return column.Parse(fields[i]); }
                catch (FormatException e) { throw new InvalidDataException($"{source} line {line}, column '{column.Name}': {e.Message}", e); }
            }));
        }
        return rows;
    }

    /// <summary>The column name of a property: its name in snake_case.</summary>
    public static string ColumnName(PropertyInfo property) => JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);

    /// <summary>
    /// How an enum value is written: its <see cref="JsonStringEnumMemberNameAttribute"/> ("below at start") where it has
    /// one, else its name in snake_case ("finished").
    /// </summary>
    public static string Spelling(Enum value)
    {
        var name = value.ToString();
        var member = value.GetType().GetField(name, BindingFlags.Public | BindingFlags.Static);
        return member?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }

    // A field as the file holds it: quoted (quotes doubled) when it holds the separator, a quote or a line break.
    static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";

    /// <summary>The records of a CSV text with the line each starts on; quoted fields may hold separators and line breaks. Blank lines are skipped.</summary>
    static List<(int Line, string[] Fields)> Records(string text, string source)
    {
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        int line = 1, start = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
                continue;
            }
            switch (c)
            {
                case '"': quoted = any = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    if (any || field.Length > 0) { fields.Add(field.ToString()); records.Add((start, fields.ToArray())); }
                    fields.Clear(); field.Clear(); any = false; start = ++line;
                    break;
                default: field.Append(c); any = true; break;
            }
        }
        if (quoted) throw new InvalidDataException($"{source} ends inside a quoted field (line {start})");
        if (any || field.Length > 0) { fields.Add(field.ToString()); records.Add((start, fields.ToArray())); }
        return records;
    }

    /// <summary>
    /// The properties that hold a record's data, in declaration order: its constructor parameters and init properties
    /// (a computed property is not data). The columns of its CSV file and of its display table.
    /// </summary>
    public static IReadOnlyList<PropertyInfo> DataProperties(Type type) => Shape(type).Properties;

    static (ConstructorInfo? Ctor, ParameterInfo[] Parameters, List<PropertyInfo> ByParameter, List<PropertyInfo> Properties) Shape(Type type)
    {
        var all = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();
        // The primary constructor: the public one with the most parameters, each naming a property.
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        var parameters = ctor?.GetParameters() ?? [];
        var byParameter = parameters.Select(p => all.FirstOrDefault(x => string.Equals(x.Name, p.Name, StringComparison.OrdinalIgnoreCase))
            ?? throw new NotSupportedException($"{type.Name}'s constructor parameter '{p.Name}' names no property")).ToList();
        return (ctor, parameters, byParameter, all.Where(p => byParameter.Contains(p) || p.SetMethod is { IsPublic: true }).ToList());
    }

    /// <summary>One column: its property, name, text form both ways, and whether a file must have it.</summary>
    sealed record Column(PropertyInfo Property, string Name, Func<object?, string> Format, Func<string, object?> Parse, bool Required);

    /// <summary>How a record type maps onto columns and back, worked out once per type.</summary>
    sealed class Map
    {
        static readonly ConcurrentDictionary<Type, Map> Maps = new();

        public required IReadOnlyList<Column> Columns { get; init; }
        public required Func<Func<Column, object?>, object> Create { get; init; }

        public static Map Of(Type type) => Maps.GetOrAdd(type, Build);

        static Map Build(Type type)
        {
            var (ctor, parameters, byParameter, properties) = Shape(type);
            if (ctor is null) throw new NotSupportedException($"{type.Name} has no public constructor to read rows with");
            var columns = properties.Select(p =>
            {
                int at = byParameter.IndexOf(p);
                // Optional: a constructor parameter with a default, or a property set after construction (init).
                bool required = at >= 0 && !parameters[at].HasDefaultValue;
                var (format, parse) = Text(p.PropertyType, type);
                return new Column(p, ColumnName(p), format, parse, required);
            }).ToList();
            var ofParameter = byParameter.Select(p => columns.First(c => c.Property == p)).ToArray();
            var settable = columns.Where(c => !byParameter.Contains(c.Property) && c.Property.SetMethod is { IsPublic: true }).ToList();
            return new Map
            {
                Columns = columns,
                Create = value =>
                {
                    var args = new object?[parameters.Length];
                    for (int i = 0; i < args.Length; i++)
                        args[i] = value(ofParameter[i]) is var v && v == Missing.Value ? parameters[i].DefaultValue : v;
                    var row = ctor.Invoke(args);
                    foreach (var c in settable)
                        if (value(c) is var v && v != Missing.Value) c.Property.SetValue(row, v);
                    return row;
                },
            };
        }

        /// <summary>The text form of a column's type, both ways.</summary>
        static (Func<object?, string> Format, Func<string, object?> Parse) Text(Type t, Type record)
        {
            if (t == typeof(string)) return (v => Field((string?)v ?? ""), s => s);
            if (t == typeof(double))
                return (v => ((double)v!).ToString("G17", Inv),
                        s => s.Length == 0 ? double.NaN
                            : double.TryParse(s, NumberStyles.Float, Inv, out var d) ? d : throw new FormatException($"'{s}' is not a number"));
            if (t == typeof(int))
                return (v => ((int)v!).ToString(Inv),
                        s => int.TryParse(s, NumberStyles.Integer, Inv, out var i) ? i : throw new FormatException($"'{s}' is not a whole number"));
            if (t == typeof(long))
                return (v => ((long)v!).ToString(Inv),
                        s => long.TryParse(s, NumberStyles.Integer, Inv, out var l) ? l : throw new FormatException($"'{s}' is not a whole number"));
            if (t == typeof(bool))
                return (v => (bool)v! ? "True" : "False",
                        s => s.ToLowerInvariant() switch
                        {
                            "true" or "1" => true,
                            "false" or "0" => false,
                            _ => throw new FormatException($"'{s}' is not True or False"),
                        });
            if (t.IsEnum)
            {
                var spellings = Enum.GetValues(t).Cast<Enum>().ToDictionary(e => Spelling(e), e => (object)e, StringComparer.Ordinal);
                return (v => Field(Spelling((Enum)v!)),
                        s => spellings.TryGetValue(s, out var e) ? e
                            : throw new FormatException($"unknown {t.Name} '{s}': allowed are {string.Join(", ", spellings.Keys)}"));
            }
            var parsable = t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IParsable<>) && i.GetGenericArguments()[0] == t);
            if (parsable is not null)
            {
                var parse = t.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(IFormatProvider)])!;
                return (v => Field(Convert.ToString(v, Inv) ?? ""),
                        s =>
                        {
                            try { return parse.Invoke(null, [s, Inv]); }
                            catch (TargetInvocationException e) when (e.InnerException is FormatException f) { throw f; }
                        });
            }
            throw new NotSupportedException($"{record.Name}: a column of type {t.Name} has no CSV form (string, double, int, long, bool, an enum or an IParsable type)");
        }
    }
}
