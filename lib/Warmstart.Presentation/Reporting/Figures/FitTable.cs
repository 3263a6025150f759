using System.Globalization;
using Plotly.NET;
using Warmstart.Analysis;

namespace Warmstart.Reporting;

public static partial class Figures
{
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
        var bounded = fits.Select(f => f.AtBounds.Split("; ", StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split(" at its")[0].Trim().ToLowerInvariant()).ToHashSet()).ToArray();
        var cells = new List<string[]>
        {
            fits.Select(f => f.Method.Spelling).ToArray(),
            fits.Select(f => f.Points.ToString(CultureInfo.InvariantCulture)).ToArray(),
        };
        cells.AddRange(parameters.Select(p => fits.Select((f, i) => Fmt(p.Value(f), 4) + (bounded[i].Contains(p.Name) ? " †" : "")).ToArray()));
        cells.Add(fits.Select(f => string.Join(" ",
            new[] { f.Reason, f.AtBounds.Length > 0 ? $"† at its bound: {f.AtBounds}; the law is not identified by these runs." : "" }
                .Where(s => s.Length > 0))).ToArray());
        int columns = header.Length - 1;
        var table = new TraceDomain("table");
        table.SetProperty("header", Obj(("values", header), ("align", "center"), ("font", Obj(("size", 13))),
            ("fill", Obj(("color", "#dde3ee")))));
        table.SetProperty("cells", Obj(("values", cells), ("align", Enumerable.Repeat("center", columns).Append("left").ToArray()),
            ("font", Obj(("size", 12))), ("height", 26)));
        // The note is the widest column: a reason or a bound warning reads as a sentence, not a word per line.
        table.SetProperty("columnwidth", Enumerable.Repeat(1.0, columns).Append(4.5).ToArray());
        var layout = new Layout();
        layout.SetProperty("title", Obj(("text", "Scaling-law fits L(N, D) = E + A/N^α + B/D^β"), ("x", 0.01), ("xanchor", "left"),
            ("font", Obj(("size", 17)))));
        layout.SetProperty("margin", Obj(("t", 50), ("r", 10), ("b", 10), ("l", 10)));
        layout.SetProperty("autosize", true);
        return Responsive(Plotly.NET.Chart.withLayout(layout).Invoke(GenericChart.ofTraceObject(true, table)));
    }
}
