namespace Warmstart.Reporting;

// Axes: titles with units, log axes with readable ticks, log ranges.
public static partial class Figures
{
    /// <summary>An axis: title (with its unit), linear or log, and on log axes readable ticks (the given values, or 1-2-5 steps).</summary>
    static Dictionary<string, object> Axis(string title, bool log = false, IEnumerable<double>? tickValues = null)
    {
        var axis = Obj(("title", Obj(("text", title))), ("type", log ? "log" : "linear"), ("automargin", true));
        if (log)
        {
            var values = (tickValues ?? []).Where(v => v > 0 && double.IsFinite(v)).Select(v => Math.Round(v, 6)).Distinct().OrderBy(v => v)
                .ToArray();
            if (values.Length is > 0 and <= 10 && values.Zip(values.Skip(1)).All(p => p.Second / p.First > 1.25)) { }
            else if (values.Length > 0) values = LogTicks(values.Min(), values.Max());
            if (values.Length > 0)
            {
                axis["tickmode"] = "array";
                axis["tickvals"] = values;
                axis["ticktext"] = values.Select(v => Fmt(v)).ToArray();
            }
        }
        return axis;
    }

    /// <summary>
    /// Round ticks for a log axis over [lo, hi]: 1-2-5 steps, or finer steps (1, 1.5, 2, 3, …, then 1.2, 1.5, …) where the range
    /// spans less than a decade and 1-2-5 would leave fewer than three ticks.
    /// </summary>
    static double[] LogTicks(double lo, double hi)
    {
        double[][] steps = [[1, 2, 5], [1, 1.5, 2, 3, 5, 7], [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8]];
        double[] ticks = [];
        foreach (var mantissas in steps)
        {
            var found = new List<double>();
            for (int k = (int)Math.Floor(Math.Log10(lo)) - 1; k <= (int)Math.Ceiling(Math.Log10(hi)); k++)
                foreach (var m in mantissas)
                {
                    double v = Math.Round(m * Math.Pow(10, k), 10);
                    if (v >= lo && v <= hi) found.Add(v);
                }
            ticks = found.ToArray();
            if (ticks.Length >= 3) break;
        }
        return ticks;
    }

    /// <summary>A log axis range (log₁₀ units, as plotly wants) around the values with a margin.</summary>
    static double[] LogRange(double lo, double hi, double margin = 1.15) => [Math.Log10(lo / margin), Math.Log10(hi * margin)];

    static string AxisTitle(Dictionary<string, object> axis) =>
        axis.TryGetValue("title", out var t) && t is Dictionary<string, object> d && d.TryGetValue("text", out var s) ? s as string ?? "" : "";
}
