using System.Globalization;
using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Warmstart.Reporting;

// Layout: panels on a grid, the title, the legend below the plot, and the caption kept in the layout.
public static partial class Figures
{
    /// <summary>One subplot: its axes and, in a figure of several, a short title over it.</summary>
    sealed record Panel(Dictionary<string, object> X, Dictionary<string, object> Y, string? Title = null);

    /// <summary>The name of the annotation that carries a grid's shared axis title ("shared axis title x" or "… y").</summary>
    public const string SharedTitle = "shared axis title ";

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
        bool sharedX = present.Select(p => AxisTitle(p.X)).Distinct().Count() == 1,
            sharedY = present.Select(p => AxisTitle(p.Y)).Distinct().Count() == 1;
        // Panels with y titles of their own need the room for them between the columns.
        double hGap = cols > 1 ? (sharedY ? 0.08 : 0.13) : 0, vGap = rows > 1 ? (titled ? 0.17 : 0.12) : 0;
        double width = (1 - (cols - 1) * hGap) / cols, height = (1 - (rows - 1) * vGap) / rows;
        // Room for a grid's shared titles, which (being annotations) do not push the margins themselves.
        layout.SetProperty("margin", Obj(("t", 30), ("r", 20), ("b", panels.Count > 1 && sharedX && cols > 1 ? 60 : 30),
            ("l", panels.Count > 1 && sharedY && rows > 1 ? 80 : 60)));
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
                    annotations.Add(Obj(("text", System.Net.WebUtility.HtmlEncode(panel.Title)), ("x", (xDomain[0] + xDomain[1]) / 2),
                        ("y", yDomain[1]), ("xref", "paper"), ("yref", "paper"), ("xanchor", "center"), ("yanchor", "bottom"), ("showarrow", false),
                        ("font", Obj(("size", 13)))));
            }
            string suffix = k == 0 ? "" : (k + 1).ToString(CultureInfo.InvariantCulture);
            layout.SetProperty("xaxis" + suffix, x);
            layout.SetProperty("yaxis" + suffix, y);
        }
        bool xOnce = panels.Count > 1 && sharedX && cols > 1, yOnce = panels.Count > 1 && sharedY && rows > 1;
        if (xOnce)
            annotations.Add(Obj(("name", SharedTitle + "x"), ("text", AxisTitle(present[0].X)), ("x", 0.5), ("y", 0), ("xref", "paper"),
                ("yref", "paper"), ("xanchor", "center"), ("yanchor", "top"), ("yshift", -24), ("showarrow", false), ("font", Obj(("size", 14)))));
        if (yOnce)
            annotations.Add(Obj(("name", SharedTitle + "y"), ("text", AxisTitle(present[0].Y)), ("x", 0), ("y", 0.5), ("xref", "paper"),
                ("yref", "paper"), ("xanchor", "right"), ("yanchor", "middle"), ("xshift", -40), ("textangle", -90), ("showarrow", false),
                ("font", Obj(("size", 14)))));
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

    /// <summary>A figure of one panel.</summary>
    static GenericChart Finish(GenericChart chart, string title, Dictionary<string, object> xAxis, Dictionary<string, object> yAxis,
        IEnumerable<string>? caption = null, Dictionary<string, object>? legend = null, Dictionary<string, object>? extra = null) =>
        Finish(chart, title, [new Panel(xAxis, yAxis)], caption, legend: legend, extra: extra);

    /// <summary>Columns of a panel grid: one row up to three panels, two by two for four, then rows of three.</summary>
    static int GridColumns(int panels) => panels == 4 ? 2 : Math.Min(panels, 3);

    /// <summary>Drops Plotly.NET's default 600 × 600 px so the chart takes its container's size.</summary>
    static GenericChart Responsive(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        layout.RemoveProperty("width");
        layout.RemoveProperty("height");
        return chart;
    }

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
}
