using Plotly.NET;

namespace Warmstart.Reporting;

public static partial class Figures
{
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
}
