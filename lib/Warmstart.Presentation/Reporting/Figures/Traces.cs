using Plotly.NET;
using Warmstart.Training;
using CS = Plotly.NET.CSharp;

namespace Warmstart.Reporting;

// Traces: scatter series in plotly.js attributes, legend-only keys, reference lines, and combining them into one chart.
public static partial class Figures
{
    /// <summary>
    /// A scatter trace from plotly.js attributes (mode "lines", "markers", "lines+markers" or with "+text").
    /// With <paramref name="method"/> the trace is that method's: colour, dash and symbol default to its palette
    /// style and the trace's meta names the method (the figure tests read it); <paramref name="style"/> gives a series
    /// that is not a method its palette style. <paramref name="panel"/> 0 is the first subplot.
    /// </summary>
    static GenericChart Scatter(IEnumerable<double> x, IEnumerable<double> y, string name, string? color = null, string mode = "lines+markers",
        string? dash = null, string? symbol = null, int size = 7, bool legend = true, string? group = null, double[]? errorY = null,
        string[]? text = null, string? hover = null, double width = 2, string? markerLine = null, double[]? errorYMinus = null,
        int panel = 0, Method? method = null, double opacity = 1, string? textPosition = null, SeriesStyle? style = null)
    {
        style ??= method is null ? null : Palette.Of(method);
        color ??= style?.Color ?? Palette.Neutral;
        dash ??= style?.Dash ?? "solid";
        symbol ??= style?.Symbol ?? "circle";
        var trace = new Trace2D("scatter");
        trace.SetProperty("x", x.ToArray());
        trace.SetProperty("y", y.ToArray());
        trace.SetProperty("name", name);
        trace.SetProperty("mode", mode);
        trace.SetProperty("showlegend", legend);
        if (group is not null) trace.SetProperty("legendgroup", group);
        trace.SetProperty("line", Obj(("color", color), ("dash", dash), ("width", width)));
        trace.SetProperty("marker", Obj(("color", color), ("symbol", symbol), ("size", size),
            ("line", markerLine is null ? null : Obj(("color", markerLine), ("width", 1)))));
        if (errorY is not null && errorY.Any(double.IsFinite))
            trace.SetProperty("error_y", errorYMinus is null
                ? Obj(("type", "data"), ("array", errorY), ("visible", true), ("color", color), ("thickness", 1.5), ("width", 5))
                : Obj(("type", "data"), ("symmetric", false), ("array", errorY), ("arrayminus", errorYMinus), ("visible", true), ("color", color),
                    ("thickness", 1.5), ("width", 5)));
        if (text is not null) trace.SetProperty("text", text);
        if (textPosition is not null)
        {
            trace.SetProperty("textposition", textPosition);
            trace.SetProperty("textfont", Obj(("color", color), ("size", 12)));
        }
        if (hover is not null) trace.SetProperty("hovertemplate", hover);
        if (panel > 0)
        {
            trace.SetProperty("xaxis", "x" + (panel + 1));
            trace.SetProperty("yaxis", "y" + (panel + 1));
        }
        if (method is not null) trace.SetProperty("meta", Obj(("method", method.Spelling)));
        if (opacity < 1) trace.SetProperty("opacity", opacity);
        return GenericChart.ofTraceObject(true, trace);
    }

    /// <summary>A legend entry only (nothing drawn): one key for a family of traces drawn without their own entries.</summary>
    static GenericChart Key(string name, string mode, string dash = "solid", string symbol = "circle", int size = 7, string? group = null,
        double opacity = 1) =>
        Scatter([double.NaN], [double.NaN], name, Palette.Neutral, mode, dash, symbol, size, legend: true, group: group,
            markerLine: mode == "markers" && !symbol.EndsWith("-open", StringComparison.Ordinal) ? Ink : null, opacity: opacity);

    /// <summary>A horizontal reference line (zero, break-even, a reference loss) across [x0, x1] of a panel.</summary>
    static GenericChart Reference(double x0, double x1, double y, string name, string dash, bool legend, string color = Palette.Neutral,
        int panel = 0, string group = "reference", double width = 1.5) =>
        Scatter([x0, x1], [y, y], name, color, "lines", dash, width: width, legend: legend, group: group, panel: panel,
            hover: $"{System.Net.WebUtility.HtmlEncode(name)}<extra></extra>");

    /// <summary>A legend entry for a method, in its style: the method's traces are drawn without entries of their own.</summary>
    static GenericChart MethodKey(Method method, string mode = "lines+markers") =>
        Scatter([double.NaN], [double.NaN], method.Spelling, mode: mode, method: method, group: method.Spelling, legend: true);

    /// <summary>Combines traces; an empty figure (nothing finished yet) gets one empty trace instead of failing.</summary>
    static GenericChart Combine(List<GenericChart> charts) =>
        CS.Chart.Combine(charts.Count > 0 ? charts : [Scatter([], [], "no data yet", Palette.Neutral, "lines")]);
}
