using System.Globalization;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Training;
using CS = Plotly.NET.CSharp;

namespace Warmstart.Reporting;

/// <summary>
/// One function per figure of the paper (docs/research.md, "The analyses"), each drawing from the rows an analysis returns.
/// Charts are Plotly.NET GenericCharts built from plain plotly.js attributes: notebooks display them inline, sized
/// to their container; <see cref="SaveStandalone"/> writes an HTML page that works offline (plotly.js inline, or
/// one shared <c>plotly.min.js</c> beside the pages), and <see cref="ChartRenderer"/> turns pages into PNGs.
/// Conventions: every method is drawn in its <see cref="Palette"/> style; titles are one line and what a reader
/// needs to read the figure is its <see cref="Caption"/> (printed under it, never inside the plot); every axis
/// names its unit; legends sit below the plot; censored values (a speedup known only to be ≥ or &lt; a bound) are
/// drawn with their own marker and a "≥"/"&lt;" label; log-g axes label the g values themselves; error bars only
/// where at least two seeds contribute.
/// </summary>
public static class Figures
{
    const string Ink = "#333333";

    static string Fmt(double v, int significant = 3) => Numbers.Number(v, significant);

    static FSharpOption<T> None<T>() => FSharpOption<T>.None;

    static Dictionary<string, object> Obj(params (string Key, object? Value)[] entries) =>
        entries.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!);

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
                : Obj(("type", "data"), ("symmetric", false), ("array", errorY), ("arrayminus", errorYMinus), ("visible", true), ("color", color), ("thickness", 1.5), ("width", 5)));
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
    static GenericChart Key(string name, string mode, string dash = "solid", string symbol = "circle", int size = 7, string? group = null, double opacity = 1) =>
        Scatter([double.NaN], [double.NaN], name, Palette.Neutral, mode, dash, symbol, size, legend: true, group: group,
            markerLine: mode == "markers" && !symbol.EndsWith("-open", StringComparison.Ordinal) ? Ink : null, opacity: opacity);

    /// <summary>A horizontal reference line (zero, break-even, a reference loss) across [x0, x1] of a panel.</summary>
    static GenericChart Reference(double x0, double x1, double y, string name, string dash, bool legend, string color = Palette.Neutral, int panel = 0,
        string group = "reference", double width = 1.5) =>
        Scatter([x0, x1], [y, y], name, color, "lines", dash, width: width, legend: legend, group: group, panel: panel,
            hover: $"{System.Net.WebUtility.HtmlEncode(name)}<extra></extra>");

    /// <summary>An axis: title (with its unit), linear or log, and on log axes readable ticks (the given values, or 1-2-5 steps).</summary>
    static Dictionary<string, object> Axis(string title, bool log = false, IEnumerable<double>? tickValues = null)
    {
        var axis = Obj(("title", Obj(("text", title))), ("type", log ? "log" : "linear"), ("automargin", true));
        if (log)
        {
            var values = (tickValues ?? []).Where(v => v > 0 && double.IsFinite(v)).Select(v => Math.Round(v, 6)).Distinct().OrderBy(v => v).ToArray();
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

    /// <summary>One subplot: its axes and, in a figure of several, a short title over it.</summary>
    sealed record Panel(Dictionary<string, object> X, Dictionary<string, object> Y, string? Title = null);

    /// <summary>The name of the annotation that carries a grid's shared axis title ("shared axis title x" or "… y").</summary>
    public const string SharedTitle = "shared axis title ";

    static string AxisTitle(Dictionary<string, object> axis) =>
        axis.TryGetValue("title", out var t) && t is Dictionary<string, object> d && d.TryGetValue("text", out var s) ? s as string ?? "" : "";

    /// <summary>
    /// Title (one line), axes and legend (below the plot, horizontal, so that it never scrolls and the static PNG
    /// shows every entry); the caption is kept in the layout's meta for <see cref="Caption"/>. Several panels are laid
    /// out on a grid of <paramref name="columns"/> (a null panel leaves its cell empty); an axis title shared by a
    /// row or column is written once, on the left column and the bottom row. No fixed size: charts fill their container.
    /// </summary>
    static GenericChart Finish(GenericChart chart, string title, IReadOnlyList<Panel?> panels, IEnumerable<string>? caption = null,
        int columns = 0, Dictionary<string, object>? legend = null, Dictionary<string, object>? extra = null)
    {
        if (title.Contains('\n') || title.Contains("<br", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"a figure title is one line; put the explanation in the caption: '{title}'", nameof(title));
        var layout = new Layout();
        bool titled = panels.Any(p => p?.Title is not null);
        // Above the plot area, growing the top margin as needed (plotly's title.automargin); panel titles need room.
        layout.SetProperty("title", Obj(("text", System.Net.WebUtility.HtmlEncode(title)), ("x", 0), ("xref", "paper"), ("xanchor", "left"), ("y", 1),
            ("yref", "paper"), ("yanchor", "bottom"), ("automargin", true), ("pad", Obj(("b", titled ? 26 : 10))), ("font", Obj(("size", 17)))));
        layout.SetProperty("autosize", true);
        int cols = columns > 0 ? columns : Math.Min(panels.Count, 3);
        int rows = (panels.Count + cols - 1) / cols;
        var present = panels.Where(p => p is not null).Select(p => p!).ToList();
        bool sharedX = present.Select(p => AxisTitle(p.X)).Distinct().Count() == 1, sharedY = present.Select(p => AxisTitle(p.Y)).Distinct().Count() == 1;
        // Panels with y titles of their own need the room for them between the columns.
        double hGap = cols > 1 ? (sharedY ? 0.08 : 0.13) : 0, vGap = rows > 1 ? (titled ? 0.17 : 0.12) : 0;
        double width = (1 - (cols - 1) * hGap) / cols, height = (1 - (rows - 1) * vGap) / rows;
        // Room for a grid's shared titles, which (being annotations) do not push the margins themselves.
        layout.SetProperty("margin", Obj(("t", 30), ("r", 20), ("b", panels.Count > 1 && sharedX && cols > 1 ? 60 : 30), ("l", panels.Count > 1 && sharedY && rows > 1 ? 80 : 60)));
        var annotations = new List<object>();
        for (int k = 0; k < panels.Count; k++)
        {
            if (panels[k] is not { } panel) continue;
            var x = new Dictionary<string, object>(panel.X);
            var y = new Dictionary<string, object>(panel.Y);
            if (panels.Count > 1)
            {
                int row = k / cols, col = k % cols;
                double[] xDomain = [col * (width + hGap), col * (width + hGap) + width];
                double[] yDomain = [1 - row * (height + vGap) - height, 1 - row * (height + vGap)];
                x["domain"] = xDomain;
                y["domain"] = yDomain;
                x["anchor"] = "y" + (k == 0 ? "" : (k + 1).ToString(CultureInfo.InvariantCulture));
                y["anchor"] = "x" + (k == 0 ? "" : (k + 1).ToString(CultureInfo.InvariantCulture));
                // A title shared by several panels is written once, centred on the grid (a panel is too small for it).
                if (sharedX && cols > 1) x["title"] = Obj(("text", ""));
                if (sharedY && rows > 1) y["title"] = Obj(("text", ""));
                else if (sharedY && col > 0) y["title"] = Obj(("text", ""));
                if (panel.Title is not null)
                    annotations.Add(Obj(("text", System.Net.WebUtility.HtmlEncode(panel.Title)), ("x", (xDomain[0] + xDomain[1]) / 2), ("y", yDomain[1]),
                        ("xref", "paper"), ("yref", "paper"), ("xanchor", "center"), ("yanchor", "bottom"), ("showarrow", false), ("font", Obj(("size", 13)))));
            }
            string suffix = k == 0 ? "" : (k + 1).ToString(CultureInfo.InvariantCulture);
            layout.SetProperty("xaxis" + suffix, x);
            layout.SetProperty("yaxis" + suffix, y);
        }
        bool xOnce = panels.Count > 1 && sharedX && cols > 1, yOnce = panels.Count > 1 && sharedY && rows > 1;
        if (xOnce)
            annotations.Add(Obj(("name", SharedTitle + "x"), ("text", AxisTitle(present[0].X)), ("x", 0.5), ("y", 0), ("xref", "paper"), ("yref", "paper"),
                ("xanchor", "center"), ("yanchor", "top"), ("yshift", -24), ("showarrow", false), ("font", Obj(("size", 14)))));
        if (yOnce)
            annotations.Add(Obj(("name", SharedTitle + "y"), ("text", AxisTitle(present[0].Y)), ("x", 0), ("y", 0.5), ("xref", "paper"), ("yref", "paper"),
                ("xanchor", "right"), ("yanchor", "middle"), ("xshift", -40), ("textangle", -90), ("showarrow", false), ("font", Obj(("size", 14)))));
        if (annotations.Count > 0) layout.SetProperty("annotations", annotations);
        // Below the plot, anchored to the bottom of the whole figure (yref container), so that axis titles of any
        // length never collide with it; plotly grows the bottom margin to fit its rows.
        layout.SetProperty("legend", legend ?? Obj(("orientation", "h"), ("x", 0), ("xanchor", "left"), ("xref", "paper"),
            ("y", 0), ("yanchor", "bottom"), ("yref", "container"), ("bgcolor", "rgba(255,255,255,0)")));
        layout.SetProperty("hovermode", "closest");
        var text = string.Join(" ", (caption ?? []).Where(c => c.Length > 0));
        if (text.Length > 0) layout.SetProperty("meta", Obj(("caption", text)));
        foreach (var (key, value) in extra ?? []) layout.SetProperty(key, value);
        return Responsive(Plotly.NET.Chart.withLayout(layout).Invoke(chart));
    }

    /// <summary>
    /// A figure with nothing to draw says so in one line — in the middle of its empty plot and as its caption — instead
    /// of failing on an empty axis: a notebook shows why, and the cells after it still run.
    /// </summary>
    public static GenericChart NothingToPlot(string title, string reason)
    {
        string text = $"Nothing to plot: {reason}.";
        var hidden = Obj(("visible", false));
        var note = Obj(("text", System.Net.WebUtility.HtmlEncode(text)), ("x", 0.5), ("y", 0.5), ("xref", "paper"), ("yref", "paper"),
            ("showarrow", false), ("font", Obj(("size", 14), ("color", Ink))));
        return Finish(Combine([]), title, hidden, hidden, [text], extra: new Dictionary<string, object> { ["annotations"] = new[] { note } });
    }

    /// <summary>The sentence a caption adds when rows with a non-finite value were left out ("" when none were).</summary>
    static string LeftOut(int count, string what) => count == 0 ? "" : $"{count} {what} with a non-finite loss (NaN or ∞: a diverged or unfinished run) left out.";

    /// <summary>A figure of one panel.</summary>
    static GenericChart Finish(GenericChart chart, string title, Dictionary<string, object> xAxis, Dictionary<string, object> yAxis,
        IEnumerable<string>? caption = null, Dictionary<string, object>? legend = null, Dictionary<string, object>? extra = null) =>
        Finish(chart, title, [new Panel(xAxis, yAxis)], caption, legend: legend, extra: extra);

    /// <summary>
    /// What a reader needs to read the figure (what is measured, what the marks mean, what is left out and why),
    /// to print under it: notebooks show it below the chart, the report's pages below the plot. Empty when none.
    /// </summary>
    public static string Caption(GenericChart chart)
    {
        var meta = GenericChart.getLayout(chart).TryGetPropertyValue("meta");
        return FSharpOption<object>.get_IsSome(meta) && meta.Value is IDictionary<string, object> d && d.TryGetValue("caption", out var caption)
            ? caption as string ?? "" : "";
    }

    /// <summary>Drops Plotly.NET's default 600 × 600 px so the chart takes its container's size.</summary>
    static GenericChart Responsive(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        layout.RemoveProperty("width");
        layout.RemoveProperty("height");
        return chart;
    }

    /// <summary>Combines traces; an empty figure (nothing finished yet) gets one empty trace instead of failing.</summary>
    static GenericChart Combine(List<GenericChart> charts) =>
        CS.Chart.Combine(charts.Count > 0 ? charts : [Scatter([], [], "no data yet", Palette.Neutral, "lines")]);

    static string List(IEnumerable<double> gs) => string.Join(", ", gs.Select(v => Fmt(v)));

    /// <summary>A model label without its size details ("L2-H8x8 (d64, 0.133M)" → "L2-H8x8"), for panel titles.</summary>
    static string ShortModel(string model) => model.Split(" (")[0];

    /// <summary>"20 tokens per parameter", or samples for MLPs.</summary>
    static string Budget(string model, double tpp) => $"{tpp:0.#} {Units.Data([model])} per parameter";

    /// <summary>Methods in the order the palette lists them (scratch first).</summary>
    static IEnumerable<Method> InReadingOrder(IEnumerable<Method> methods)
    {
        var known = Palette.KnownMethods.ToList();
        return methods.Distinct().OrderBy(known.IndexOf);
    }

    /// <summary>A legend entry for a method, in its style: the method's traces are drawn without entries of their own.</summary>
    static GenericChart MethodKey(Method method, string mode = "lines+markers") =>
        Scatter([double.NaN], [double.NaN], method.Spelling, mode: mode, method: method, group: method.Spelling, legend: true);

    /// <summary>The title of a (target, budget) panel: only what differs between the figure's panels.</summary>
    static string CellTitle(string model, double tpp, bool severalModels, bool severalBudgets) =>
        string.Join(", ", new[] { severalModels ? ShortModel(model) : null, severalBudgets ? Budget(model, tpp) : null }.OfType<string>());

    /// <summary>Columns of a panel grid: one row up to three panels, two by two for four, then rows of three.</summary>
    static int GridColumns(int panels) => panels == 4 ? 2 : Math.Min(panels, 3);

    /// <summary>A log axis range (log₁₀ units, as plotly wants) around the values with a margin.</summary>
    static double[] LogRange(double lo, double hi, double margin = 1.15) => [Math.Log10(lo / margin), Math.Log10(hi * margin)];

    /// <summary>
    /// Speedup (scratch ÷ warm, tokens to reach scratch's final loss) against g on log axes, one panel per target and
    /// budget. Exact values (every seed reached the target): the geometric mean with its interval, a line per method.
    /// Censored values get their own marker and label: ▲ "≥ x" for a lower bound (a seed already below the target at
    /// its first evaluation), ▼ "&lt; x" for an upper bound (the median seed never reached it), ○ the median where the
    /// mean is not estimable. Faded open markers: the base's training compute counted too. The caption says what is
    /// not drawn and why.
    /// </summary>
    public static GenericChart SpeedupVsG(IReadOnlyList<SpeedupSummaryRow> summary)
    {
        if (summary.Count == 0) return NothingToPlot("Speedup vs growth factor", "no grown run with a scratch run of its target to compare");
        // Index-aligned columns: the drawing below picks rows by index.
        int n = summary.Count;
        double[] Column(Func<SpeedupSummaryRow, double> value) => summary.Select(value).ToArray();
        var methods = summary.Select(r => r.Method).ToArray();
        var models = summary.Select(r => r.Model).ToArray();
        var (g, tpp, runs, reached) = (Column(r => r.G), Column(r => r.Tpp), Column(r => r.Runs), Column(r => r.Reached));
        var (mean, std, withBase, withBaseStd) = (Column(r => r.SpeedupMean), Column(r => r.SpeedupStd), Column(r => r.SpeedupWithBaseMean), Column(r => r.SpeedupWithBaseStd));
        var (lo, hi, bLo, bHi) = (Column(r => r.SpeedupLo), Column(r => r.SpeedupHi), Column(r => r.SpeedupWithBaseLo), Column(r => r.SpeedupWithBaseHi));
        var median = Column(r => r.SpeedupMedian);
        var kind = summary.Select(r => r.SpeedupKind).ToArray();
        var medianKind = summary.Select(r => r.SpeedupMedianKind).ToArray();
        string unit = Units.Data(models);
        // Interval bars (asymmetric) where the rows carry a finite interval, else std bars where ≥ 2 seeds reached.
        double[]? Up(int[] rows, double[] m, double[] h, double[] l, double[] spread) => rows.Any(i => double.IsFinite(l[i]))
            ? rows.Select(i => double.IsFinite(h[i]) ? h[i] - m[i] : double.NaN).ToArray()
            : rows.Select(i => reached[i] >= 2 && double.IsFinite(spread[i]) ? spread[i] : double.NaN).ToArray();
        double[]? Down(int[] rows, double[] m, double[] l) => rows.Any(i => double.IsFinite(l[i])) ? rows.Select(i => double.IsFinite(l[i]) ? m[i] - l[i] : double.NaN).ToArray() : null;

        var cells = Enumerable.Range(0, n).Select(i => (Model: models[i], Tpp: tpp[i])).Distinct()
            .OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Tpp).ToList();
        bool severalModels = cells.Select(c => c.Model).Distinct().Count() > 1, severalBudgets = cells.Select(c => c.Tpp).Distinct().Count() > 1;
        var charts = new List<GenericChart>();
        var notes = new List<string>();
        var panels = new List<Panel?>();
        var plotted = new List<double>();
        bool anyBase = false;
        var signs = new HashSet<string>();
        var drawnMethods = new HashSet<Method>();
        var bounds = new List<(string Sign, double Value)>();
        // Two methods with the same bound at the same g share one label: side by side, two labels would overprint.
        var labelled = new HashSet<(int Panel, double G, string Text)>();
        for (int p = 0; p < cells.Count; p++)
        {
            var cell = cells[p];
            var inCell = Enumerable.Range(0, n).Where(i => models[i] == cell.Model && tpp[i] == cell.Tpp).ToArray();
            string where = cells.Count > 1 ? $" ({CellTitle(cell.Model, cell.Tpp, severalModels, severalBudgets)})" : "";
            // Methods sit side by side around each g (6 % apart on the log axis) so that bounds at the same value stay apart.
            var present = InReadingOrder(inCell.Where(i => double.IsFinite(mean[i]) || double.IsFinite(median[i])).Select(i => methods[i])).ToList();
            foreach (var method in InReadingOrder(inCell.Select(i => methods[i])))
            {
                double shift = present.Count > 1 ? Math.Pow(1.06, present.IndexOf(method) - (present.Count - 1) / 2.0) : 1;
                var idx = inCell.Where(i => methods[i] == method).OrderBy(i => g[i]).ToArray();
                var exact = idx.Where(i => double.IsFinite(mean[i]) && kind[i] == SpeedupEstimate.GeometricMean).ToArray();
                var censored = idx.Select(i => (Row: i, Value: kind[i] == SpeedupEstimate.LowerBound ? mean[i] : kind[i] == SpeedupEstimate.NotEstimable ? median[i] : double.NaN,
                        Sign: kind[i] == SpeedupEstimate.LowerBound ? "≥" : medianKind[i] switch { MedianKind.UpperBound => "<", MedianKind.LowerBound => "≥", _ => "median" }))
                    .Where(c => double.IsFinite(c.Value) && kind[c.Row] is SpeedupEstimate.LowerBound or SpeedupEstimate.NotEstimable).ToList();
                var left = idx.Except(exact).Except(censored.Select(c => c.Row)).ToArray();
                var atInit = left.Where(i => double.IsPositiveInfinity(mean[i])).Select(i => g[i]).ToArray();
                var never = left.Where(i => reached[i] == 0).Select(i => g[i]).ToArray();
                var some = left.Where(i => reached[i] > 0 && !double.IsPositiveInfinity(mean[i])).ToArray();
                if (atInit.Length > 0) notes.Add($"{method}{where}: already below scratch's final loss right after growth at g = {List(atInit)} (speedup unbounded); not drawn.");
                if (never.Length > 0) notes.Add($"{method}{where}: never reached scratch's final loss at g = {List(never)}; not drawn.");
                if (some.Length > 0)
                    notes.Add($"{method}{where}: speedup not estimable (some seeds did not reach scratch's final loss) — " +
                              string.Join(", ", some.Select(i => $"{reached[i]:0} of {runs[i]:0} at g = {Fmt(g[i])}")) + "; not drawn.");
                if (exact.Length > 0 || censored.Count > 0) drawnMethods.Add(method);
                if (exact.Length > 0)
                {
                    var up = Up(exact, mean, hi, lo, std);
                    var down = Down(exact, mean, lo);
                    charts.Add(Scatter(exact.Select(i => g[i] * shift), exact.Select(i => mean[i]), method + where, method: method, legend: false, group: method.Spelling, panel: p,
                        errorY: up, errorYMinus: down, text: exact.Select(i => $"{reached[i]:0} of {runs[i]:0} seeds reached the target").ToArray(),
                        hover: "%{fullData.name}<br>g = %{x:.3g}<br>speedup %{y:.3g}<br>%{text}<extra></extra>"));
                    plotted.AddRange(exact.Select((i, j) => mean[i] + (up is not null && double.IsFinite(up[j]) ? up[j] : 0)));
                    plotted.AddRange(exact.Select((i, j) => mean[i] - ((down ?? up) is { } d && double.IsFinite(d[j]) ? d[j] : 0)));
                }
                foreach (var sign in censored.GroupBy(c => c.Sign))
                {
                    signs.Add(sign.Key);
                    var marks = sign.ToList();
                    string symbol = sign.Key switch { "≥" => "triangle-up", "<" => "triangle-down", _ => "circle-open" };
                    charts.Add(Scatter(marks.Select(c => g[c.Row] * shift), marks.Select(c => c.Value),
                        sign.Key == "median" ? $"{method}{where}: median (mean not estimable)" : $"{method}{where}: {(sign.Key == "≥" ? "lower" : "upper")} bound ({sign.Key})",
                        mode: sign.Key == "median" ? "markers" : "markers+text", method: method, symbol: symbol, size: 12, legend: false, group: method.Spelling, panel: p,
                        text: marks.Select(c => sign.Key == "median" || !labelled.Add((p, g[c.Row], $"{sign.Key} {Fmt(c.Value, 2)}")) ? "" : $"{sign.Key} {Fmt(c.Value, 2)}").ToArray(), textPosition: sign.Key == "<" ? "bottom center" : "top center",
                        hover: "%{fullData.name}<br>g = %{x:.3g}<br>speedup %{y:.3g}<extra></extra>"));
                    plotted.AddRange(marks.Select(c => c.Value));
                    if (sign.Key != "median") bounds.AddRange(marks.Select(c => (sign.Key, c.Value)));
                }
                // The base's compute: exact values and lower bounds carry over (a lower bound stays one).
                var withBaseRows = exact.Concat(censored.Where(c => kind[c.Row] == SpeedupEstimate.LowerBound).Select(c => c.Row)).Where(i => double.IsFinite(withBase[i])).OrderBy(i => g[i]).ToArray();
                if (withBaseRows.Length > 0)
                {
                    anyBase = true;
                    var bounded = withBaseRows.Where(i => kind[i] == SpeedupEstimate.LowerBound).ToArray();
                    var exactBase = withBaseRows.Except(bounded).ToArray();
                    // Drawn 2.5 % to the right of the method's point so that the two sets of error bars do not sit on each other.
                    if (exactBase.Length > 0)
                        charts.Add(Scatter(exactBase.Select(i => g[i] * shift * 1.025), exactBase.Select(i => withBase[i]), $"{method}{where}, base compute included", method: method,
                            symbol: "circle-open", size: 8, opacity: 0.5, legend: false, group: method.Spelling, panel: p,
                            errorY: Up(exactBase, withBase, bHi, bLo, withBaseStd), errorYMinus: Down(exactBase, withBase, bLo),
                            hover: "%{fullData.name}<br>speedup %{y:.3g}<extra></extra>"));
                    if (bounded.Length > 0)
                        charts.Add(Scatter(bounded.Select(i => g[i] * shift * 1.025), bounded.Select(i => withBase[i]), $"{method}{where}, base compute included: lower bound (≥)",
                            mode: "markers+text", method: method, symbol: "triangle-up-open", size: 11, opacity: 0.5, legend: false, group: method.Spelling, panel: p,
                            text: bounded.Select(i => $"≥ {Fmt(withBase[i], 2)}").ToArray(), textPosition: "bottom center"));
                    plotted.AddRange(withBaseRows.Select(i => withBase[i]));
                }
            }
            var gs = inCell.Select(i => g[i]).Where(double.IsFinite).ToArray();
            if (gs.Length > 0)
                charts.Add(Reference(gs.Min() / 1.1, gs.Max() * 1.1, 1, "break-even (speedup 1)", Palette.ZeroDash, legend: p == 0, panel: p));
            var xAxis = Axis("growth factor g = N_target / N_base (log scale)", log: true, gs);
            if (gs.Length > 0) xAxis["range"] = LogRange(gs.Min(), gs.Max(), 1.25);
            panels.Add(new Panel(xAxis, new Dictionary<string, object>(), cells.Count > 1 ? CellTitle(cell.Model, cell.Tpp, severalModels, severalBudgets) : null));
        }
        // One y scale for every panel (log: speedups are ratios, and a lower bound of 26 next to values near 1 spans decades).
        var finite = plotted.Where(v => v > 0 && double.IsFinite(v)).Append(1.0).ToArray();
        double yLo = finite.Min() / 1.25, yHi = finite.Max() * 1.25;
        // Room for the bound labels: "≥ x" sits above its marker, "< x" below.
        if (bounds.Any(b => b.Sign == "≥")) yHi = Math.Max(yHi, bounds.Where(b => b.Sign == "≥").Max(b => b.Value) * 1.8);
        if (bounds.Any(b => b.Sign == "<")) yLo = Math.Min(yLo, bounds.Where(b => b.Sign == "<").Min(b => b.Value) / 1.8);
        foreach (var panel in panels.OfType<Panel>())
        {
            foreach (var (key, value) in Axis($"speedup (× fewer {unit} than scratch, log scale)", log: true, LogTicks(yLo, yHi))) panel.Y[key] = value;
            panel.Y["range"] = LogRange(yLo, yHi, 1);
        }
        charts.InsertRange(0, InReadingOrder(drawnMethods).Select(m => MethodKey(m)));
        if (signs.Contains("≥")) charts.Add(Key("lower bound (≥)", "markers", symbol: "triangle-up", size: 11));
        if (signs.Contains("<")) charts.Add(Key("upper bound (<)", "markers", symbol: "triangle-down", size: 11));
        if (signs.Contains("median")) charts.Add(Key("median (mean not estimable)", "markers", symbol: "circle-open", size: 11));
        if (anyBase) charts.Add(Key("base compute included", "lines+markers", symbol: "circle-open", opacity: 0.5));
        var caption = new List<string>
        {
            $"Speedup = scratch's {unit} ÷ the warm run's {unit} to reach scratch's final loss" + (severalModels ? "." : $" (target {models.FirstOrDefault()}).") +
            " Lines: the geometric mean over all seeds with its 95% interval (t on ln speedup; bars only where ≥ 2 seeds).",
        };
        caption.Add("Methods are drawn side by side around each g.");
        if (anyBase) caption.Add("Faded open markers, just right of their method's point: the base model's training compute counted too.");
        if (signs.Contains("≥")) caption.Add("▲ ≥: a lower bound (a seed was already below scratch's final loss at its first evaluation).");
        if (signs.Contains("<")) caption.Add($"▼ <: an upper bound (the median seed never reached scratch's final loss within its {unit}).");
        if (signs.Contains("median")) caption.Add("○: the median over seeds where the mean is not estimable (not every seed reached scratch's final loss).");
        return Finish(Combine(charts), "Speedup vs growth factor", panels, caption.Concat(notes), GridColumns(panels.Count));
    }

    /// <summary>
    /// ΔL = final loss (warm − scratch), paired by seed, against g on a log axis: per method its mean over seeds with
    /// the 95% t interval (bars only where ≥ 2 seeds are paired), one panel per target and budget, and the zero line
    /// (below it, growth helped). This is the statistic the claim verdicts read, so it is the figure they are drawn from.
    /// </summary>
    public static GenericChart DeltaVsG(IReadOnlyList<SpeedupSummaryRow> summary, string tokenizer = Units.ByteTokenizer)
    {
        if (!summary.Any(r => r.Paired > 0 && double.IsFinite(r.DeltaLossMean)))
            return NothingToPlot("Final-loss difference vs growth factor", summary.Count == 0
                ? "no grown run with a scratch run of its target to compare"
                : "no grown run has a finite final loss paired with its scratch twin's (same seed)");
        var rows = summary.Where(r => r.Paired > 0 && double.IsFinite(r.DeltaLossMean)).ToList();
        var cells = rows.Select(r => (r.Model, r.Tpp)).Distinct().OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Tpp).ToList();
        bool severalModels = cells.Select(c => c.Model).Distinct().Count() > 1, severalBudgets = cells.Select(c => c.Tpp).Distinct().Count() > 1;
        var charts = new List<GenericChart>();
        var panels = new List<Panel?>();
        var drawn = new HashSet<Method>();
        for (int p = 0; p < cells.Count; p++)
        {
            var (model, tpp) = cells[p];
            var inCell = rows.Where(r => r.Model == model && r.Tpp == tpp).ToList();
            var gs = inCell.Select(r => r.G).Distinct().OrderBy(g => g).ToArray();
            var methods = InReadingOrder(inCell.Select(r => r.Method)).ToList();
            foreach (var method in methods)
            {
                // Methods sit side by side around each g (4 % apart on the log axis) so that their bars stay apart.
                double shift = methods.Count > 1 ? Math.Pow(1.04, methods.IndexOf(method) - (methods.Count - 1) / 2.0) : 1;
                var line = inCell.Where(r => r.Method == method).OrderBy(r => r.G).ToList();
                double[] Bar(Func<SpeedupSummaryRow, double> end) => line.Select(r => r.Paired >= 2 && double.IsFinite(end(r)) ? Math.Abs(end(r) - r.DeltaLossMean) : double.NaN).ToArray();
                charts.Add(Scatter(line.Select(r => r.G * shift), line.Select(r => r.DeltaLossMean), method.Spelling, method: method, group: method.Spelling,
                    legend: drawn.Add(method), errorY: Bar(r => r.DeltaLossHi), errorYMinus: Bar(r => r.DeltaLossLo), panel: p,
                    text: line.Select(r => $"{r.Paired} paired").ToArray(),
                    hover: $"{method.Spelling}<br>g %{{x:.3g}}<br>ΔL %{{y:.3f}}<br>%{{text}}<extra></extra>"));
            }
            charts.Add(Reference(gs.Min() / 1.3, gs.Max() * 1.3, 0, "scratch (ΔL = 0)", "dash", legend: p == 0, panel: p));
            panels.Add(new Panel(Axis("growth factor g = N_target / N_base (log scale)", log: true, gs), Axis($"ΔL final, warm − scratch ({Units.Loss([model], tokenizer)})"),
                cells.Count > 1 ? CellTitle(model, tpp, severalModels, severalBudgets) : null));
        }
        int seeds = rows.Count == 0 ? 0 : rows.Max(r => r.Paired);
        var caption = new List<string>
        {
            $"ΔL = the warm run's final validation loss minus its scratch twin's (same seed), {Units.Loss(rows.Select(r => r.Model), tokenizer)}: below the dashed zero line, growth helped.",
            $"Points: the mean over seeds (up to {seeds} paired); bars: the 95% t interval, drawn only where ≥ 2 seeds are paired. Methods are drawn side by side around each g.",
        };
        return Finish(Combine(charts), "Final-loss difference vs growth factor", panels, caption, GridColumns(Math.Max(1, panels.Count)));
    }

    /// <summary>At most <paramref name="most"/> of <paramref name="count"/> ordered levels, evenly spaced, the lowest and highest included.</summary>
    static int[] ShownLevels(int count, int most = 4) =>
        count <= most ? Enumerable.Range(0, count).ToArray()
            : Enumerable.Range(0, most).Select(j => (int)Math.Round(j * (count - 1.0) / (most - 1))).Distinct().ToArray();

    /// <summary>
    /// Iso-FLOP loss vs g: per FLOP level its points, the quadratic fit in ln g (solid) and scratch at the same
    /// compute (dashed), all three in the level's colour and the fit labelled at its right end; ★ g_opt (the fit's
    /// minimum), ✕ g_upper (where the fit crosses scratch). At most four levels are drawn (evenly spaced, lowest and
    /// highest included) so that each fit can be matched to its scratch line; the caption says how many and why
    /// some levels have no g_opt or g_upper.
    /// </summary>
    public static GenericChart IsoFlop(IReadOnlyList<IsoFlopPoint> points, IReadOnlyList<IsoFlopFit> fits, string title, string tokenizer = Units.ByteTokenizer)
    {
        int nonFinite = points.Count(p => !double.IsFinite(p.Loss));
        points = points.Where(p => double.IsFinite(p.Loss)).ToList();
        if (points.Count == 0)
            return NothingToPlot(title, nonFinite > 0 ? $"every point ({nonFinite}) has a non-finite loss" : "no run has a point at these FLOP levels");
        // Index-aligned columns: the drawing below picks points and fits by index.
        var pl = points.Select(p => (double)p.Level).ToArray();
        var pg = points.Select(p => p.G).ToArray();
        var ploss = points.Select(p => p.Loss).ToArray();
        double[] Fits(Func<IsoFlopFit, double> value) => fits.Select(value).ToArray();
        var (fl, flops) = (Fits(f => f.Level), Fits(f => f.Flops));
        var (c0, c1, c2) = (Fits(f => f.C0), Fits(f => f.C1), Fits(f => f.C2));
        var (gOpt, gUp, scratch) = (Fits(f => f.GOpt), Fits(f => f.GUpper), Fits(f => f.ScratchLoss));
        var models = points.Select(p => p.Model).ToArray();
        const string xTitle = "growth factor g = N_target / N_base (log scale)";
        string yTitle = $"validation loss at the FLOP level ({Units.Loss(models, tokenizer)})";
        var charts = new List<GenericChart>();
        double gMin = pg.Min(), gMax = pg.Max();
        bool anyScratch = false, anyOpt = false, anyUpper = false;
        var shown = ShownLevels(fl.Length);
        var ends = new List<(double Y, string Text, string Color)>();
        for (int j = 0; j < shown.Length; j++)
        {
            int f = shown[j];
            string color = Palette.Level(j, shown.Length);
            string label = $"{Fmt(flops[f], 2)} FLOPs";
            string group = $"level{f}";
            var idx = Enumerable.Range(0, pl.Length).Where(i => pl[i] == fl[f]).ToArray();
            bool fitted = double.IsFinite(c2[f]);
            charts.Add(Scatter(idx.Select(i => pg[i]), idx.Select(i => ploss[i]), label, color, "markers", size: 7, legend: !fitted, group: group,
                hover: $"{label}<br>g = %{{x:.3g}}<br>loss %{{y:.4g}}<extra></extra>"));
            double F(double x) => c0[f] + c1[f] * Math.Log(x) + c2[f] * Math.Log(x) * Math.Log(x);
            if (fitted)
            {
                var xs = Enumerable.Range(0, 50).Select(k => Math.Exp(Math.Log(gMin) + k * (Math.Log(gMax) - Math.Log(gMin)) / 49)).ToArray();
                charts.Add(Scatter(xs, xs.Select(F), label, color, "lines", group: group, width: 2.5, hover: $"{label} fit<br>g = %{{x:.3g}}<br>loss %{{y:.4g}}<extra></extra>"));
                ends.Add((F(gMax), Fmt(flops[f], 2), color));
            }
            else if (idx.Length > 0) ends.Add((idx.Where(i => pg[i] == idx.Max(k => pg[k])).Average(i => ploss[i]), Fmt(flops[f], 2), color));
            if (double.IsFinite(scratch[f]))
            {
                anyScratch = true;
                charts.Add(Reference(gMin, gMax, scratch[f], label + ": scratch", Palette.ReferenceDash, legend: false, color: color, group: Method.Scratch.Spelling));
            }
            if (double.IsFinite(gOpt[f]))
            {
                anyOpt = true;
                charts.Add(Scatter([gOpt[f]], [F(gOpt[f])], $"g_opt = {Fmt(gOpt[f])}", color, "markers", symbol: "star", size: 14, legend: false,
                    group: "g_opt", markerLine: Ink));
            }
            if (double.IsFinite(gUp[f]))
            {
                anyUpper = true;
                charts.Add(Scatter([gUp[f]], [F(gUp[f])], $"g_upper = {Fmt(gUp[f])}", color, "markers", symbol: "x", size: 13, legend: false,
                    group: "g_upper", markerLine: Ink));
            }
        }
        if (anyScratch) charts.Add(Key("scratch at the same FLOPs (dashed)", "lines", dash: Palette.ReferenceDash, group: Method.Scratch.Spelling));
        if (anyOpt) charts.Add(Key("g_opt: the fit's minimum", "markers", symbol: "star", size: 13, group: "g_opt"));
        if (anyUpper) charts.Add(Key("g_upper: the fit crosses scratch", "markers", symbol: "x", size: 12, group: "g_upper"));
        var caption = new List<string>
        {
            (shown.Length < fl.Length ? $"{shown.Length} of {fl.Length} FLOP levels drawn (evenly spaced, the lowest and highest included; all are in the fits table). " : "") +
            "Per level, in one colour: the runs at that compute (points), the quadratic fit of loss in ln g (solid, labelled with its FLOPs at the right) " +
            "and scratch at the same FLOPs (dashed).",
        };
        caption.AddRange(IsoFlopNotes(fits));
        return Finish(Combine(charts), title, Axis(xTitle, log: true, pg), Axis(yTitle), caption.Append(LeftOut(nonFinite, "points")),
            extra: new() { ["annotations"] = EndLabels(ends, Math.Log10(gMax)), ["margin"] = Obj(("t", 30), ("r", 70), ("b", 30), ("l", 60)) });
    }

    /// <summary>Labels at the right end of lines, in their colours, nudged apart where lines end close together.</summary>
    static List<object> EndLabels(List<(double Y, string Text, string Color)> ends, double x)
    {
        var sorted = ends.Where(e => double.IsFinite(e.Y)).OrderBy(e => e.Y).ToList();
        if (sorted.Count == 0) return [];
        double gap = 0.045 * Math.Max(sorted[^1].Y - sorted[0].Y, 1e-9) * Math.Max(1, 4.0 / sorted.Count);
        var ys = sorted.Select(e => e.Y).ToArray();
        for (int i = 1; i < ys.Length; i++) ys[i] = Math.Max(ys[i], ys[i - 1] + gap);
        return sorted.Select((e, i) => (object)Obj(("x", x), ("y", ys[i]), ("xref", "x"), ("yref", "y"), ("text", e.Text), ("showarrow", false),
            ("xanchor", "left"), ("xshift", 6), ("font", Obj(("color", e.Color), ("size", 12))))).ToList();
    }

    /// <summary>One line per kind of missing answer: how many levels lack g_opt or g_upper, and why.</summary>
    static List<string> IsoFlopNotes(IReadOnlyList<IsoFlopFit> fits)
    {
        var notes = new List<string>();
        int n = fits.Count;
        // g_opt has no typed state: its reasons are the fit's own sentences, grouped by their opening words.
        string OptKind(string r) => r.StartsWith("minimum at g") ? (r.Contains("below") ? "its minimum lies below the smallest g observed" : "its minimum lies above the largest g observed")
            : r.StartsWith("fit has no minimum") ? "the fit has no minimum (not convex in ln g)"
            : r;
        var noOpt = fits.Where(f => !double.IsFinite(f.GOpt)).ToList();
        var optKinds = noOpt.SelectMany(f => (f.Reason ?? "").Split("; ", StringSplitOptions.RemoveEmptyEntries))
            .Where(r => r.StartsWith("minimum at g") || r.StartsWith("fit has no minimum") || r.StartsWith("needs runs"))
            .GroupBy(OptKind).Select(gr => $"{gr.Key} ({gr.Count()} of {n})").ToList();
        var noUpper = fits.Where(f => f.GUpperState != GUpperState.Value).ToList();
        var upKinds = noUpper.GroupBy(f => f.GUpperState).OrderBy(gr => gr.Key)
            .Select(gr => gr.Key switch
            {
                GUpperState.NotReached => "the fit stays below scratch up to the largest g observed",
                GUpperState.BelowSmallest => "the fit is above scratch already where the search starts (g_opt, or the smallest g)",
                _ => "no fit or no scratch loss at the level",
            } + $" ({gr.Count()} of {n})").ToList();
        if (noOpt.Count > 0) notes.Add($"No g_opt at {noOpt.Count} of {n} FLOP levels: " + (optKinds.Count > 0 ? string.Join("; ", optKinds) : "too few points") + ".");
        if (noUpper.Count > 0) notes.Add($"No g_upper at {noUpper.Count} of {n} levels: " + string.Join("; ", upKinds) + ".");
        return notes;
    }

    /// <summary>
    /// Validation loss against the target's training FLOPs, one line per run in its method's style (seeds share it).
    /// One panel per growth factor where a few (up to six) target × budget × g cells exist, else one per target and
    /// budget; within a panel a method's lighter lines are its larger g (or later λ, σ settings). Dashed grey: the
    /// final loss of the base a panel's runs grew from.
    /// </summary>
    public static GenericChart LearningCurves(IReadOnlyList<RunRow> runs, IReadOnlyList<CurveRow> curves, string title, string tokenizer = Units.ByteTokenizer)
    {
        if (runs.Count == 0) return NothingToPlot(title, "no runs");
        var known = runs.Select(r => r.RunId).ToHashSet();
        int nonFinite = curves.Count(c => known.Contains(c.RunId) && !double.IsFinite(c.ValLoss));
        curves = curves.Where(c => double.IsFinite(c.ValLoss)).ToList();
        if (!curves.Any(c => known.Contains(c.RunId)))
            return NothingToPlot(title, nonFinite > 0 ? $"every validation point of the {runs.Count} runs has a non-finite loss" : $"none of the {runs.Count} runs has a validation point yet");
        // Index-aligned columns: the drawing below picks runs and curve points by index.
        var ids = runs.Select(r => r.RunId).ToArray();
        var methods = runs.Select(r => r.Method).ToArray();
        var bases = runs.Select(r => r.BaseId).ToArray();
        var finals = runs.Select(r => r.FinalValLoss).ToArray();
        var models = runs.Select(r => r.Model).ToArray();
        var (gs, tpps, lambdas, sigmas) = (runs.Select(r => r.G).ToArray(), runs.Select(r => r.Tpp).ToArray(), runs.Select(r => r.Lambda).ToArray(), runs.Select(r => r.Sigma).ToArray());
        var cid = curves.Select(c => c.RunId).ToArray();
        var cf = curves.Select(c => c.Flops).ToArray();
        var cl = curves.Select(c => c.ValLoss).ToArray();
        var curveRows = Enumerable.Range(0, cid.Length).GroupBy(i => cid[i]).ToDictionary(gr => gr.Key, gr => gr.ToArray());
        var baseIds = bases.Where(b => b.Length > 0).ToHashSet();
        var shown = Enumerable.Range(0, ids.Length).Where(r => !(methods[r] == Method.Scratch && baseIds.Contains(ids[r])) && curveRows.ContainsKey(ids[r])).ToList();
        double GKey(int r) => methods[r] == Method.Scratch ? double.NaN : Math.Round(gs[r], 2);
        var warmCells = shown.Where(r => methods[r] != Method.Scratch).Select(r => (Model: models[r], Tpp: tpps[r], G: GKey(r))).Distinct().ToList();
        bool byG = warmCells.Count is > 1 and <= 6;
        var keys = (byG ? warmCells : warmCells.Select(c => (c.Model, c.Tpp, G: double.NaN)).Distinct().ToList())
            .Concat(shown.Where(r => methods[r] == Method.Scratch && !warmCells.Any(c => c.Model == models[r] && c.Tpp.Equals(tpps[r]))).Select(r => (Model: models[r], Tpp: tpps[r], G: double.NaN)))
            .Distinct().OrderBy(k => k.Model, StringComparer.Ordinal).ThenBy(k => k.Tpp).ThenBy(k => k.G).ToList();
        bool severalModels = keys.Select(k => k.Model).Distinct().Count() > 1, severalBudgets = keys.Select(k => k.Tpp).Distinct().Count() > 1;
        bool InPanel(int r, (string Model, double Tpp, double G) key) =>
            models[r] == key.Model && tpps[r].Equals(key.Tpp) && (methods[r] == Method.Scratch || double.IsNaN(key.G) || GKey(r) == key.G);
        var charts = new List<GenericChart>();
        var panels = new List<Panel?>();
        bool anyBase = false, anyShades = false;
        var settled = new List<List<double>>(); // per panel: the losses once the curves have settled (and the bases' finals)
        for (int p = 0; p < keys.Count; p++)
        {
            var key = keys[p];
            var mine = shown.Where(r => InPanel(r, key)).ToList();
            settled.Add([]);
            double xMax = mine.SelectMany(r => curveRows[ids[r]]).Select(i => cf[i]).DefaultIfEmpty(1).Max();
            foreach (var method in InReadingOrder(mine.Select(r => methods[r])))
            {
                var ofMethod = mine.Where(r => methods[r] == method).ToList();
                var settings = ofMethod.Select(r => (G: GKey(r), L: lambdas[r], S: sigmas[r])).Distinct().OrderBy(s => s.G).ThenBy(s => s.L).ThenBy(s => s.S).ToList();
                anyShades |= settings.Count > 1;
                foreach (var r in ofMethod)
                {
                    int rank = settings.IndexOf((GKey(r), lambdas[r], sigmas[r]));
                    var parts = new List<string> { method.Spelling };
                    if (settings.Select(s => (s.L, s.S)).Distinct().Count() > 1) parts.Add($"λ={Fmt(lambdas[r], 2)}, σ={Fmt(sigmas[r], 2)}");
                    if (method != Method.Scratch && (settings.Select(s => s.G).Distinct().Count() > 1 || !byG)) parts.Add($"g = {Fmt(gs[r])}");
                    string name = string.Join(", ", parts);
                    var idx = curveRows[ids[r]];
                    charts.Add(Scatter(idx.Select(i => cf[i]), idx.Select(i => cl[i]), name, mode: "lines", method: method, legend: false, group: method.Spelling, panel: p,
                        width: method == Method.Scratch ? 2.5 : 1.8, opacity: settings.Count > 1 ? 1 - 0.6 * rank / (settings.Count - 1) : 1,
                        hover: $"{System.Net.WebUtility.HtmlEncode(name)}<br>FLOPs %{{x:.3g}}<br>loss %{{y:.4g}}<extra></extra>"));
                }
            }
            foreach (var b in mine.Select(r => bases[r]).Where(b => b.Length > 0).Distinct())
            {
                int i = Array.IndexOf(ids, b);
                if (i < 0 || !double.IsFinite(finals[i])) continue;
                anyBase = true;
                settled[p].Add(finals[i]);
                charts.Add(Reference(0, xMax, finals[i], $"base's final loss ({ShortModel(models[i])})", Palette.ReferenceDash, legend: false, panel: p, group: "base", width: 1.2));
            }
            // The first evaluations (loss ≈ ln vocab) would squash the rest: the y axis starts where the curves settle.
            settled[p].AddRange(mine.SelectMany(r => curveRows[ids[r]]).Where(i => cf[i] >= 0.05 * xMax && double.IsFinite(cl[i])).Select(i => cl[i]));
            var titleParts = new List<string>();
            if (severalModels) titleParts.Add(ShortModel(key.Model));
            if (severalBudgets) titleParts.Add(Budget(key.Model, key.Tpp));
            if (byG) titleParts.Add(double.IsNaN(key.G) ? "scratch only" : $"g = {Fmt(key.G)}");
            panels.Add(new Panel(Axis("training compute of the target (FLOPs, C = 6·N·D)"),
                Axis($"validation loss ({Units.Loss(mine.Select(r => models[r]), tokenizer)})"), keys.Count > 1 ? string.Join(", ", titleParts) : null));
        }
        // One y range per loss unit (a language model's and an MLP's losses share no scale), where the curves settle.
        foreach (var unit in Enumerable.Range(0, panels.Count).GroupBy(p => AxisTitle(panels[p]!.Y)))
        {
            var low = unit.SelectMany(p => shown.Where(r => InPanel(r, keys[p]))).SelectMany(r => curveRows[ids[r]]).Select(i => cl[i]).Where(double.IsFinite).ToArray();
            var high = unit.SelectMany(p => settled[p]).Where(double.IsFinite).ToArray();
            if (high.Length == 0 || low.Length == 0 || !(low.Max() > high.Max())) continue;
            double lo = low.Min(), hi = high.Max();
            foreach (var p in unit) panels[p]!.Y["range"] = new[] { lo - 0.05 * (hi - lo), hi + 0.1 * (hi - lo) };
        }
        charts.InsertRange(0, InReadingOrder(shown.Select(r => methods[r])).Select(m => MethodKey(m, "lines")));
        if (anyBase) charts.Add(Key("base's final loss (dashed)", "lines", dash: Palette.ReferenceDash, group: "base"));
        var caption = new List<string> { "Validation loss against the target's training compute, one line per run (seeds share their method's colour and dash)." };
        if (anyBase) caption.Add("Dashed grey: the final loss of the base model the runs grew from.");
        if (anyShades) caption.Add("Where a method has several settings in a panel, its lighter lines are the larger g (then λ, σ); hover for the values.");
        return Finish(Combine(charts), title, panels, caption.Append(LeftOut(nonFinite, "validation points")), GridColumns(panels.Count));
    }

    /// <summary>Final loss against λ per σ (one marker per σ; a panel per target and budget), mean ± std over seeds; dashed: scratch.</summary>
    public static GenericChart LambdaSweep(IReadOnlyList<LambdaRow> lambda, string tokenizer = Units.ByteTokenizer)
    {
        int nonFinite = lambda.Count(r => !double.IsFinite(r.FinalLossMean));
        lambda = lambda.Where(r => double.IsFinite(r.FinalLossMean)).ToList();
        if (lambda.Count == 0)
            return NothingToPlot("Shrinking: final loss vs λ", nonFinite > 0 ? $"every setting ({nonFinite}) has a non-finite final loss" : "no SZP runs with a λ or σ setting");
        // Index-aligned columns: the drawing below picks rows by index.
        var lam = lambda.Select(r => r.Lambda).ToArray();
        var sig = lambda.Select(r => r.Sigma).ToArray();
        var model = lambda.Select(r => r.Model).ToArray();
        var tpp = lambda.Select(r => r.Tpp).ToArray();
        var method = lambda.Select(r => r.Method).ToArray();
        var mean = lambda.Select(r => r.FinalLossMean).ToArray();
        var std = lambda.Select(r => r.FinalLossStd).ToArray();
        var count = lambda.Select(r => r.Runs).ToArray();
        var scratch = lambda.Select(r => r.ScratchLossMean).ToArray();
        string[] symbols = ["circle", "square", "diamond", "triangle-up", "cross", "x"];
        var sigmas = sig.Distinct().OrderByDescending(s => s).ToList();
        var cells = Enumerable.Range(0, lam.Length).Select(i => (Model: model[i], Tpp: tpp[i])).Distinct().OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Tpp).ToList();
        bool severalModels = cells.Select(c => c.Model).Distinct().Count() > 1, severalBudgets = cells.Select(c => c.Tpp).Distinct().Count() > 1;
        var charts = new List<GenericChart>();
        var panels = new List<Panel?>();
        var named = new HashSet<string>();
        for (int p = 0; p < cells.Count; p++)
        {
            var inCell = Enumerable.Range(0, lam.Length).Where(i => model[i] == cells[p].Model && tpp[i] == cells[p].Tpp).ToArray();
            foreach (var group in inCell.GroupBy(i => (Method: method[i], Sigma: sig[i])).OrderByDescending(gr => gr.Key.Sigma))
            {
                var idx = group.OrderBy(i => lam[i]).ToArray();
                double[] bars = idx.Select(i => count[i] >= 2 ? std[i] : double.NaN).ToArray();
                string name = $"{group.Key.Method}, σ = {Fmt(group.Key.Sigma, 2)}";
                charts.Add(Scatter(idx.Select(i => lam[i]), idx.Select(i => mean[i]), name, method: group.Key.Method, symbol: symbols[sigmas.IndexOf(group.Key.Sigma) % symbols.Length],
                    size: 9, errorY: bars, legend: named.Add(name), group: name, panel: p));
            }
            var reference = inCell.Select(i => scratch[i]).Where(double.IsFinite).DefaultIfEmpty(double.NaN).First();
            if (double.IsFinite(reference))
                charts.Add(Reference(0, 1, reference, "scratch's final loss (dashed)", Palette.ReferenceDash, legend: p == 0, color: Palette.Of(Method.Scratch).Color, panel: p, group: Method.Scratch.Spelling));
            panels.Add(new Panel(Axis("λ (shrink factor on the base weights, unitless)"), Axis($"final validation loss ({Units.Loss(cells[p].Model, tokenizer)})"),
                cells.Count > 1 ? CellTitle(cells[p].Model, cells[p].Tpp, severalModels, severalBudgets) : null));
        }
        return Finish(Combine(charts), "Shrinking: final loss vs λ", panels,
            ["Final validation loss of the grown target (mean over seeds; ± std where ≥ 2 seeds) against the shrink λ of the base weights, one marker per perturbation σ; " +
             "dashed: scratch's final loss at the same target and budget (λ = 0, σ = 1 is scratch's own start).", LeftOut(nonFinite, "settings")], GridColumns(panels.Count));
    }

    /// <summary>True when at least one method has a fitted law (otherwise a fit table shows only dashes).</summary>
    public static bool HasAnyFit(IEnumerable<ScalingFitRow> fits) => fits.Any(f => double.IsFinite(f.E));

    /// <summary>
    /// The fitted scaling laws as a table, 4 significant figures. A parameter at its bound is marked † and the note
    /// says which bound (the law is then not identified by the runs); methods without a fit show the reason.
    /// </summary>
    public static GenericChart FitTable(IReadOnlyList<ScalingFitRow> fits)
    {
        if (fits.Count == 0) return NothingToPlot("Scaling-law fits L(N, D) = E + A/N^α + B/D^β", "no method has runs to fit");
        // Each parameter under the name ScalingLaw.AtBounds gives it, in lower case.
        (string Name, Func<ScalingFitRow, double> Value)[] parameters =
            [("e", f => f.E), ("a", f => f.A), ("alpha", f => f.Alpha), ("b", f => f.B), ("beta", f => f.Beta), ("r2", f => f.R2)];
        var header = new[] { "method", "points", "E", "A", "α", "B", "β", "R²", "note" };
        // "alpha at its upper bound (4); E at its lower bound (exp(-30))" names the parameters: alpha, E.
        var bounded = fits.Select(f => f.AtBounds.Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(part => part.Split(" at its")[0].Trim().ToLowerInvariant()).ToHashSet()).ToArray();
        var cells = new List<string[]>
        {
            fits.Select(f => f.Method.Spelling).ToArray(),
            fits.Select(f => f.Points.ToString(CultureInfo.InvariantCulture)).ToArray(),
        };
        cells.AddRange(parameters.Select(p => fits.Select((f, i) => Fmt(p.Value(f), 4) + (bounded[i].Contains(p.Name) ? " †" : "")).ToArray()));
        cells.Add(fits.Select(f => string.Join(" ", new[] { f.Reason, f.AtBounds.Length > 0 ? $"† at its bound: {f.AtBounds}; the law is not identified by these runs." : "" }
            .Where(s => s.Length > 0))).ToArray());
        int columns = header.Length - 1;
        var table = new TraceDomain("table");
        table.SetProperty("header", Obj(("values", header), ("align", "center"), ("font", Obj(("size", 13))), ("fill", Obj(("color", "#dde3ee")))));
        table.SetProperty("cells", Obj(("values", cells), ("align", Enumerable.Repeat("center", columns).Append("left").ToArray()), ("font", Obj(("size", 12))), ("height", 26)));
        // The note is the widest column: a reason or a bound warning reads as a sentence, not a word per line.
        table.SetProperty("columnwidth", Enumerable.Repeat(1.0, columns).Append(4.5).ToArray());
        var layout = new Layout();
        layout.SetProperty("title", Obj(("text", "Scaling-law fits L(N, D) = E + A/N^α + B/D^β"), ("x", 0.01), ("xanchor", "left"), ("font", Obj(("size", 17)))));
        layout.SetProperty("margin", Obj(("t", 50), ("r", 10), ("b", 10), ("l", 10)));
        layout.SetProperty("autosize", true);
        return Responsive(Plotly.NET.Chart.withLayout(layout).Invoke(GenericChart.ofTraceObject(true, table)));
    }

    /// <summary>
    /// ΔL = L_warm − L_scratch over (N, D) with its zero contour, the D = 20N line and the observed differences. The
    /// map is cropped to the observed runs with a margin of <see cref="DeltaMargin"/> decades, and outside their
    /// hull (where the map is an extrapolation of the two fits) it is faded and hatched. The colour scale is
    /// symmetric about 0 and limited to ±1.5 × the largest observed |ΔL| (blue: warm-starting wins).
    /// <paramref name="dataUnit"/> names what D counts: "tokens" for language models, "samples" for the MLP family.
    /// </summary>
    public static GenericChart DeltaContour(IReadOnlyList<DeltaGridCell> grid, IReadOnlyList<DeltaGridCell> zeroContour, IReadOnlyList<ObservedDeltaRow> observed,
        string title, string dataUnit = "tokens", string tokenizer = Units.ByteTokenizer)
    {
        if (!grid.Any(c => double.IsFinite(c.Delta)) && !observed.Any(o => double.IsFinite(o.Delta)))
            return NothingToPlot(title, grid.Count + observed.Count == 0
                ? "neither a fitted ΔL map (both laws must be fitted) nor an observed difference"
                : "every ΔL, fitted or observed, is non-finite");
        var n = grid.Select(c => c.N).ToArray();
        var d = grid.Select(c => c.D).ToArray();
        var delta = grid.Select(c => c.Delta).ToArray();
        var ns = n.Distinct().OrderBy(v => v).ToArray();
        var ds = d.Distinct().OrderBy(v => v).ToArray();
        var lookup = Enumerable.Range(0, n.Length).ToDictionary(i => (n[i], d[i]), i => delta[i]);
        var z = ds.Select(dv => ns.Select(nv => lookup.TryGetValue((nv, dv), out var v) ? v : double.NaN).ToArray()).ToArray();
        var on = observed.Select(o => o.N).ToArray();
        var od = observed.Select(o => o.D).ToArray();
        var odelta = observed.Select(o => o.Delta).ToArray();
        double limit = odelta.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(double.NaN).Max() * 1.5;
        if (!(limit > 0))
        {
            var sorted = delta.Where(double.IsFinite).Select(Math.Abs).OrderBy(v => v).ToArray();
            limit = sorted.Length > 0 ? Math.Max(sorted[(int)(0.9 * (sorted.Length - 1))], 1e-6) : 1;
        }
        limit = RoundUp(limit);
        // The MLP family's losses are per sample; a language model's follow its tokenizer.
        string lossUnit = dataUnit == "samples" ? Units.Loss("MLP", tokenizer) : Units.Loss("", tokenizer);
        var contour = new Trace2D("contour");
        contour.SetProperty("x", ns.Select(Math.Log10).ToArray());
        contour.SetProperty("y", ds.Select(Math.Log10).ToArray());
        contour.SetProperty("z", z);
        contour.SetProperty("name", "ΔL");
        contour.SetProperty("showlegend", false);
        contour.SetProperty("colorscale", "RdBu");
        contour.SetProperty("reversescale", false); // plotly's RdBu runs blue (low) → red (high): negative ΔL is blue
        contour.SetProperty("zauto", false);
        contour.SetProperty("zmin", -limit);
        contour.SetProperty("zmax", limit);
        contour.SetProperty("zmid", 0.0);
        contour.SetProperty("contours", Obj(("start", -limit), ("end", limit), ("size", limit / 6), ("coloring", "heatmap")));
        contour.SetProperty("colorbar", Obj(("title", Obj(("text", $"ΔL ({lossUnit})<br>blue: warm wins"), ("side", "right"))), ("thickness", 14), ("x", 1.01)));
        contour.SetProperty("hovertemplate", "log₁₀ N %{x:.2f}<br>log₁₀ D %{y:.2f}<br>ΔL %{z:.3f}<extra></extra>");
        var charts = new List<GenericChart> { GenericChart.ofTraceObject(true, contour) };
        // What is drawn: the observed runs' range widened by the margin, within the grid.
        var logOn = on.Select(Math.Log10).ToArray();
        var logOd = od.Select(Math.Log10).ToArray();
        double[] xRange = ns.Length > 1 ? [Math.Log10(ns[0]), Math.Log10(ns[^1])] : [0, 1];
        double[] yRange = ds.Length > 1 ? [Math.Log10(ds[0]), Math.Log10(ds[^1])] : [0, 1];
        if (logOn.Length > 0)
        {
            xRange = [Math.Max(xRange[0], logOn.Min() - DeltaMargin), Math.Min(xRange[1], logOn.Max() + DeltaMargin)];
            yRange = [Math.Max(yRange[0], logOd.Min() - DeltaMargin), Math.Min(yRange[1], logOd.Max() + DeltaMargin)];
            charts.Add(Extrapolated(logOn, logOd, xRange, yRange));
        }
        var zn = zeroContour.Select(c => c.N).ToArray();
        var zd = zeroContour.Select(c => c.D).ToArray();
        if (zn.Length > 0) charts.Add(Scatter(zn.Select(Math.Log10), zd.Select(Math.Log10), "ΔL = 0 (fit)", "#000000", "lines", width: 2.5));
        double[] line = [xRange[0], xRange[1]];
        charts.Add(Scatter(line, line.Select(v => v + Math.Log10(20)), "D = 20N", "#ffffff", "lines", dash: Palette.ReferenceDash));
        if (on.Length > 0)
            charts.Add(Scatter(logOn, logOd, "observed runs", "#ffcc00", "markers", symbol: "diamond", size: 10, markerLine: "#000000",
                text: odelta.Select(v => $"ΔL {Fmt(v)}").ToArray(), hover: "log₁₀ N %{x:.2f}<br>log₁₀ D %{y:.2f}<br>observed %{text}<extra></extra>"));
        // On the plot's own background so that the white D = 20N key shows; the colourbar keeps the right.
        var legend = Obj(("orientation", "h"), ("x", 0), ("xanchor", "left"), ("y", 0), ("yanchor", "bottom"), ("yref", "container"), ("bgcolor", "#e5ecf6"));
        var xAxis = Axis("log₁₀ N (N in parameters)");
        var yAxis = Axis($"log₁₀ D (D in {dataUnit})");
        xAxis["range"] = xRange;
        yAxis["range"] = yRange;
        return Finish(Combine(charts), title, xAxis, yAxis,
            [$"ΔL = L_warm − L_scratch from the two fitted laws; blue: warm-starting ends lower. Colour scale limited to ±{Fmt(limit, 2)} {lossUnit} (1.5 × the largest observed |ΔL|). " +
             $"Drawn over the observed runs' range ± {DeltaMargin:0.##} decades; faded and hatched: outside the observed runs, where the map is an extrapolation of the fits."],
            legend);
    }

    /// <summary>How far, in decades of N and D, the ΔL map reaches beyond the observed runs.</summary>
    public const double DeltaMargin = 0.3;

    /// <summary>
    /// The extrapolated part of a ΔL map: the drawn rectangle minus the observed runs' convex hull (widened a little
    /// so that the runs themselves sit inside), as one filled path — the rectangle one way round, the hull the other,
    /// so that the hull is a hole under SVG's nonzero fill rule — faded and hatched.
    /// </summary>
    static GenericChart Extrapolated(double[] xs, double[] ys, double[] xRange, double[] yRange)
    {
        var hull = ConvexHull(xs.Zip(ys).Distinct().ToList());
        if (hull.Count < 3)
        {
            const double pad = 0.05; // fewer than three distinct runs (or all on a line): their bounding box
            hull = [(xs.Min() - pad, ys.Min() - pad), (xs.Max() + pad, ys.Min() - pad), (xs.Max() + pad, ys.Max() + pad), (xs.Min() - pad, ys.Max() + pad)];
        }
        var (cx, cy) = (hull.Average(p => p.X), hull.Average(p => p.Y));
        var widened = hull.Select(p => (X: p.X + 0.06 * Math.Sign(p.X - cx), Y: p.Y + 0.06 * Math.Sign(p.Y - cy))).ToList();
        // Rectangle clockwise, then a bridge to the hull, the hull counter-clockwise (ConvexHull's order), and back.
        var px = new List<double> { xRange[0], xRange[0], xRange[1], xRange[1], xRange[0] };
        var py = new List<double> { yRange[0], yRange[1], yRange[1], yRange[0], yRange[0] };
        foreach (var (x, y) in widened.Append(widened[0])) { px.Add(x); py.Add(y); }
        px.Add(xRange[0]);
        py.Add(yRange[0]);
        var trace = new Trace2D("scatter");
        trace.SetProperty("x", px.ToArray());
        trace.SetProperty("y", py.ToArray());
        trace.SetProperty("name", "extrapolation (outside the observed runs)");
        trace.SetProperty("mode", "lines");
        trace.SetProperty("fill", "toself");
        trace.SetProperty("fillcolor", "rgba(255,255,255,0.55)");
        trace.SetProperty("fillpattern", Obj(("shape", "/"), ("fgcolor", "rgba(90,90,90,0.45)"), ("bgcolor", "rgba(255,255,255,0.55)"), ("size", 10), ("solidity", 0.15)));
        trace.SetProperty("line", Obj(("width", 0)));
        trace.SetProperty("hoverinfo", "skip");
        return GenericChart.ofTraceObject(true, trace);
    }

    /// <summary>Andrew's monotone chain: the convex hull of the points, counter-clockwise, without repeats.</summary>
    static List<(double X, double Y)> ConvexHull(List<(double X, double Y)> points)
    {
        var sorted = points.OrderBy(p => p.X).ThenBy(p => p.Y).ToList();
        if (sorted.Count < 3) return sorted;
        static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) => (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
        var hull = new List<(double X, double Y)>();
        foreach (var pass in new[] { sorted, Enumerable.Reverse(sorted).ToList() })
        {
            int start = hull.Count;
            foreach (var p in pass)
            {
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], p) <= 1e-12) hull.RemoveAt(hull.Count - 1);
                hull.Add(p);
            }
            hull.RemoveAt(hull.Count - 1);
        }
        return hull;
    }

    /// <summary>Rounds up to two significant figures (0.3614 → 0.37), for colour-scale limits.</summary>
    static double RoundUp(double v)
    {
        double unit = Math.Pow(10, Math.Floor(Math.Log10(v)) - 1);
        return Math.Ceiling(v / unit - 1e-9) * unit;
    }

    /// <summary>
    /// One weight metric against training step, a panel per tensor: the language model's tensors on the first row,
    /// the MLP's on the second (the two families share no tensor), a line per run in its method's style. Angular
    /// change is drawn as the rotation angle between successive snapshots in degrees, radial change as a percentage
    /// of the previous snapshot's norm, so that tensors of any size read on one scale.
    /// </summary>
    public static GenericChart WeightMetric(IReadOnlyList<WeightMetricRow> weights, WeightMeasure measure)
    {
        if (weights.Count == 0) return NothingToPlot($"Weights: {measure}", "no weight snapshots (train with snapshots, e.g. the weights study)");
        // Index-aligned columns: the drawing below picks snapshots by index.
        var method = weights.Select(w => w.Method).ToArray();
        var layer = weights.Select(w => w.Layer).ToArray();
        var run = weights.Select(w => w.RunId).ToArray();
        var step = weights.Select(w => w.Step).ToArray();
        var value = weights.Select(w => w.Value(measure)).ToArray();
        var norm = weights.Select(w => w.Norm).ToArray();
        var radial = weights.Select(w => w.RadialChange).ToArray();
        // A run is a language model's when it tracks the token embedding (WeightAnalysis.DefaultLayers names it for every GPT).
        var languageModels = Enumerable.Range(0, run.Length).Where(i => layer[i] == "wte.weight").Select(i => run[i]).ToHashSet();
        var families = new[] { (Name: "LM", Rows: Enumerable.Range(0, run.Length).Where(i => languageModels.Contains(run[i])).ToList()),
                               (Name: "MLP", Rows: Enumerable.Range(0, run.Length).Where(i => !languageModels.Contains(run[i])).ToList()) }
            .Where(f => f.Rows.Count > 0).ToList();
        var tensors = families.Select(f => f.Rows.Select(i => layer[i]).Distinct().ToList()).ToList();
        int columns = Math.Max(1, tensors.Select(t => t.Count).DefaultIfEmpty(1).Max());
        var (title, yTitle, about) = measure switch
        {
            WeightMeasure.EffectiveRank => ("Effective rank of the weights over training", "effective rank (directions)",
                "Effective rank: the exponential of the entropy of the normalised singular values (1: rank one; at most the smaller dimension)."),
            WeightMeasure.CosineToPrevious => ("Cosine similarity to the previous snapshot", "cosine to previous (unitless)",
                "Cosine similarity between a tensor and itself at the previous snapshot (1: the direction did not change)."),
            WeightMeasure.RadialChange => ("Radial change (along the weights) per snapshot", "radial change (% of the norm)",
                "Radial change: the part of the change since the previous snapshot along the tensor's own direction, as a percentage of its previous Frobenius norm (positive: the weights grow)."),
            WeightMeasure.AngularChange => ("Angular change (rotation) per snapshot", "rotation (degrees)",
                "Angular change: the angle between a tensor and itself at the previous snapshot, atan(‖ΔW⊥‖ / (‖W‖ + ΔW∥)), in degrees: the rotating part of the change."),
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, null),
        };
        var charts = new List<GenericChart>();
        var panels = new List<Panel?>();
        for (int f = 0; f < families.Count; f++)
        {
            for (int t = 0; t < columns; t++)
            {
                if (t >= tensors[f].Count) { panels.Add(null); continue; }
                int p = panels.Count;
                string tensor = tensors[f][t];
                foreach (var series in families[f].Rows.Where(i => layer[i] == tensor).GroupBy(i => run[i]))
                {
                    var idx = series.OrderBy(i => step[i]).ToArray();
                    // The previous snapshot's norm, for the scale-free forms of the radial and angular changes.
                    var y = idx.Select((i, k) =>
                    {
                        double previous = k > 0 ? norm[idx[k - 1]] : double.NaN;
                        return measure switch
                        {
                            WeightMeasure.AngularChange => previous > 0 ? Math.Atan2(value[i], previous + radial[i]) * 180 / Math.PI : double.NaN,
                            WeightMeasure.RadialChange => previous > 0 ? 100 * value[i] / previous : double.NaN,
                            _ => value[i],
                        };
                    }).ToArray();
                    var keep = Enumerable.Range(0, idx.Length).Where(k => double.IsFinite(y[k])).ToArray();
                    if (keep.Length == 0) continue;
                    var m = method[idx[0]];
                    charts.Add(Scatter(keep.Select(k => step[idx[k]]), keep.Select(k => y[k]), $"{m}: {tensor}", method: m, size: 5, legend: false, group: m.Spelling, panel: p,
                        hover: $"{m}: {tensor}<br>step %{{x}}<br>%{{y:.4g}}<extra></extra>"));
                }
                panels.Add(new Panel(Axis("training step (optimizer steps)"), Axis(yTitle), $"{families[f].Name}: {tensor.Replace(".weight", "")}"));
            }
        }
        charts.InsertRange(0, InReadingOrder(method).Select(m => MethodKey(m)));
        var caption = new List<string> { about, "One panel per tensor" + (families.Count > 1 ? $"; first row the language model's, second the MLP's." : ".") };
        return Finish(Combine(charts), title, panels, caption, columns);
    }

    /// <summary>Final loss against LR for the base, the scratch target and the warm target (log LR), mean over seeds.</summary>
    public static GenericChart LrSweep(IReadOnlyList<LrRow> table, string tokenizer = Units.ByteTokenizer)
    {
        int nonFinite = table.Count(r => !double.IsFinite(r.BaseLoss) && !double.IsFinite(r.ScratchLoss) && !double.IsFinite(r.WarmLoss));
        table = table.Where(r => double.IsFinite(r.BaseLoss) || double.IsFinite(r.ScratchLoss) || double.IsFinite(r.WarmLoss)).ToList();
        if (table.Count == 0)
            return NothingToPlot("LR transfer under µP: final loss vs learning rate", nonFinite > 0 ? $"every learning rate ({nonFinite}) has only non-finite losses" : "no learning rates");
        var lr = table.Select(r => r.Lr).ToArray();
        var warm = table.Select(r => r.WarmMethod).FirstOrDefault() ?? Method.Szp;
        var charts = new List<GenericChart>();
        foreach (var (loss, label, method, style) in new (Func<LrRow, double>, string, Method?, SeriesStyle?)[]
                 {
                     (r => r.BaseLoss, "base", null, Palette.BaseModel), (r => r.ScratchLoss, "scratch (target)", Method.Scratch, null),
                     (r => r.WarmLoss, $"{warm} (target)", warm, null),
                 })
        {
            var points = table.GroupBy(r => r.Lr).OrderBy(g => g.Key).Select(g => (X: g.Key, Y: Stats.Mean(g.Select(loss)))).ToList();
            charts.Add(Scatter(points.Select(p => p.X), points.Select(p => p.Y), label, method: method, style: style, size: 9));
        }
        return Finish(Combine(charts), "LR transfer under µP: final loss vs learning rate", Axis("peak learning rate (per step, log scale)", log: true, lr),
            Axis($"final validation loss ({Units.Loss("", tokenizer)})"),
            ["Final validation loss, mean over seeds, at each peak learning rate: the base, scratch at the target size, and the target grown from the base. " +
             "Under µP one learning rate should be best for all three.", LeftOut(nonFinite, "learning rates")]);
    }

    /// <summary>
    /// Loss right after growth (x) against final loss (y), one point per operator setting (mean over seeds), each
    /// in its method's style: if preserving the function mattered, the points would rise from left to right.
    /// </summary>
    public static GenericChart GrownVsFinal(IReadOnlyList<AblationRow> ablation, string tokenizer = Units.ByteTokenizer)
    {
        int nonFinite = ablation.Count(r => !double.IsFinite(r.GrownLossMean) || !double.IsFinite(r.FinalLossMean));
        ablation = ablation.Where(r => double.IsFinite(r.GrownLossMean) && double.IsFinite(r.FinalLossMean)).ToList();
        if (ablation.Count == 0)
            return NothingToPlot("Does preserving the base function matter?", nonFinite > 0 ? $"every operator ({nonFinite}) has a non-finite loss" : "no grown runs");
        // The ablation table has no model column: its runs are language models of the tokenizer's unit.
        string unit = Units.Loss("", tokenizer);
        var charts = new List<GenericChart>();
        foreach (var m in InReadingOrder(ablation.Select(r => r.Method)))
        {
            var rows = ablation.Where(r => r.Method == m).ToArray();
            foreach (var r in rows)
                charts.Add(Scatter([r.GrownLossMean], [r.FinalLossMean], rows.Length > 1 ? $"{m} (λ={r.Lambda:0.##}, σ={r.Sigma:0.##})" : m.Spelling, mode: "markers", method: m, size: 13, markerLine: Ink,
                    hover: $"{m} (λ={r.Lambda:0.##}, σ={r.Sigma:0.##})<br>after growth %{{x:.3f}}<br>final %{{y:.3f}}<extra></extra>"));
        }
        return Finish(Combine(charts), "Does preserving the base function matter?", Axis($"validation loss right after growth ({unit})"),
            Axis($"final validation loss ({unit})"),
            ["One point per operator setting, mean over seeds. If preserving the base's function mattered, the points would rise from left to right " +
             "(a lower loss right after growth giving a lower final loss); scratch starts from a fresh initialisation.", LeftOut(nonFinite, "operator settings")]);
    }

    /// <summary>
    /// The controls study as its answer reads it, two panels against g. Left: the share of SZP's gain over scratch
    /// that each control recovers, (scratch − control) ÷ (scratch − SZP) paired by seed, with Fieller's 95% interval
    /// (0%: none of it, 100%: all of it). Right: SZP − each arm in final loss, paired by seed with its 95% t interval
    /// (below 0: SZP ends lower); SZP − scratch there is the gain the controls are asked to explain. Arms sit side by
    /// side around each g, in the same slots in both panels.
    /// </summary>
    public static GenericChart Controls(IReadOnlyList<ControlRow> rows, string tokenizer = Units.ByteTokenizer)
    {
        if (!rows.Any(r => r.Method != Method.Scratch && r.Method != Method.Szp))
            return NothingToPlot("What does SZP transfer? The controls against SZP's gain", rows.Count == 0 ? "no control runs" : "no control arm beside scratch and SZP");
        var controls = Analysis.Controls.Arms.Skip(1).Select(a => a.Method).Where(m => rows.Any(r => r.Method == m)).ToList();
        var slots = new List<Method> { Method.Scratch }.Concat(controls).ToList();
        double Shift(Method method) => Math.Pow(1.06, slots.IndexOf(method) - (slots.Count - 1) / 2.0); // side by side on the log axis
        static double[] Bars(IEnumerable<double> ends, IEnumerable<double> values, bool above) =>
            ends.Zip(values, (e, v) => double.IsFinite(e) && double.IsFinite(v) ? Math.Abs(above ? e - v : v - e) : double.NaN).ToArray();
        var charts = new List<GenericChart>();
        var notes = new List<string>();
        foreach (var arm in controls)
        {
            var mine = rows.Where(r => r.Method == arm).OrderBy(r => r.G).ToList();
            var shares = mine.Where(r => double.IsFinite(r.Share)).ToList();
            var missing = mine.Where(r => !double.IsFinite(r.Share)).Select(r => r.G).ToList();
            if (missing.Count > 0) notes.Add($"{Analysis.Controls.ShortName(arm)}: no share at g = {List(missing)} (SZP's own gain over scratch is not clearly above 0 there).");
            var unbounded = shares.Where(r => !double.IsFinite(r.ShareLo) || !double.IsFinite(r.ShareHi)).Select(r => r.G).ToList();
            if (unbounded.Count > 0) notes.Add($"{Analysis.Controls.ShortName(arm)}: share's interval unbounded at g = {List(unbounded)} (no bar).");
            if (shares.Count > 0)
                charts.Add(Scatter(shares.Select(r => r.G * Shift(arm)), shares.Select(r => 100 * r.Share), Analysis.Controls.ShortName(arm), mode: "markers", method: arm,
                    size: 11, markerLine: Ink, legend: false, group: arm.Spelling, errorY: Bars(shares.Select(r => 100 * r.ShareHi), shares.Select(r => 100 * r.Share), true),
                    errorYMinus: Bars(shares.Select(r => 100 * r.ShareLo), shares.Select(r => 100 * r.Share), false),
                    text: shares.Select(r => $"g = {Fmt(r.G)}; {r.NVsSzp} pairs").ToArray(), hover: "%{fullData.name}<br>share of SZP's gain %{y:.0f}%<br>%{text}<extra></extra>"));
            var vsSzp = mine.Where(r => double.IsFinite(r.VsSzp)).ToList();
            if (vsSzp.Count > 0)
                charts.Add(Scatter(vsSzp.Select(r => r.G * Shift(arm)), vsSzp.Select(r => -r.VsSzp), $"SZP − {Analysis.Controls.ShortName(arm)}", mode: "markers", method: arm,
                    size: 11, markerLine: Ink, legend: false, group: arm.Spelling, panel: 1, errorY: Bars(vsSzp.Select(r => -r.VsSzpLo), vsSzp.Select(r => -r.VsSzp), true),
                    errorYMinus: Bars(vsSzp.Select(r => -r.VsSzpHi), vsSzp.Select(r => -r.VsSzp), false),
                    text: vsSzp.Select(r => $"g = {Fmt(r.G)}; {r.NVsSzp} pairs").ToArray(), hover: "%{fullData.name}<br>%{y:.3f}<br>%{text}<extra></extra>"));
        }
        var szp = rows.Where(r => r.Method == Method.Szp && double.IsFinite(r.VsScratch)).OrderBy(r => r.G).ToList();
        if (szp.Count > 0)
            charts.Add(Scatter(szp.Select(r => r.G * Shift(Method.Scratch)), szp.Select(r => r.VsScratch), "SZP − scratch", mode: "markers", method: Method.Scratch,
                size: 11, markerLine: Ink, legend: false, group: Method.Scratch.Spelling, panel: 1, errorY: Bars(szp.Select(r => r.VsScratchHi), szp.Select(r => r.VsScratch), true),
                errorYMinus: Bars(szp.Select(r => r.VsScratchLo), szp.Select(r => r.VsScratch), false),
                text: szp.Select(r => $"g = {Fmt(r.G)}; {r.Wins} of {r.N} seeds below scratch").ToArray(), hover: "%{fullData.name}<br>%{y:.3f}<br>%{text}<extra></extra>"));
        var finite = rows.Select(r => r.G).Where(double.IsFinite).ToArray();
        if (finite.Length > 0)
        {
            double x0 = finite.Min() / 1.3, x1 = finite.Max() * 1.3;
            charts.Add(Reference(x0, x1, 0, "none of SZP's gain (0%)", Palette.ZeroDash, legend: false));
            charts.Add(Reference(x0, x1, 100, "all of SZP's gain (100%)", Palette.ZeroDash, legend: false));
            charts.Add(Reference(x0, x1, 0, "no difference (0)", Palette.ZeroDash, legend: false, panel: 1));
        }
        foreach (var method in slots.Where(m => m == Method.Scratch ? szp.Count > 0 : true))
            charts.Add(Scatter([double.NaN], [double.NaN], method == Method.Scratch ? "scratch (SZP − scratch: the gain to explain)" : Analysis.Controls.ShortName(method),
                mode: "markers", method: method, size: 11, markerLine: Ink, group: method.Spelling));
        const string xTitle = "growth factor g = N_target / N_base (log scale)";
        string unit = Units.Loss(rows.Select(r => r.Model), tokenizer);
        return Finish(Combine(charts), "What does SZP transfer? The controls against SZP's gain",
            [new Panel(Axis(xTitle, log: true, finite), Axis("share of SZP's gain recovered (%)"), "Share of SZP's gain over scratch each control recovers"),
             new Panel(Axis(xTitle, log: true, finite), Axis($"SZP − arm, final validation loss ({unit})"), "SZP − each arm, paired by seed")],
            new[] { "Left: (scratch − control) ÷ (scratch − SZP), paired by seed, with Fieller's 95% interval; 0% recovers none of SZP's gain over scratch, 100% all of it " +
                    "(the answer's structure share is 100% minus the permuted base's). Right: SZP's final loss minus each arm's, paired by seed, with its 95% t interval; " +
                    "below 0 SZP ends lower. SZP − scratch is the gain the controls are asked to explain." }.Concat(notes), columns: 2);
    }

    /// <summary>The file name of the shared plotly.js that <see cref="SaveStandalone"/> can reference.</summary>
    public const string PlotlyJsFile = "plotly.min.js";

    /// <summary>plotly.js as shipped inside Plotly.NET (the version its charts are written for).</summary>
    public static string PlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames().First(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The chart as an HTML page whose chart fills the browser window, its <see cref="Caption"/> below. <paramref name="plotlyJsSource"/> null: plotly.js
    /// inline (one self-contained file, ~3.6 MB); otherwise a relative or absolute URL of plotly.min.js. The body
    /// gets <c>data-rendered="1"</c> once plotly has drawn, which <see cref="ChartRenderer"/> waits for.
    /// </summary>
    public static string ToHtml(GenericChart chart, string title, string? plotlyJsSource = null)
    {
        var figure = GenericChart.toFigureJson(chart).Replace("</", "<\\/");
        // Under the chart, below the first screen: a PNG of the viewport shows the chart alone, the page the caption too.
        string caption = Caption(chart) is { Length: > 0 } text ? $"<p id=\"caption\">{System.Net.WebUtility.HtmlEncode(text)}</p>" : "";
        string script = plotlyJsSource is null
            ? $"<script>{PlotlyJs()}</script>"
            : $"<script src=\"{System.Net.WebUtility.HtmlEncode(plotlyJsSource)}\"></script>";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{System.Net.WebUtility.HtmlEncode(title)}}</title>
            {{script}}
            <style>html, body { margin: 0; height: 100%; background: #fff; } #chart { width: 100%; height: 100%; min-height: 420px; }
            #caption { margin: 8px 24px 16px 60px; max-width: 60em; font: 14px/1.45 "Open Sans", verdana, arial, sans-serif; color: #333; }</style>
            </head><body data-chart="1"><div id="chart"></div>{{caption}}<script>
            var figure = {{figure}};
            Plotly.newPlot('chart', figure.data, figure.layout, { responsive: true, displaylogo: false })
              .then(function () { document.body.dataset.rendered = '1'; });
            </script></body></html>
            """;
    }

    /// <summary>
    /// Writes the chart as an HTML page that works offline. <paramref name="sharedPlotlyJs"/> false: plotly.js is
    /// embedded (the page stands alone). True: plotly.js is written once as <c>plotly.min.js</c> beside the page
    /// and referenced relatively, so a folder of charts carries it once (keep the folder together).
    /// </summary>
    public static void SaveStandalone(GenericChart chart, string path, bool sharedPlotlyJs = false)
    {
        string title = Path.GetFileNameWithoutExtension(path).Replace('_', ' ');
        if (sharedPlotlyJs)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(dir);
            var js = Path.Combine(dir, PlotlyJsFile);
            var content = PlotlyJs();
            if (!File.Exists(js) || new FileInfo(js).Length != System.Text.Encoding.UTF8.GetByteCount(content))
                Runtime.Files.WriteTextAtomic(js, content);
        }
        Runtime.Files.WriteTextAtomic(path, ToHtml(chart, title, sharedPlotlyJs ? PlotlyJsFile : null));
    }
}
