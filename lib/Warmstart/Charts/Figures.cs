using Microsoft.Data.Analysis;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using Warmstart.Analysis;
using CS = Plotly.NET.CSharp;

namespace Warmstart.Charts;

/// <summary>
/// One function per figure of the paper (BRIEF, "Analyses and figures"), each drawing from an analysis DataFrame.
/// Charts are Plotly.NET GenericCharts: notebooks display them inline; <see cref="SaveStandalone"/> writes an HTML
/// file with plotly.js embedded, so it opens offline.
/// </summary>
public static class Figures
{
    static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    static string ColorOf(int i) => Palette[i % Palette.Length];

    static GenericChart Line(IEnumerable<double> x, IEnumerable<double> y, string name, string color, bool dashed = false, bool markers = true, bool legend = true)
    {
        var chart = CS.Chart.Line<double, double, string>(x: x.ToArray(), y: y.ToArray(), Name: name, ShowMarkers: markers, ShowLegend: legend,
            LineColor: Color.fromString(color), MarkerColor: Color.fromString(color),
            LineDash: dashed ? StyleParam.DrawingStyle.Dash : StyleParam.DrawingStyle.Solid);
        return chart;
    }

    static GenericChart Points(IEnumerable<double> x, IEnumerable<double> y, string name, string color, StyleParam.MarkerSymbol symbol, int size = 8, bool legend = true) =>
        CS.Chart.Point<double, double, string>(x: x.ToArray(), y: y.ToArray(), Name: name, ShowLegend: legend,
            MarkerColor: Color.fromString(color), MarkerSymbol: symbol);

    static GenericChart Axes(GenericChart chart, string title, string xTitle, string yTitle, bool logX = false, bool logY = false)
    {
        chart = CS.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle,
            AxisType: logX ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
        chart = CS.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: yTitle,
            AxisType: logY ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear);
        return Plotly.NET.Chart.withSize(900.0, 560.0).Invoke(WithTitle(chart, title)); // wide enough for the legends
    }

    static FSharpOption<T> None<T>() => FSharpOption<T>.None;

    /// <summary>Combines traces; an empty figure (nothing finished yet) gets one empty trace instead of failing.</summary>
    static GenericChart Combine(List<GenericChart> charts) =>
        CS.Chart.Combine(charts.Count > 0 ? charts : [Line([], [], "no data yet", "#444444", markers: false)]);

    static GenericChart WithTitle(GenericChart chart, string title) => Plotly.NET.Chart.withTitle(title, None<Font>()).Invoke(chart);

    static GenericChart WithErrorBars(GenericChart chart, double[] spread) =>
        Plotly.NET.Chart.withYErrorStyle<double, double>(None<bool>(), None<StyleParam.ErrorType>(), None<bool>(),
            FSharpOption<IEnumerable<double>>.Some(spread), None<IEnumerable<double>>(), None<double>(), None<double>(), None<int>(),
            None<int>(), None<bool>(), None<Color>(), None<double>(), None<double>()).Invoke(chart);

    /// <summary>Speedup (scratch ÷ warm, tokens to reach scratch's final loss) against g, mean ± std over seeds; dashed: base compute included.</summary>
    public static GenericChart SpeedupVsG(DataFrame summary)
    {
        var methods = Frames.Strings(summary, "method");
        var models = Frames.Strings(summary, "model");
        bool oneModel = models.Distinct().Count() <= 1;
        var g = Frames.Doubles(summary, "g");
        var tpp = Frames.Doubles(summary, "tpp");
        var mean = Frames.Doubles(summary, "speedup_mean");
        var std = Frames.Doubles(summary, "speedup_std");
        var withBase = Frames.Doubles(summary, "speedup_with_base_mean");
        var charts = new List<GenericChart>();
        int k = 0;
        foreach (var group in Enumerable.Range(0, methods.Length).GroupBy(i => (Method: methods[i], Tpp: tpp[i], Model: models[i])))
        {
            var idx = group.OrderBy(i => g[i]).ToArray();
            string color = ColorOf(k++);
            string label = oneModel ? $"{group.Key.Method} ({group.Key.Tpp:0.#} TPP)" : $"{group.Key.Method}, {group.Key.Model} ({group.Key.Tpp:0.#} TPP)";
            var line = Line(idx.Select(i => g[i]), idx.Select(i => mean[i]), label, color);
            charts.Add(WithErrorBars(line, idx.Select(i => double.IsNaN(std[i]) ? 0 : std[i]).ToArray()));
            charts.Add(Line(idx.Select(i => g[i]), idx.Select(i => withBase[i]), label + " incl. base compute", color, dashed: true));
        }
        if (g.Length > 0) charts.Add(Line([g.Min(), g.Max()], [1, 1], "break-even", "#444444", dashed: true, markers: false));
        return Axes(Combine(charts), "Speedup vs growth factor", "growth factor g = N_target / N_base", "speedup (scratch tokens ÷ warm tokens)", logX: true);
    }

    /// <summary>Iso-FLOP loss vs g: points and the quadratic fit per FLOP level; ★ g_opt, ✕ g_upper; dashed: scratch at that level.</summary>
    public static GenericChart IsoFlop(DataFrame points, DataFrame fits, string title)
    {
        var pl = Frames.Doubles(points, "level");
        var pg = Frames.Doubles(points, "g");
        var ploss = Frames.Doubles(points, "loss");
        var fl = Frames.Doubles(fits, "level");
        var flops = Frames.Doubles(fits, "flops");
        var (c0, c1, c2) = (Frames.Doubles(fits, "c0"), Frames.Doubles(fits, "c1"), Frames.Doubles(fits, "c2"));
        var (gOpt, gUp, scratch) = (Frames.Doubles(fits, "g_opt"), Frames.Doubles(fits, "g_upper"), Frames.Doubles(fits, "scratch_loss"));
        var charts = new List<GenericChart>();
        if (pg.Length == 0) return Axes(Combine([]), title, "g", "validation loss", logX: true);
        double gMin = pg.Min(), gMax = pg.Max();
        for (int f = 0; f < fl.Length; f++)
        {
            string color = ColorOf((int)fl[f]);
            string label = $"{flops[f]:0.##E0} FLOPs";
            var idx = Enumerable.Range(0, pl.Length).Where(i => pl[i] == fl[f]).ToArray();
            charts.Add(Points(idx.Select(i => pg[i]), idx.Select(i => ploss[i]), label, color, StyleParam.MarkerSymbol.Circle, legend: false));
            if (!double.IsNaN(c2[f]))
            {
                var xs = Enumerable.Range(0, 50).Select(j => Math.Exp(Math.Log(gMin) + j * (Math.Log(gMax) - Math.Log(gMin)) / 49)).ToArray();
                charts.Add(Line(xs, xs.Select(x => c0[f] + c1[f] * Math.Log(x) + c2[f] * Math.Log(x) * Math.Log(x)), label, color, markers: false));
            }
            if (!double.IsNaN(scratch[f])) charts.Add(Line([gMin, gMax], [scratch[f], scratch[f]], label + " scratch", color, dashed: true, markers: false, legend: false));
            double F(double g) => c0[f] + c1[f] * Math.Log(g) + c2[f] * Math.Log(g) * Math.Log(g);
            if (!double.IsNaN(gOpt[f])) charts.Add(Points([gOpt[f]], [F(gOpt[f])], "g_opt", color, StyleParam.MarkerSymbol.Star, legend: false));
            if (!double.IsNaN(gUp[f])) charts.Add(Points([gUp[f]], [F(gUp[f])], "g_upper", color, StyleParam.MarkerSymbol.X, legend: false));
        }
        return Axes(Combine(charts), title, "growth factor g (log)", "validation loss at the FLOP level", logX: true);
    }

    /// <summary>Validation loss against FLOPs per run (one colour per method), with the base model's final loss dashed.</summary>
    public static GenericChart LearningCurves(DataFrame runs, DataFrame curves, string title)
    {
        var ids = Frames.Strings(runs, "run_id");
        var methods = Frames.Strings(runs, "method");
        var bases = Frames.Strings(runs, "base_id");
        var finals = Frames.Doubles(runs, "final_val_loss");
        var cid = Frames.Strings(curves, "run_id");
        var cf = Frames.Doubles(curves, "flops");
        var cl = Frames.Doubles(curves, "val_loss");
        var methodColor = methods.Distinct().OrderBy(m => m == "scratch" ? "" : m).Select((m, i) => (m, i)).ToDictionary(t => t.m, t => ColorOf(t.i));
        var charts = new List<GenericChart>();
        var shownLegend = new HashSet<string>();
        var usedBases = new HashSet<string>();
        for (int r = 0; r < ids.Length; r++)
        {
            bool isBaseOnly = methods[r] == "scratch" && bases.Contains(ids[r]);
            if (isBaseOnly) continue;
            var idx = Enumerable.Range(0, cid.Length).Where(i => cid[i] == ids[r]).ToArray();
            if (idx.Length == 0) continue;
            charts.Add(Line(idx.Select(i => cf[i]), idx.Select(i => cl[i]), methods[r], methodColor[methods[r]], markers: false, legend: shownLegend.Add(methods[r])));
            if (bases[r].Length > 0) usedBases.Add(bases[r]);
        }
        double xMax = cf.Length > 0 ? cf.Max() : 1;
        foreach (var b in usedBases)
        {
            int i = Array.IndexOf(ids, b);
            if (i >= 0 && !double.IsNaN(finals[i]))
                charts.Add(Line([0, xMax], [finals[i], finals[i]], "base final loss", "#444444", dashed: true, markers: false, legend: shownLegend.Add("base")));
        }
        return Axes(Combine(charts), title, "training FLOPs of the target (C = 6·N·D)", "validation loss");
    }

    /// <summary>Final loss against λ per σ (and target size/budget), scratch dashed.</summary>
    public static GenericChart LambdaSweep(DataFrame lambda)
    {
        var lam = Frames.Doubles(lambda, "lambda");
        var sig = Frames.Doubles(lambda, "sigma");
        var model = Frames.Strings(lambda, "model");
        var tpp = Frames.Doubles(lambda, "tpp");
        var mean = Frames.Doubles(lambda, "final_loss_mean");
        var scratch = Frames.Doubles(lambda, "scratch_loss_mean");
        var charts = new List<GenericChart>();
        int k = 0;
        foreach (var group in Enumerable.Range(0, lam.Length).GroupBy(i => (model[i], tpp[i], sig[i])))
        {
            var idx = group.OrderBy(i => lam[i]).ToArray();
            string color = ColorOf(k++);
            charts.Add(Line(idx.Select(i => lam[i]), idx.Select(i => mean[i]), $"σ = {group.Key.Item3:0.##}, {group.Key.Item1}, {group.Key.Item2:0.#} TPP", color));
            charts.Add(Line([0, 1], [scratch[idx[0]], scratch[idx[0]]], "scratch", color, dashed: true, markers: false));
        }
        return Axes(Combine(charts), "Shrinking: final loss vs λ", "λ (shrink of the base weights)", "final validation loss");
    }

    /// <summary>The fitted scaling laws as a table.</summary>
    public static GenericChart FitTable(DataFrame fits)
    {
        string[] columns = ["method", "points", "a", "alpha", "b", "beta", "e", "r2", "reason"];
        var header = new[] { "method", "points", "A", "α", "B", "β", "E", "R²", "note" };
        var cells = columns.Select(c => Frames.Strings(fits, c).Select(v =>
            double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && c is not ("method" or "points")
                ? (double.IsNaN(d) ? "–" : d.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)) : v).ToArray()).ToArray();
        TableCells Cells(IEnumerable<IEnumerable<string>> values) => TableCells.init<IEnumerable<string>, string>(None<StyleParam.HorizontalAlign>(),
            None<IEnumerable<StyleParam.HorizontalAlign>>(), None<Plotly.NET.TraceObjects.TableFill>(), None<Font>(), None<IEnumerable<string>>(),
            None<int>(), None<Line>(), None<string>(), None<IEnumerable<string>>(), None<string>(), None<IEnumerable<string>>(),
            FSharpOption<IEnumerable<IEnumerable<string>>>.Some(values));
        var table = CS.Chart.Table(Cells(header.Select(h => new[] { h })), Cells(cells));
        return WithTitle(table, "Scaling-law fits L(N, D) = E + A/N^α + B/D^β");
    }

    /// <summary>ΔL = L_warm − L_scratch over (N, D) with its zero contour, the D = 20N line and observed differences.</summary>
    public static GenericChart DeltaContour(DataFrame grid, DataFrame zeroContour, DataFrame observed, string title)
    {
        var n = Frames.Doubles(grid, "n");
        var d = Frames.Doubles(grid, "d");
        var delta = Frames.Doubles(grid, "delta");
        var ns = n.Distinct().OrderBy(v => v).ToArray();
        var ds = d.Distinct().OrderBy(v => v).ToArray();
        var lookup = Enumerable.Range(0, n.Length).ToDictionary(i => (n[i], d[i]), i => delta[i]);
        var z = ds.Select(dv => ns.Select(nv => lookup[(nv, dv)]).ToArray()).ToArray();
        var contour = CS.Chart.Contour<double, double, double, string>(zData: z, X: ns.Select(Math.Log10).ToArray(), Y: ds.Select(Math.Log10).ToArray(), Name: "ΔL");
        var charts = new List<GenericChart> { contour };
        var zn = Frames.Doubles(zeroContour, "n");
        var zd = Frames.Doubles(zeroContour, "d");
        if (zn.Length > 0) charts.Add(Line(zn.Select(Math.Log10), zd.Select(Math.Log10), "ΔL = 0", "#000000", markers: false));
        charts.Add(Line(ns.Select(Math.Log10), ns.Select(v => Math.Log10(20 * v)), "D = 20N", "#ffffff", dashed: true, markers: false));
        var on = Frames.Doubles(observed, "n");
        var od = Frames.Doubles(observed, "d");
        if (on.Length > 0) charts.Add(Points(on.Select(Math.Log10), od.Select(Math.Log10), "observed runs", "#ff00ff", StyleParam.MarkerSymbol.Diamond));
        return Axes(Combine(charts), title, "log₁₀ N (parameters)", "log₁₀ D (tokens)");
    }

    /// <summary>One weight metric against training step: a line per (method, layer); dash style tells the layers apart.</summary>
    public static GenericChart WeightMetric(DataFrame weights, string metric)
    {
        var method = Frames.Strings(weights, "method");
        var layer = Frames.Strings(weights, "layer");
        var run = Frames.Strings(weights, "run_id");
        var step = Frames.Doubles(weights, "step");
        var value = Frames.Doubles(weights, metric);
        var methodColor = method.Distinct().OrderBy(m => m == "scratch" ? "" : m).Select((m, i) => (m, i)).ToDictionary(t => t.m, t => ColorOf(t.i));
        var layers = layer.Distinct().ToList();
        var charts = new List<GenericChart>();
        foreach (var group in Enumerable.Range(0, run.Length).GroupBy(i => (run[i], layer[i])))
        {
            var idx = group.OrderBy(i => step[i]).Where(i => !double.IsNaN(value[i])).ToArray();
            if (idx.Length == 0) continue;
            var m = method[idx[0]];
            var dash = (layers.IndexOf(group.Key.Item2) % 4) switch
            {
                0 => StyleParam.DrawingStyle.Solid, 1 => StyleParam.DrawingStyle.Dash, 2 => StyleParam.DrawingStyle.Dot, _ => StyleParam.DrawingStyle.DashDot,
            };
            charts.Add(CS.Chart.Line<double, double, string>(x: idx.Select(i => step[i]).ToArray(), y: idx.Select(i => value[i]).ToArray(),
                Name: $"{m}: {group.Key.Item2}", ShowMarkers: true, LineColor: Color.fromString(methodColor[m]), MarkerColor: Color.fromString(methodColor[m]), LineDash: dash));
        }
        string title = metric switch
        {
            "effective_rank" => "Effective rank over training",
            "cosine_to_previous" => "Cosine similarity to the previous snapshot",
            "radial_change" => "Radial change (along the weights) per snapshot",
            "angular_change" => "Angular change (rotation) per snapshot",
            _ => metric,
        };
        return Axes(Combine(charts), title, "training step", metric.Replace('_', ' '));
    }

    /// <summary>Final loss against LR for the base, the scratch target and the warm target (log LR).</summary>
    public static GenericChart LrSweep(DataFrame table)
    {
        var lr = Frames.Doubles(table, "lr");
        var charts = new List<GenericChart>();
        int k = 0;
        foreach (var (column, label) in new[] { ("base_loss", "base"), ("scratch_loss", "scratch target"), ("warm_loss", "warm target") })
        {
            var y = Frames.Doubles(table, column);
            var points = Enumerable.Range(0, lr.Length).GroupBy(i => lr[i]).OrderBy(g => g.Key)
                .Select(g => (X: g.Key, Y: Stats.Mean(g.Select(i => y[i])))).ToList();
            charts.Add(Line(points.Select(p => p.X), points.Select(p => p.Y), label, ColorOf(k++)));
        }
        return Axes(Combine(charts), "LR transfer under µP: final loss vs learning rate", "peak learning rate (log)", "final validation loss", logX: true);
    }

    /// <summary>
    /// Loss right after growth (x) against final loss (y), one point per operator setting (mean over seeds):
    /// if preserving the function mattered, the points would rise from left to right.
    /// </summary>
    public static GenericChart GrownVsFinal(DataFrame ablation)
    {
        var method = Frames.Strings(ablation, "method");
        var lambda = Frames.Doubles(ablation, "lambda");
        var sigma = Frames.Doubles(ablation, "sigma");
        var grown = Frames.Doubles(ablation, "grown_loss_mean");
        var final = Frames.Doubles(ablation, "final_loss_mean");
        var charts = new List<GenericChart>();
        for (int i = 0; i < method.Length; i++)
        {
            string label = method[i] == "scratch" ? "scratch" : $"{method[i]} (λ={lambda[i]:0.##}, σ={sigma[i]:0.##})";
            charts.Add(Points([grown[i]], [final[i]], label, ColorOf(i), StyleParam.MarkerSymbol.Circle));
        }
        return Axes(Combine(charts), "Does preserving the base function matter?", "validation loss right after growth", "final validation loss");
    }

    /// <summary>Writes the chart as a self-contained HTML page (plotly.js embedded, works offline).</summary>
    public static void SaveStandalone(GenericChart chart, string path)
    {
        var options = DisplayOptions.init(None<string>(), None<string>(), None<string>(), None<Giraffe.ViewEngine.HtmlElements.XmlNode>(),
            None<Microsoft.FSharp.Collections.FSharpList<Giraffe.ViewEngine.HtmlElements.XmlNode>>(), None<Microsoft.FSharp.Collections.FSharpList<Giraffe.ViewEngine.HtmlElements.XmlNode>>(),
            FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full));
        var standalone = GenericChart.setDisplayOptions(options, chart);
        var html = GenericChart.toEmbeddedHTML(standalone);
        Runtime.Files.WriteTextAtomic(path, html);
    }
}
