using Plotly.NET;
using Warmstart.Analysis;

namespace Warmstart.Reporting;

public static partial class Figures
{
    /// <summary>
    /// ΔL = L_warm − L_scratch over (N, D) with its zero contour, the D = 20N line and the observed differences. The
    /// map is cropped to the observed runs with a margin of <see cref="DeltaMargin"/> decades, and outside their
    /// hull (where the map is an extrapolation of the two fits) it is faded and hatched. The colour scale is
    /// symmetric about 0 and limited to ±1.5 × the largest observed |ΔL| (blue: warm-starting wins).
    /// <paramref name="dataUnit"/> names what D counts: "tokens" for language models, "samples" for the MLP family.
    /// </summary>
    public static GenericChart DeltaContour(IReadOnlyList<DeltaGridCell> grid, IReadOnlyList<DeltaGridCell> zeroContour,
        IReadOnlyList<ObservedDeltaRow> observed, string title, string dataUnit = "tokens", string tokenizer = Units.ByteTokenizer)
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
        double limit = ColourLimit(odelta, delta);
        // The MLP family's losses are per sample; a language model's follow its tokenizer.
        string lossUnit = dataUnit == "samples" ? Units.Loss("MLP", tokenizer) : Units.Loss("", tokenizer);
        var charts = new List<GenericChart> { DeltaMap(ns, ds, z, limit, lossUnit) };
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
                text: odelta.Select(v => $"ΔL {Fmt(v)}").ToArray(),
                hover: "log₁₀ N %{x:.2f}<br>log₁₀ D %{y:.2f}<br>observed %{text}<extra></extra>"));
        // On the plot's own background so that the white D = 20N key shows; the colourbar keeps the right.
        var legend = Obj(("orientation", "h"), ("x", 0), ("xanchor", "left"), ("y", 0), ("yanchor", "bottom"), ("yref", "container"),
            ("bgcolor", "#e5ecf6"));
        var xAxis = Axis("log₁₀ N (N in parameters)");
        var yAxis = Axis($"log₁₀ D (D in {dataUnit})");
        xAxis["range"] = xRange;
        yAxis["range"] = yRange;
        return Finish(Combine(charts), title, xAxis, yAxis,
            [$"ΔL = L_warm − L_scratch from the two fitted laws; blue: warm-starting ends lower. " +
             $"Colour scale limited to ±{Fmt(limit, 2)} {lossUnit} (1.5 × the largest observed |ΔL|). " +
             $"Drawn over the observed runs' range ± {DeltaMargin:0.##} decades; " +
             "faded and hatched: outside the observed runs, where the map is an extrapolation of the fits."],
            legend);
    }

    /// <summary>
    /// The colour scale's limit: 1.5 × the largest observed |ΔL|, else (no finite observation) the 90th percentile of
    /// the map's |ΔL|, rounded up to two significant figures.
    /// </summary>
    static double ColourLimit(double[] odelta, double[] delta)
    {
        double limit = odelta.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(double.NaN).Max() * 1.5;
        if (!(limit > 0))
        {
            var sorted = delta.Where(double.IsFinite).Select(Math.Abs).OrderBy(v => v).ToArray();
            limit = sorted.Length > 0 ? Math.Max(sorted[(int)(0.9 * (sorted.Length - 1))], 1e-6) : 1;
        }
        return RoundUp(limit);
    }

    /// <summary>
    /// The ΔL map as a filled contour over (log₁₀ N, log₁₀ D), on a colour scale symmetric about 0 and limited to
    /// ±<paramref name="limit"/>.
    /// </summary>
    static GenericChart DeltaMap(double[] ns, double[] ds, double[][] z, double limit, string lossUnit)
    {
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
        contour.SetProperty("colorbar", Obj(("title", Obj(("text", $"ΔL ({lossUnit})<br>blue: warm wins"), ("side", "right"))), ("thickness", 14),
            ("x", 1.01)));
        contour.SetProperty("hovertemplate", "log₁₀ N %{x:.2f}<br>log₁₀ D %{y:.2f}<br>ΔL %{z:.3f}<extra></extra>");
        return GenericChart.ofTraceObject(true, contour);
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
            hull = [(xs.Min() - pad, ys.Min() - pad), (xs.Max() + pad, ys.Min() - pad), (xs.Max() + pad, ys.Max() + pad),
                (xs.Min() - pad, ys.Max() + pad)];
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
        trace.SetProperty("fillpattern", Obj(("shape", "/"), ("fgcolor", "rgba(90,90,90,0.45)"), ("bgcolor", "rgba(255,255,255,0.55)"), ("size", 10),
            ("solidity", 0.15)));
        trace.SetProperty("line", Obj(("width", 0)));
        trace.SetProperty("hoverinfo", "skip");
        return GenericChart.ofTraceObject(true, trace);
    }

    /// <summary>Andrew's monotone chain: the convex hull of the points, counter-clockwise, without repeats.</summary>
    static List<(double X, double Y)> ConvexHull(List<(double X, double Y)> points)
    {
        var sorted = points.OrderBy(p => p.X).ThenBy(p => p.Y).ToList();
        if (sorted.Count < 3) return sorted;
        static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) =>
            (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
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
}
