using Microsoft.FSharp.Core;
using Warmstart.Analysis;

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
public static partial class Figures
{
    // One file per figure beside this one (SpeedupVsG.cs, IsoFlop.cs, …) with the helpers only it uses; the shared
    // plotting helpers are in Traces.cs, Axes.cs, Layout.cs and Labels.cs, the HTML pages in Pages.cs.

    const string Ink = "#333333";

    static string Fmt(double v, int significant = 3) => Numbers.Number(v, significant);

    static FSharpOption<T> None<T>() => FSharpOption<T>.None;

    static Dictionary<string, object> Obj(params (string Key, object? Value)[] entries) =>
        entries.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!);
}
