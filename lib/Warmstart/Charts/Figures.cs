using System.Globalization;
using Microsoft.Data.Analysis;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using Warmstart.Analysis;
using CS = Plotly.NET.CSharp;

namespace Warmstart.Charts;

/// <summary>
/// One function per figure of the paper (docs/research.md, "The analyses"), each drawing from an analysis DataFrame.
/// Charts are Plotly.NET GenericCharts built from plain plotly.js attributes: notebooks display them inline, sized
/// to their container; <see cref="SaveStandalone"/> writes an HTML page that works offline (plotly.js inline, or
/// one shared <c>plotly.min.js</c> beside the pages), and <see cref="ChartRenderer"/> turns pages into PNGs.
/// Conventions: log-g axes label the g values themselves; series with nothing to draw leave the legend and are
/// named in a note under the title; error bars (± std over seeds) only where at least two seeds contribute.
/// </summary>
public static class Figures
{
    static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    // Viridis, dark → light, for ordered quantities (FLOP levels).
    static readonly string[] Sequential = ["#440154", "#46327e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#a0da39", "#fde725"];
    const string Ink = "#333333";

    static string ColorOf(int i) => Palette[((i % Palette.Length) + Palette.Length) % Palette.Length];

    static string SequentialColor(int i, int count) =>
        count <= 1 ? Sequential[3] : Sequential[(int)Math.Round(i * (Sequential.Length - 1.0) / (count - 1))];

    static string Fmt(double v, int significant = 3) => Display.Number(v, significant);

    static FSharpOption<T> None<T>() => FSharpOption<T>.None;

    static Dictionary<string, object> Obj(params (string Key, object? Value)[] entries) =>
        entries.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!);

    /// <summary>A scatter trace from plotly.js attributes (mode "lines", "markers" or "lines+markers").</summary>
    static GenericChart Scatter(IEnumerable<double> x, IEnumerable<double> y, string name, string color, string mode = "lines+markers",
        string dash = "solid", string symbol = "circle", int size = 7, bool legend = true, string? group = null, double[]? errorY = null,
        string[]? text = null, string? hover = null, double width = 2, string? markerLine = null, double[]? errorYMinus = null)
    {
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
        if (hover is not null) trace.SetProperty("hovertemplate", hover);
        return GenericChart.ofTraceObject(true, trace);
    }

    /// <summary>A legend entry only (nothing drawn): one key for a family of traces drawn without their own entries.</summary>
    static GenericChart Key(string name, string color, string mode, string dash = "solid", string symbol = "circle", int size = 7, string? group = null) =>
        Scatter([double.NaN], [double.NaN], name, color, mode, dash, symbol, size, legend: true, group: group, markerLine: mode == "markers" ? Ink : null);

    /// <summary>An axis: title, linear or log, and on log axes readable ticks (the given values, or 1-2-5 steps).</summary>
    static Dictionary<string, object> Axis(string title, bool log = false, IEnumerable<double>? tickValues = null)
    {
        var axis = Obj(("title", Obj(("text", title))), ("type", log ? "log" : "linear"), ("automargin", true));
        if (log)
        {
            var values = (tickValues ?? []).Where(v => v > 0 && double.IsFinite(v)).Select(v => Math.Round(v, 6)).Distinct().OrderBy(v => v).ToArray();
            if (values.Length is > 0 and <= 10 && values.Zip(values.Skip(1)).All(p => p.Second / p.First > 1.25)) { }
            else if (values.Length > 0) values = OneTwoFive(values.Min(), values.Max());
            if (values.Length > 0)
            {
                axis["tickmode"] = "array";
                axis["tickvals"] = values;
                axis["ticktext"] = values.Select(v => Fmt(v)).ToArray();
            }
        }
        return axis;
    }

    /// <summary>1, 2, 5 × 10^k within [lo, hi] (widened a little), for log axes with many values.</summary>
    static double[] OneTwoFive(double lo, double hi)
    {
        var ticks = new List<double>();
        for (int k = (int)Math.Floor(Math.Log10(lo / 1.2)); k <= (int)Math.Ceiling(Math.Log10(hi * 1.2)); k++)
            foreach (var m in new[] { 1.0, 2.0, 5.0 })
            {
                double v = m * Math.Pow(10, k);
                if (v >= lo / 1.2 && v <= hi * 1.2) ticks.Add(v);
            }
        return ticks.ToArray();
    }

    /// <summary>Title, a note under it, axes and legend placement; no fixed size (charts fill their container).</summary>
    static GenericChart Finish(GenericChart chart, string title, Dictionary<string, object> xAxis, Dictionary<string, object> yAxis,
        IReadOnlyList<string>? notes = null, Dictionary<string, object>? legend = null, Dictionary<string, object>? extra = null)
    {
        var lines = (notes ?? []).Where(n => n.Length > 0).SelectMany(n => Wrap(n, 120)).ToList();
        string text = System.Net.WebUtility.HtmlEncode(title);
        if (lines.Count > 0)
            text += "<br><span style=\"font-size:12px;color:#555\">" + string.Join("<br>", lines.Select(System.Net.WebUtility.HtmlEncode)) + "</span>";
        var layout = new Layout();
        // Above the plot area, growing the top margin as needed (plotly's title.automargin), so notes never clip.
        layout.SetProperty("title", Obj(("text", text), ("x", 0), ("xref", "paper"), ("xanchor", "left"), ("y", 1), ("yref", "paper"),
            ("yanchor", "bottom"), ("automargin", true), ("pad", Obj(("b", 12)))));
        layout.SetProperty("margin", Obj(("t", 30), ("r", 20), ("b", 50), ("l", 60)));
        layout.SetProperty("autosize", true);
        layout.SetProperty("xaxis", xAxis);
        layout.SetProperty("yaxis", yAxis);
        layout.SetProperty("legend", legend ?? Obj(("bgcolor", "rgba(255,255,255,0.8)")));
        layout.SetProperty("hovermode", "closest");
        foreach (var (key, value) in extra ?? []) layout.SetProperty(key, value);
        return Responsive(Plotly.NET.Chart.withLayout(layout).Invoke(chart));
    }

    /// <summary>Drops Plotly.NET's default 600 × 600 px so the chart takes its container's size.</summary>
    static GenericChart Responsive(GenericChart chart)
    {
        var layout = GenericChart.getLayout(chart);
        layout.RemoveProperty("width");
        layout.RemoveProperty("height");
        return chart;
    }

    static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { yield return line.ToString(); line.Clear(); }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }

    /// <summary>Combines traces; an empty figure (nothing finished yet) gets one empty trace instead of failing.</summary>
    static GenericChart Combine(List<GenericChart> charts) =>
        CS.Chart.Combine(charts.Count > 0 ? charts : [Scatter([], [], "no data yet", "#444444", "lines")]);

    static string List(IEnumerable<double> gs) => string.Join(", ", gs.Select(v => Fmt(v)));

    /// <summary>
    /// Speedup (scratch ÷ warm, tokens to reach scratch's final loss) against g, mean ± std over the seeds that
    /// reached it; dashed with open markers: base compute included. Series that never reach the target are named in
    /// the note instead of the legend, as are points where the warm model started below the target ("at init").
    /// </summary>
    public static GenericChart SpeedupVsG(DataFrame summary)
    {
        var methods = Frames.Strings(summary, "method");
        var models = Frames.Strings(summary, "model");
        bool oneModel = models.Distinct().Count() <= 1;
        var g = Frames.Doubles(summary, "g");
        var tpp = Frames.Doubles(summary, "tpp");
        var runs = Frames.Doubles(summary, "runs");
        var reached = Frames.Doubles(summary, "reached");
        var mean = Frames.Doubles(summary, "speedup_mean");
        var std = Frames.Doubles(summary, "speedup_std");
        var withBase = Frames.Doubles(summary, "speedup_with_base_mean");
        var withBaseStd = Frames.Doubles(summary, "speedup_with_base_std");
        // Where the summary carries 95% intervals (geometric mean, t on ln speedup), the bars show them: a claim is
        // decided on intervals, so the figure shows the same ones.
        bool intervals = Frames.Has(summary, "speedup_lo");
        double[] Col(string c) => intervals ? Frames.Doubles(summary, c) : new double[methods.Length];
        var (lo, hi, bLo, bHi) = (Col("speedup_lo"), Col("speedup_hi"), Col("speedup_with_base_lo"), Col("speedup_with_base_hi"));
        // Interval bars (asymmetric) where the rows carry any finite interval; otherwise the std bars as before.
        bool HasIntervals(int[] rows, double[] l) => intervals && rows.Any(i => double.IsFinite(l[i]));
        double[]? Up(int[] rows, double[] m, double[] h, double[] l) => HasIntervals(rows, l) ? rows.Select(i => double.IsFinite(h[i]) ? h[i] - m[i] : double.NaN).ToArray() : null;
        double[]? Down(int[] rows, double[] m, double[] l) => HasIntervals(rows, l) ? rows.Select(i => double.IsFinite(l[i]) ? m[i] - l[i] : double.NaN).ToArray() : null;
        var charts = new List<GenericChart>();
        var notes = new List<string>();
        int k = 0;
        bool anyBase = false;
        foreach (var group in Enumerable.Range(0, methods.Length).GroupBy(i => (Method: methods[i], Tpp: tpp[i], Model: models[i])))
        {
            var idx = group.OrderBy(i => g[i]).ToArray();
            string label = oneModel ? $"{group.Key.Method} ({group.Key.Tpp:0.#} TPP)" : $"{group.Key.Method}, {group.Key.Model} ({group.Key.Tpp:0.#} TPP)";
            var drawn = idx.Where(i => double.IsFinite(mean[i])).ToArray();
            var never = idx.Where(i => reached[i] == 0).Select(i => g[i]).ToArray();
            // Some but not all seeds reached: the mean is not estimable (speedup_mean NaN), never averaged over the reachers.
            var notEstimable = idx.Where(i => reached[i] > 0 && double.IsNaN(mean[i])).ToArray();
            if (notEstimable.Length > 0)
                notes.Add($"{label}: speedup not estimable (some seeds did not reach scratch's final loss) — " +
                          string.Join(", ", notEstimable.Select(i => $"{reached[i]:0} of {runs[i]:0} at g = {Fmt(g[i])}")) + "; not drawn.");
            var atInit = idx.Where(i => double.IsPositiveInfinity(mean[i])).Select(i => g[i]).ToArray();
            var partial = Frames.Has(summary, "speedup_kind") ? drawn.Where(i => Frames.Strings(summary, "speedup_kind")[i] == "lower bound").ToArray() : [];
            if (never.Length > 0)
                notes.Add(drawn.Length == 0 && atInit.Length == 0
                    ? $"{label}: never reached scratch's final loss (g = {List(never)}); not drawn."
                    : $"{label}: did not reach scratch's final loss at g = {List(never)}.");
            if (atInit.Length > 0) notes.Add($"{label}: already below scratch's final loss right after growth at g = {List(atInit)} (speedup unbounded); not drawn.");
            if (drawn.Length == 0) continue;
            if (partial.Length > 0)
                notes.Add($"{label}: lower bound (a seed was below the target at its first evaluation) at g = " + string.Join(", ", partial.Select(i => Fmt(g[i]))) + ".");
            string color = ColorOf(k++);
            double[] Bars(double[] spread) => drawn.Select(i => reached[i] >= 2 && double.IsFinite(spread[i]) ? spread[i] : double.NaN).ToArray();
            var seedText = drawn.Select(i => $"{reached[i]:0} of {runs[i]:0} seeds reached the target").ToArray();
            const string hover = "%{fullData.name}<br>g = %{x:.3g}<br>speedup %{y:.3g}<br>%{text}<extra></extra>";
            charts.Add(Scatter(drawn.Select(i => g[i]), drawn.Select(i => mean[i]), label, color, errorY: Up(drawn, mean, hi, lo) ?? Bars(std),
                errorYMinus: Down(drawn, mean, lo), text: seedText, hover: hover, group: label));
            var withBaseIdx = drawn.Where(i => double.IsFinite(withBase[i])).ToArray();
            if (withBaseIdx.Length > 0)
            {
                anyBase = true;
                var bars = withBaseIdx.Select(i => reached[i] >= 2 && double.IsFinite(withBaseStd[i]) ? withBaseStd[i] : double.NaN).ToArray();
                // Drawn 3 % to the right of their g so that the two sets of error bars do not sit on each other.
                charts.Add(Scatter(withBaseIdx.Select(i => g[i] * 1.03), withBaseIdx.Select(i => withBase[i]), label + ", base compute included", color,
                    dash: "dash", symbol: "circle-open", size: 8, errorY: Up(withBaseIdx, withBase, bHi, bLo) ?? bars, errorYMinus: Down(withBaseIdx, withBase, bLo), group: label,
                    text: withBaseIdx.Select(i => $"g = {Fmt(g[i])}; {reached[i]:0} of {runs[i]:0} seeds reached the target").ToArray(),
                    hover: "%{fullData.name}<br>speedup %{y:.3g}<br>%{text}<extra></extra>"));
            }
        }
        var finite = g.Where(double.IsFinite).ToArray();
        if (finite.Length > 0)
            charts.Add(Scatter([finite.Min(), finite.Max()], [1, 1], "break-even (speedup 1)", "#444444", "lines", dash: "dot", width: 1.5));
        notes.Insert(0, "Speedup = scratch's tokens ÷ the warm run's tokens to reach scratch's final loss; " +
            (intervals ? "geometric mean over all seeds with its 95% interval (t on ln speedup; bars only where ≥ 2 seeds)" : "mean ± std over seeds (bars only where ≥ 2 seeds)")
            + (anyBase ? "; dashed, open markers (drawn slightly right of their g): the base model's training compute counted too." : "."));
        return Finish(Combine(charts), "Speedup vs growth factor", Axis("growth factor g = N_target / N_base (log)", log: true, finite),
            Axis("speedup (× fewer tokens than scratch)"), notes);
    }

    /// <summary>
    /// Iso-FLOP loss vs g: points and the quadratic fit per FLOP level (colour: light = more compute); ★ g_opt (the
    /// fit's minimum), ✕ g_upper (where the fit crosses scratch); dashed: scratch at that level. A note says where
    /// and why a fit has no minimum or no crossing.
    /// </summary>
    public static GenericChart IsoFlop(DataFrame points, DataFrame fits, string title)
    {
        var pl = Frames.Doubles(points, "level");
        var pg = Frames.Doubles(points, "g");
        var ploss = Frames.Doubles(points, "loss");
        var fl = Frames.Doubles(fits, "level");
        var flops = Frames.Doubles(fits, "flops");
        var (c0, c1, c2) = (Frames.Doubles(fits, "c0"), Frames.Doubles(fits, "c1"), Frames.Doubles(fits, "c2"));
        var (gOpt, gUp, scratch) = (Frames.Doubles(fits, "g_opt"), Frames.Doubles(fits, "g_upper"), Frames.Doubles(fits, "scratch_loss"));
        var reasons = Frames.Has(fits, "reason") ? Frames.Strings(fits, "reason") : new string[fl.Length];
        const string xTitle = "growth factor g (log)", yTitle = "validation loss at the FLOP level (nats per token)";
        if (pg.Length == 0) return Finish(Combine([]), title, Axis(xTitle, log: true), Axis(yTitle), ["no run has a point at these FLOP levels"]);
        var charts = new List<GenericChart>();
        double gMin = pg.Min(), gMax = pg.Max();
        bool anyScratch = false, anyOpt = false, anyUpper = false;
        for (int f = 0; f < fl.Length; f++)
        {
            string color = SequentialColor(f, fl.Length);
            string label = $"{flops[f]:0.0#e0} FLOPs";
            string group = $"level{f}";
            var idx = Enumerable.Range(0, pl.Length).Where(i => pl[i] == fl[f]).ToArray();
            bool fitted = double.IsFinite(c2[f]);
            charts.Add(Scatter(idx.Select(i => pg[i]), idx.Select(i => ploss[i]), label, color, "markers", size: 6, legend: !fitted, group: group,
                hover: $"{label}<br>g = %{{x:.3g}}<br>loss %{{y:.4g}}<extra></extra>"));
            double F(double x) => c0[f] + c1[f] * Math.Log(x) + c2[f] * Math.Log(x) * Math.Log(x);
            if (fitted)
            {
                var xs = Enumerable.Range(0, 50).Select(j => Math.Exp(Math.Log(gMin) + j * (Math.Log(gMax) - Math.Log(gMin)) / 49)).ToArray();
                charts.Add(Scatter(xs, xs.Select(F), label, color, "lines", group: group, hover: $"{label} fit<br>g = %{{x:.3g}}<br>loss %{{y:.4g}}<extra></extra>"));
            }
            if (double.IsFinite(scratch[f]))
            {
                anyScratch = true;
                charts.Add(Scatter([gMin, gMax], [scratch[f], scratch[f]], label + ": scratch", color, "lines", dash: "dash", width: 1.5, legend: false, group: "scratch"));
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
        if (anyScratch) charts.Add(Key("scratch at the same FLOPs (dashed)", "#666666", "lines", dash: "dash", group: "scratch"));
        if (anyOpt) charts.Add(Key("g_opt: the fit's minimum", "#666666", "markers", symbol: "star", size: 13, group: "g_opt"));
        if (anyUpper) charts.Add(Key("g_upper: the fit crosses scratch", "#666666", "markers", symbol: "x", size: 12, group: "g_upper"));
        return Finish(Combine(charts), title, Axis(xTitle, log: true, pg), Axis(yTitle), IsoFlopNotes(reasons, gOpt, gUp));
    }

    /// <summary>One line per kind of missing answer: how many levels lack g_opt or g_upper, and why.</summary>
    static List<string> IsoFlopNotes(string[] reasons, double[] gOpt, double[] gUp)
    {
        var notes = new List<string>();
        int n = reasons.Length;
        var parts = Enumerable.Range(0, n).SelectMany(i => (reasons[i] ?? "").Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(r => (Level: i, Reason: r))).ToList();
        string Kind(string r) => r.StartsWith("minimum at g") ? (r.Contains("below") ? "its minimum lies below the smallest g observed" : "its minimum lies above the largest g observed")
            : r.StartsWith("fit stays below scratch") ? "the fit stays below scratch up to the largest g observed"
            : r.StartsWith("fit is already above scratch") ? "the fit is above scratch already at its minimum"
            : r.StartsWith("fit has no minimum") ? "the fit has no minimum (not convex in ln g)"
            : r;
        var noOpt = Enumerable.Range(0, n).Count(i => !double.IsFinite(gOpt[i]));
        var noUp = Enumerable.Range(0, n).Count(i => !double.IsFinite(gUp[i]));
        var optKinds = parts.Where(p => !double.IsFinite(gOpt[p.Level]) && !p.Reason.Contains("scratch")).GroupBy(p => Kind(p.Reason))
            .Select(gr => $"{gr.Key} ({gr.Count()} of {n})").ToList();
        var upKinds = parts.Where(p => !double.IsFinite(gUp[p.Level]) && p.Reason.Contains("scratch")).GroupBy(p => Kind(p.Reason))
            .Select(gr => $"{gr.Key} ({gr.Count()} of {n})").ToList();
        if (noOpt > 0) notes.Add($"No g_opt at {noOpt} of {n} FLOP levels: " + (optKinds.Count > 0 ? string.Join("; ", optKinds) : "too few points") + ".");
        if (noUp > 0) notes.Add($"No g_upper at {noUp} of {n} levels: " + (upKinds.Count > 0 ? string.Join("; ", upKinds) : "too few points") + ".");
        return notes;
    }

    /// <summary>
    /// Validation loss against FLOPs per run. One colour per series (method, λ, σ, g): different growth factors get
    /// different colours, seeds share their series' colour and legend entry; dash style tells methods apart;
    /// scratch is dark. Dotted, in the series' colour: the final loss of the base it grew from.
    /// </summary>
    public static GenericChart LearningCurves(DataFrame runs, DataFrame curves, string title)
    {
        var ids = Frames.Strings(runs, "run_id");
        var methods = Frames.Strings(runs, "method");
        var bases = Frames.Strings(runs, "base_id");
        var finals = Frames.Doubles(runs, "final_val_loss");
        var models = Frames.Strings(runs, "model");
        var gs = Frames.Has(runs, "g") ? Frames.Doubles(runs, "g") : new double[ids.Length].Select(_ => double.NaN).ToArray();
        var lambdas = Frames.Has(runs, "lambda") ? Frames.Doubles(runs, "lambda") : new double[ids.Length];
        var sigmas = Frames.Has(runs, "sigma") ? Frames.Doubles(runs, "sigma") : new double[ids.Length];
        var cid = Frames.Strings(curves, "run_id");
        var cf = Frames.Doubles(curves, "flops");
        var cl = Frames.Doubles(curves, "val_loss");
        var curveRows = Enumerable.Range(0, cid.Length).GroupBy(i => cid[i]).ToDictionary(gr => gr.Key, gr => gr.ToArray());
        var baseIds = bases.Where(b => b.Length > 0).ToHashSet();
        var shown = Enumerable.Range(0, ids.Length).Where(r => !(methods[r] == "scratch" && baseIds.Contains(ids[r])) && curveRows.ContainsKey(ids[r])).ToList();
        var warm = shown.Where(r => methods[r] != "scratch").ToList();
        bool varyG = warm.Select(r => Math.Round(gs[r], 6)).Distinct().Count() > 1;
        bool varyLambda = warm.GroupBy(r => methods[r]).Any(m => m.Select(r => (lambdas[r], sigmas[r])).Distinct().Count() > 1);
        bool varyModel = shown.Select(r => models[r]).Distinct().Count() > 1;
        string SeriesOf(int r)
        {
            if (methods[r] == "scratch") return varyModel ? $"scratch, {models[r]}" : "scratch";
            var parts = new List<string> { methods[r] };
            if (varyLambda) parts.Add($"λ={Fmt(lambdas[r], 2)}, σ={Fmt(sigmas[r], 2)}");
            if (varyG) parts.Add($"g = {Fmt(gs[r])}");
            else if (varyModel) parts.Add(models[r]);
            return string.Join(", ", parts);
        }
        var methodOrder = methods.Distinct().OrderBy(m => m == "scratch" ? "" : m).ToList();
        string[] dashes = ["solid", "dash", "dashdot", "longdash"];
        var series = shown.GroupBy(SeriesOf).OrderBy(s => methodOrder.IndexOf(methods[s.First()])).ThenBy(s => gs[s.First()]).ThenBy(s => lambdas[s.First()]).ToList();
        // Colour tells apart what varies besides the method (g, λ/σ, target); the dash tells methods apart.
        string ColorKey(int r) => methods[r] == "scratch" || !(varyG || varyLambda || varyModel) ? SeriesOf(r)
            : string.Join(", ", SeriesOf(r).Split(", ").Skip(1));
        var colors = new Dictionary<string, string>();
        var colorOfKey = new Dictionary<string, string>();
        int next = 0, greys = 0;
        foreach (var s in series)
        {
            string key = ColorKey(s.First());
            if (!colorOfKey.TryGetValue(key, out var c))
                colorOfKey[key] = c = methods[s.First()] == "scratch" ? (greys++ switch { 0 => "#222222", 1 => "#777777", _ => "#aaaaaa" }) : ColorOf(next++);
            colors[s.Key] = c;
        }
        var charts = new List<GenericChart>();
        double xMax = cf.Length > 0 ? cf.Max() : 1;
        bool anyBase = false;
        foreach (var s in series)
        {
            string color = colors[s.Key];
            string dash = methods[s.First()] == "scratch" ? "solid" : dashes[(methodOrder.IndexOf(methods[s.First()]) - (methodOrder.Contains("scratch") ? 1 : 0)) % dashes.Length];
            bool first = true;
            foreach (var r in s)
            {
                var idx = curveRows[ids[r]];
                charts.Add(Scatter(idx.Select(i => cf[i]), idx.Select(i => cl[i]), s.Key, color, "lines", dash: dash, legend: first, group: s.Key,
                    width: methods[r] == "scratch" ? 2.5 : 1.8, hover: $"{s.Key}<br>FLOPs %{{x:.3g}}<br>loss %{{y:.4g}}<extra></extra>"));
                first = false;
            }
            foreach (var b in s.Select(r => bases[r]).Where(b => b.Length > 0).Distinct())
            {
                int i = Array.IndexOf(ids, b);
                if (i < 0 || !double.IsFinite(finals[i])) continue;
                anyBase = true;
                charts.Add(Scatter([0, xMax], [finals[i], finals[i]], $"{s.Key}: base final loss", color, "lines", dash: "dot", width: 1.2, legend: false, group: "base"));
            }
        }
        if (anyBase) charts.Add(Key("base model's final loss (dotted)", "#666666", "lines", dash: "dot", group: "base"));
        // The first evaluations (loss ≈ ln vocab) would squash the rest: the y axis starts where the curves settle.
        var settled = Enumerable.Range(0, cf.Length).Where(i => cf[i] >= 0.05 * xMax && double.IsFinite(cl[i])).Select(i => cl[i])
            .Concat(shown.Select(r => bases[r]).Where(b => b.Length > 0).Select(b => Array.IndexOf(ids, b)).Where(i => i >= 0).Select(i => finals[i]))
            .Where(double.IsFinite).ToArray();
        var yAxis = Axis("validation loss (nats per token)");
        var all = cl.Where(double.IsFinite).ToArray();
        if (settled.Length > 0 && all.Length > 0 && all.Max() > settled.Max())
        {
            double lo = all.Min(), hi = settled.Max();
            yAxis["range"] = new[] { lo - 0.05 * (hi - lo), hi + 0.1 * (hi - lo) };
        }
        return Finish(Combine(charts), title, Axis("training FLOPs of the target (C = 6·N·D)"), yAxis);
    }

    /// <summary>Final loss against λ per σ (and target size/budget), mean ± std over seeds; scratch dashed.</summary>
    public static GenericChart LambdaSweep(DataFrame lambda)
    {
        var lam = Frames.Doubles(lambda, "lambda");
        var sig = Frames.Doubles(lambda, "sigma");
        var model = Frames.Strings(lambda, "model");
        var tpp = Frames.Doubles(lambda, "tpp");
        var mean = Frames.Doubles(lambda, "final_loss_mean");
        var std = Frames.Has(lambda, "final_loss_std") ? Frames.Doubles(lambda, "final_loss_std") : null;
        var count = Frames.Has(lambda, "runs") ? Frames.Doubles(lambda, "runs") : null;
        var scratch = Frames.Doubles(lambda, "scratch_loss_mean");
        var charts = new List<GenericChart>();
        int k = 0;
        foreach (var group in Enumerable.Range(0, lam.Length).GroupBy(i => (model[i], tpp[i], sig[i])))
        {
            var idx = group.OrderBy(i => lam[i]).ToArray();
            string color = ColorOf(k++);
            double[]? bars = std is null ? null : idx.Select(i => (count is null || count[i] >= 2) ? std[i] : double.NaN).ToArray();
            charts.Add(Scatter(idx.Select(i => lam[i]), idx.Select(i => mean[i]), $"σ = {group.Key.Item3:0.##}, {group.Key.Item1}, {group.Key.Item2:0.#} TPP", color, errorY: bars));
            charts.Add(Scatter([0, 1], [scratch[idx[0]], scratch[idx[0]]], "scratch", color, "lines", dash: "dash", legend: false, group: "scratch"));
        }
        if (lam.Length > 0) charts.Add(Key("scratch (dashed)", "#666666", "lines", dash: "dash", group: "scratch"));
        return Finish(Combine(charts), "Shrinking: final loss vs λ", Axis("λ (shrink of the base weights)"), Axis("final validation loss (nats per token)"));
    }

    /// <summary>True when at least one method has a fitted law (otherwise a fit table shows only dashes).</summary>
    public static bool HasAnyFit(DataFrame fits) =>
        Frames.Has(fits, "e") && Frames.Doubles(fits, "e").Any(double.IsFinite);

    /// <summary>The fitted scaling laws as a table, 4 significant figures; methods without a fit show the reason.</summary>
    public static GenericChart FitTable(DataFrame fits)
    {
        string[] columns = ["method", "points", "e", "a", "alpha", "b", "beta", "r2", "reason"];
        var header = new[] { "method", "points", "E", "A", "α", "B", "β", "R²", "note" };
        var cells = columns.Select(c => Frames.Strings(fits, c).Select(v =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && c is not ("method" or "points")
                ? Fmt(d, 4) : v).ToArray()).ToArray();
        TableCells Cells(IEnumerable<IEnumerable<string>> values) => TableCells.init<IEnumerable<string>, string>(None<StyleParam.HorizontalAlign>(),
            None<IEnumerable<StyleParam.HorizontalAlign>>(), None<Plotly.NET.TraceObjects.TableFill>(), None<Font>(), None<IEnumerable<string>>(),
            None<int>(), None<Line>(), None<string>(), None<IEnumerable<string>>(), None<string>(), None<IEnumerable<string>>(),
            FSharpOption<IEnumerable<IEnumerable<string>>>.Some(values));
        var table = CS.Chart.Table(Cells(header.Select(h => new[] { h })), Cells(cells));
        var layout = new Layout();
        layout.SetProperty("title", Obj(("text", "Scaling-law fits L(N, D) = E + A/N^α + B/D^β"), ("x", 0.01), ("xanchor", "left")));
        layout.SetProperty("margin", Obj(("t", 50), ("r", 10), ("b", 10), ("l", 10)));
        layout.SetProperty("autosize", true);
        return Responsive(Plotly.NET.Chart.withLayout(layout).Invoke(table));
    }

    /// <summary>
    /// ΔL = L_warm − L_scratch over (N, D) with its zero contour, the D = 20N line and the observed differences. The
    /// colour scale is symmetric about 0 and limited to ±1.5 × the largest observed |ΔL| (blue: warm-starting wins),
    /// so extrapolated corners saturate instead of washing the map out. <paramref name="dataUnit"/> names what D
    /// counts: "tokens" for language models, "samples" for the MLP family.
    /// </summary>
    public static GenericChart DeltaContour(DataFrame grid, DataFrame zeroContour, DataFrame observed, string title, string dataUnit = "tokens")
    {
        var n = Frames.Doubles(grid, "n");
        var d = Frames.Doubles(grid, "d");
        var delta = Frames.Doubles(grid, "delta");
        var ns = n.Distinct().OrderBy(v => v).ToArray();
        var ds = d.Distinct().OrderBy(v => v).ToArray();
        var lookup = Enumerable.Range(0, n.Length).ToDictionary(i => (n[i], d[i]), i => delta[i]);
        var z = ds.Select(dv => ns.Select(nv => lookup.TryGetValue((nv, dv), out var v) ? v : double.NaN).ToArray()).ToArray();
        var on = Frames.Doubles(observed, "n");
        var od = Frames.Doubles(observed, "d");
        var odelta = Frames.Has(observed, "delta") ? Frames.Doubles(observed, "delta") : [];
        double limit = odelta.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(double.NaN).Max() * 1.5;
        if (!(limit > 0))
        {
            var sorted = delta.Where(double.IsFinite).Select(Math.Abs).OrderBy(v => v).ToArray();
            limit = sorted.Length > 0 ? Math.Max(sorted[(int)(0.9 * (sorted.Length - 1))], 1e-6) : 1;
        }
        limit = RoundUp(limit);
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
        contour.SetProperty("colorbar", Obj(("title", Obj(("text", "ΔL (nats)<br>&lt; 0: warm wins"), ("side", "right"))), ("thickness", 14), ("x", 1.01)));
        contour.SetProperty("hovertemplate", "log₁₀ N %{x:.2f}<br>log₁₀ D %{y:.2f}<br>ΔL %{z:.3f}<extra></extra>");
        var charts = new List<GenericChart> { GenericChart.ofTraceObject(true, contour) };
        var zn = Frames.Doubles(zeroContour, "n");
        var zd = Frames.Doubles(zeroContour, "d");
        if (zn.Length > 0) charts.Add(Scatter(zn.Select(Math.Log10), zd.Select(Math.Log10), "ΔL = 0 (fit)", "#000000", "lines", width: 2.5));
        charts.Add(Scatter(ns.Select(Math.Log10), ns.Select(v => Math.Log10(20 * v)), "D = 20N", "#ffffff", "lines", dash: "dash"));
        if (on.Length > 0)
            charts.Add(Scatter(on.Select(Math.Log10), od.Select(Math.Log10), "observed runs", "#ffcc00", "markers", symbol: "diamond", size: 10, markerLine: "#000000",
                text: odelta.Select(v => $"ΔL {Fmt(v)}").ToArray(), hover: "log₁₀ N %{x:.2f}<br>log₁₀ D %{y:.2f}<br>observed %{text}<extra></extra>"));
        // Below the plot, on the plot's own background so that the white D = 20N key shows; the colourbar keeps the right.
        var legend = Obj(("orientation", "h"), ("x", 0), ("xanchor", "left"), ("y", -0.14), ("yanchor", "top"), ("bgcolor", "#e5ecf6"));
        var xAxis = Axis("log₁₀ N (parameters)");
        var yAxis = Axis($"log₁₀ D ({dataUnit})");
        if (ns.Length > 1) xAxis["range"] = new[] { Math.Log10(ns[0]), Math.Log10(ns[^1]) };
        if (ds.Length > 1) yAxis["range"] = new[] { Math.Log10(ds[0]), Math.Log10(ds[^1]) };
        var notes = new List<string> { $"Colour scale limited to ±{Fmt(limit, 2)} nats (1.5 × the largest observed |ΔL|); beyond the observed runs the map is an extrapolation of the fits." };
        return Finish(Combine(charts), title, xAxis, yAxis, notes, legend,
            extra: new() { ["margin"] = Obj(("t", 30), ("r", 20), ("b", 90), ("l", 60)) });
    }

    /// <summary>Rounds up to two significant figures (0.3614 → 0.37), for colour-scale limits.</summary>
    static double RoundUp(double v)
    {
        double unit = Math.Pow(10, Math.Floor(Math.Log10(v)) - 1);
        return Math.Ceiling(v / unit - 1e-9) * unit;
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
        string[] dashes = ["solid", "dash", "dot", "dashdot"];
        var charts = new List<GenericChart>();
        var shown = new HashSet<string>();
        foreach (var group in Enumerable.Range(0, run.Length).GroupBy(i => (run[i], layer[i])))
        {
            var idx = group.OrderBy(i => step[i]).Where(i => !double.IsNaN(value[i])).ToArray();
            if (idx.Length == 0) continue;
            var m = method[idx[0]];
            string name = $"{m}: {group.Key.Item2}";
            charts.Add(Scatter(idx.Select(i => step[i]), idx.Select(i => value[i]), name, methodColor[m], dash: dashes[layers.IndexOf(group.Key.Item2) % 4],
                size: 5, legend: shown.Add(name), group: name));
        }
        string title = metric switch
        {
            "effective_rank" => "Effective rank over training",
            "cosine_to_previous" => "Cosine similarity to the previous snapshot",
            "radial_change" => "Radial change (along the weights) per snapshot",
            "angular_change" => "Angular change (rotation) per snapshot",
            _ => metric,
        };
        return Finish(Combine(charts), title, Axis("training step"), Axis(metric.Replace('_', ' ')));
    }

    /// <summary>Final loss against LR for the base, the scratch target and the warm target (log LR), mean over seeds.</summary>
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
            charts.Add(Scatter(points.Select(p => p.X), points.Select(p => p.Y), label, ColorOf(k++)));
        }
        return Finish(Combine(charts), "LR transfer under µP: final loss vs learning rate", Axis("peak learning rate (log)", log: true, lr),
            Axis("final validation loss (nats per token)"));
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
            charts.Add(Scatter([grown[i]], [final[i]], label, ColorOf(i), "markers", size: 11, markerLine: Ink));
        }
        return Finish(Combine(charts), "Does preserving the base function matter?", Axis("validation loss right after growth"),
            Axis("final validation loss (nats per token)"));
    }

    /// <summary>
    /// The controls study: each arm's final loss minus scratch's (paired by seed) against g, with its 95% interval;
    /// below the dotted zero line the arm beats scratch. Arms are drawn side by side around each g.
    /// </summary>
    public static GenericChart Controls(IReadOnlyList<ControlRow> rows)
    {
        var charts = new List<GenericChart>();
        var arms = Analysis.Controls.Arms.Where(a => rows.Any(r => r.Method == a.Method)).ToList();
        for (int k = 0; k < arms.Count; k++)
        {
            var mine = rows.Where(r => r.Method == arms[k].Method).OrderBy(r => r.G).ToList();
            double shift = Math.Pow(1.06, k - (arms.Count - 1) / 2.0); // side by side on the log axis
            charts.Add(Scatter(mine.Select(r => r.G * shift), mine.Select(r => r.VsScratch), arms[k].Arm, ColorOf(k), "markers", size: 10,
                errorY: mine.Select(r => double.IsFinite(r.VsScratchHi) ? r.VsScratchHi - r.VsScratch : double.NaN).ToArray(),
                errorYMinus: mine.Select(r => double.IsFinite(r.VsScratchLo) ? r.VsScratch - r.VsScratchLo : double.NaN).ToArray(),
                text: mine.Select(r => $"g = {Fmt(r.G)}; {r.Wins} of {r.N} seeds below scratch").ToArray(),
                hover: "%{fullData.name}<br>Δ vs scratch %{y:.3f}<br>%{text}<extra></extra>", markerLine: Ink));
        }
        var g = rows.Select(r => r.G).ToArray();
        var finite = g.Where(double.IsFinite).ToArray();
        if (finite.Length > 0)
            charts.Add(Scatter([finite.Min() / 1.3, finite.Max() * 1.3], [0, 0], "scratch (Δ = 0)", "#444444", "lines", dash: "dot", width: 1.5));
        return Finish(Combine(charts), "What does SZP transfer? Each arm's final loss minus scratch's", Axis("growth factor g (log)", log: true, finite),
            Axis("Δ final validation loss vs scratch (nats)"),
            ["Paired by seed; bars: 95% t intervals over seeds. Below 0: better than scratch. If SZP transferred only a starting scale, " +
             "the rescaled scratch would sit with SZP; if it transferred what the base learned, the untrained and permuted bases would not."]);
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
    /// The chart as an HTML page that fills the browser window. <paramref name="plotlyJsSource"/> null: plotly.js
    /// inline (one self-contained file, ~3.6 MB); otherwise a relative or absolute URL of plotly.min.js. The body
    /// gets <c>data-rendered="1"</c> once plotly has drawn, which <see cref="ChartRenderer"/> waits for.
    /// </summary>
    public static string ToHtml(GenericChart chart, string title, string? plotlyJsSource = null)
    {
        var figure = GenericChart.toFigureJson(chart).Replace("</", "<\\/");
        string script = plotlyJsSource is null
            ? $"<script>{PlotlyJs()}</script>"
            : $"<script src=\"{System.Net.WebUtility.HtmlEncode(plotlyJsSource)}\"></script>";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{System.Net.WebUtility.HtmlEncode(title)}}</title>
            {{script}}
            <style>html, body { margin: 0; height: 100%; background: #fff; } #chart { width: 100%; height: 100%; min-height: 420px; }</style>
            </head><body data-chart="1"><div id="chart"></div><script>
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
