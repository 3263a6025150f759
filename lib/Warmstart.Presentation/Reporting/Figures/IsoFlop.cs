using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Training;

namespace Warmstart.Reporting;

public static partial class Figures
{
    /// <summary>
    /// Iso-FLOP loss vs g: per FLOP level its points, the quadratic fit in ln g (solid) and scratch at the same
    /// compute (dashed), all three in the level's colour and the fit labelled at its right end; ★ g_opt (the fit's
    /// minimum), ✕ g_upper (where the fit crosses scratch). At most four levels are drawn (evenly spaced, lowest and
    /// highest included) so that each fit can be matched to its scratch line; the caption says how many and why
    /// some levels have no g_opt or g_upper.
    /// </summary>
    public static GenericChart IsoFlop(IReadOnlyList<IsoFlopPoint> points, IReadOnlyList<IsoFlopFit> fits, string title,
        string tokenizer = Units.ByteTokenizer)
    {
        int nonFinite = points.Count(p => !double.IsFinite(p.Loss));
        points = points.Where(p => double.IsFinite(p.Loss)).ToList();
        if (points.Count == 0)
            return NothingToPlot(title,
                nonFinite > 0 ? $"every point ({nonFinite}) has a non-finite loss" : "no run has a point at these FLOP levels");
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
                charts.Add(Scatter(xs, xs.Select(F), label, color, "lines", group: group, width: 2.5,
                    hover: $"{label} fit<br>g = %{{x:.3g}}<br>loss %{{y:.4g}}<extra></extra>"));
                ends.Add((F(gMax), Fmt(flops[f], 2), color));
            }
            else if (idx.Length > 0) ends.Add((idx.Where(i => pg[i] == idx.Max(k => pg[k])).Average(i => ploss[i]), Fmt(flops[f], 2), color));
            if (double.IsFinite(scratch[f]))
            {
                anyScratch = true;
                charts.Add(Reference(gMin, gMax, scratch[f], label + ": scratch", Palette.ReferenceDash, legend: false, color: color,
                    group: Method.Scratch.Spelling));
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
        var caption = IsoFlopCaption(shown.Length, fl.Length, fits);
        return Finish(Combine(charts), title, Axis(xTitle, log: true, pg), Axis(yTitle), caption.Append(LeftOut(nonFinite, "points")),
            extra: new() { ["annotations"] = EndLabels(ends, Math.Log10(gMax)), ["margin"] = Obj(("t", 30), ("r", 70), ("b", 30), ("l", 60)) });
    }

    /// <summary>At most <paramref name="most"/> of <paramref name="count"/> ordered levels, evenly spaced, the lowest and highest included.</summary>
    static int[] ShownLevels(int count, int most = 4) =>
        count <= most ? Enumerable.Range(0, count).ToArray()
            : Enumerable.Range(0, most).Select(j => (int)Math.Round(j * (count - 1.0) / (most - 1))).Distinct().ToArray();

    /// <summary>
    /// What the iso-FLOP figure's marks are, how many of the <paramref name="levels"/> FLOP levels are drawn, and why
    /// some levels have no g_opt or g_upper.
    /// </summary>
    static List<string> IsoFlopCaption(int shown, int levels, IReadOnlyList<IsoFlopFit> fits)
    {
        var caption = new List<string>
        {
            (shown < levels
                ? $"{shown} of {levels} FLOP levels drawn (evenly spaced, the lowest and highest included; all are in the fits table). "
                : "") +
            "Per level, in one colour: the runs at that compute (points), the quadratic fit of loss in ln g " +
            "(solid, labelled with its FLOPs at the right) and scratch at the same FLOPs (dashed).",
        };
        caption.AddRange(IsoFlopNotes(fits));
        return caption;
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
        string OptKind(string r) => r.StartsWith("minimum at g")
                ? (r.Contains("below") ? "its minimum lies below the smallest g observed" : "its minimum lies above the largest g observed")
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
        if (noOpt.Count > 0)
            notes.Add($"No g_opt at {noOpt.Count} of {n} FLOP levels: " +
                      (optKinds.Count > 0 ? string.Join("; ", optKinds) : "too few points") + ".");
        if (noUpper.Count > 0) notes.Add($"No g_upper at {noUpper.Count} of {n} levels: " + string.Join("; ", upKinds) + ".");
        return notes;
    }
}
