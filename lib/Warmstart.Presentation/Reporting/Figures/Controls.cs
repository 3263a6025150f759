using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Training;

namespace Warmstart.Reporting;

public static partial class Figures
{
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
            return NothingToPlot("What does SZP transfer? The controls against SZP's gain",
                rows.Count == 0 ? "no control runs" : "no control arm beside scratch and SZP");
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
            if (missing.Count > 0)
                notes.Add($"{Analysis.Controls.ShortName(arm)}: no share at g = {List(missing)} " +
                          "(SZP's own gain over scratch is not clearly above 0 there).");
            var unbounded = shares.Where(r => !double.IsFinite(r.ShareLo) || !double.IsFinite(r.ShareHi)).Select(r => r.G).ToList();
            if (unbounded.Count > 0) notes.Add($"{Analysis.Controls.ShortName(arm)}: share's interval unbounded at g = {List(unbounded)} (no bar).");
            if (shares.Count > 0)
                charts.Add(Scatter(shares.Select(r => r.G * Shift(arm)), shares.Select(r => 100 * r.Share), Analysis.Controls.ShortName(arm),
                    mode: "markers", method: arm, size: 11, markerLine: Ink, legend: false, group: arm.Spelling,
                    errorY: Bars(shares.Select(r => 100 * r.ShareHi), shares.Select(r => 100 * r.Share), true),
                    errorYMinus: Bars(shares.Select(r => 100 * r.ShareLo), shares.Select(r => 100 * r.Share), false),
                    text: shares.Select(r => $"g = {Fmt(r.G)}; {r.NVsSzp} pairs").ToArray(),
                    hover: "%{fullData.name}<br>share of SZP's gain %{y:.0f}%<br>%{text}<extra></extra>"));
            var vsSzp = mine.Where(r => double.IsFinite(r.VsSzp)).ToList();
            if (vsSzp.Count > 0)
                charts.Add(Scatter(vsSzp.Select(r => r.G * Shift(arm)), vsSzp.Select(r => -r.VsSzp), $"SZP − {Analysis.Controls.ShortName(arm)}",
                    mode: "markers", method: arm, size: 11, markerLine: Ink, legend: false, group: arm.Spelling, panel: 1,
                    errorY: Bars(vsSzp.Select(r => -r.VsSzpLo), vsSzp.Select(r => -r.VsSzp), true),
                    errorYMinus: Bars(vsSzp.Select(r => -r.VsSzpHi), vsSzp.Select(r => -r.VsSzp), false),
                    text: vsSzp.Select(r => $"g = {Fmt(r.G)}; {r.NVsSzp} pairs").ToArray(),
                    hover: "%{fullData.name}<br>%{y:.3f}<br>%{text}<extra></extra>"));
        }
        var szp = rows.Where(r => r.Method == Method.Szp && double.IsFinite(r.VsScratch)).OrderBy(r => r.G).ToList();
        if (szp.Count > 0)
            charts.Add(Scatter(szp.Select(r => r.G * Shift(Method.Scratch)), szp.Select(r => r.VsScratch), "SZP − scratch", mode: "markers",
                method: Method.Scratch, size: 11, markerLine: Ink, legend: false, group: Method.Scratch.Spelling, panel: 1,
                errorY: Bars(szp.Select(r => r.VsScratchHi), szp.Select(r => r.VsScratch), true),
                errorYMinus: Bars(szp.Select(r => r.VsScratchLo), szp.Select(r => r.VsScratch), false),
                text: szp.Select(r => $"g = {Fmt(r.G)}; {r.Wins} of {r.N} seeds below scratch").ToArray(),
                hover: "%{fullData.name}<br>%{y:.3f}<br>%{text}<extra></extra>"));
        var finite = rows.Select(r => r.G).Where(double.IsFinite).ToArray();
        if (finite.Length > 0)
        {
            double x0 = finite.Min() / 1.3, x1 = finite.Max() * 1.3;
            charts.Add(Reference(x0, x1, 0, "none of SZP's gain (0%)", Palette.ZeroDash, legend: false));
            charts.Add(Reference(x0, x1, 100, "all of SZP's gain (100%)", Palette.ZeroDash, legend: false));
            charts.Add(Reference(x0, x1, 0, "no difference (0)", Palette.ZeroDash, legend: false, panel: 1));
        }
        foreach (var method in slots.Where(m => m == Method.Scratch ? szp.Count > 0 : true))
            charts.Add(Scatter([double.NaN], [double.NaN],
                method == Method.Scratch ? "scratch (SZP − scratch: the gain to explain)" : Analysis.Controls.ShortName(method),
                mode: "markers", method: method, size: 11, markerLine: Ink, group: method.Spelling));
        const string xTitle = "growth factor g = N_target / N_base (log scale)";
        string unit = Units.Loss(rows.Select(r => r.Model), tokenizer);
        return Finish(Combine(charts), "What does SZP transfer? The controls against SZP's gain",
            [new Panel(Axis(xTitle, log: true, finite), Axis("share of SZP's gain recovered (%)"),
                "Share of SZP's gain over scratch each control recovers"),
             new Panel(Axis(xTitle, log: true, finite), Axis($"SZP − arm, final validation loss ({unit})"), "SZP − each arm, paired by seed")],
            new[] { "Left: (scratch − control) ÷ (scratch − SZP), paired by seed, with Fieller's 95% interval; 0% recovers none of SZP's gain over " +
                    "scratch, 100% all of it (the answer's structure share is 100% minus the permuted base's). " +
                    "Right: SZP's final loss minus each arm's, paired by seed, with its 95% t interval; below 0 SZP ends lower. " +
                    "SZP − scratch is the gain the controls are asked to explain." }.Concat(notes), columns: 2);
    }
}
