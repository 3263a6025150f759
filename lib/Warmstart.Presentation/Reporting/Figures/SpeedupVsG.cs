using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Training;

namespace Warmstart.Reporting;

public static partial class Figures
{
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
        var data = new SpeedupColumns(summary);
        var (n, methods, models, g, tpp) = (data.N, data.Methods, data.Models, data.G, data.Tpp);
        var (mean, median) = (data.Mean, data.Median);
        string unit = Units.Data(models);

        var cells = Enumerable.Range(0, n).Select(i => (Model: models[i], Tpp: tpp[i])).Distinct()
            .OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Tpp).ToList();
        bool severalModels = cells.Select(c => c.Model).Distinct().Count() > 1, severalBudgets = cells.Select(c => c.Tpp).Distinct().Count() > 1;
        var marks = new SpeedupMarks();
        var panels = new List<Panel?>();
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
                DrawSpeedups(data, marks, idx, method, where, p, shift);
            }
            var gs = inCell.Select(i => g[i]).Where(double.IsFinite).ToArray();
            if (gs.Length > 0)
                marks.Charts.Add(Reference(gs.Min() / 1.1, gs.Max() * 1.1, 1, "break-even (speedup 1)", Palette.ZeroDash, legend: p == 0, panel: p));
            var xAxis = Axis("growth factor g = N_target / N_base (log scale)", log: true, gs);
            if (gs.Length > 0) xAxis["range"] = LogRange(gs.Min(), gs.Max(), 1.25);
            panels.Add(new Panel(xAxis, new Dictionary<string, object>(),
                cells.Count > 1 ? CellTitle(cell.Model, cell.Tpp, severalModels, severalBudgets) : null));
        }
        SpeedupScale(panels, marks, unit);
        var charts = marks.Charts;
        charts.InsertRange(0, InReadingOrder(marks.DrawnMethods).Select(m => MethodKey(m)));
        if (marks.Signs.Contains("≥")) charts.Add(Key("lower bound (≥)", "markers", symbol: "triangle-up", size: 11));
        if (marks.Signs.Contains("<")) charts.Add(Key("upper bound (<)", "markers", symbol: "triangle-down", size: 11));
        if (marks.Signs.Contains("median")) charts.Add(Key("median (mean not estimable)", "markers", symbol: "circle-open", size: 11));
        if (marks.AnyBase) charts.Add(Key("base compute included", "lines+markers", symbol: "circle-open", opacity: 0.5));
        var caption = SpeedupCaption(marks, unit, severalModels, models);
        return Finish(Combine(charts), "Speedup vs growth factor", panels, caption.Concat(marks.Notes), GridColumns(panels.Count));
    }

    /// <summary>The summary's rows as index-aligned columns: the drawing picks rows by index.</summary>
    sealed class SpeedupColumns(IReadOnlyList<SpeedupSummaryRow> summary)
    {
        public readonly int N = summary.Count;
        public readonly Method[] Methods = summary.Select(r => r.Method).ToArray();
        public readonly string[] Models = summary.Select(r => r.Model).ToArray();
        public readonly double[] G = Column(summary, r => r.G), Tpp = Column(summary, r => r.Tpp);
        public readonly double[] Runs = Column(summary, r => r.Runs), Reached = Column(summary, r => r.Reached);
        public readonly double[] Mean = Column(summary, r => r.SpeedupMean), Std = Column(summary, r => r.SpeedupStd);
        public readonly double[] WithBase = Column(summary, r => r.SpeedupWithBaseMean), WithBaseStd = Column(summary, r => r.SpeedupWithBaseStd);
        public readonly double[] Lo = Column(summary, r => r.SpeedupLo), Hi = Column(summary, r => r.SpeedupHi);
        public readonly double[] BaseLo = Column(summary, r => r.SpeedupWithBaseLo), BaseHi = Column(summary, r => r.SpeedupWithBaseHi);
        public readonly double[] Median = Column(summary, r => r.SpeedupMedian);
        public readonly SpeedupEstimate[] Kind = summary.Select(r => r.SpeedupKind).ToArray();
        public readonly MedianKind[] MedianKinds = summary.Select(r => r.SpeedupMedianKind).ToArray();

        static double[] Column(IReadOnlyList<SpeedupSummaryRow> rows, Func<SpeedupSummaryRow, double> value) => rows.Select(value).ToArray();

        /// <summary>
        /// Interval bars (asymmetric) where the rows carry a finite interval, else std bars where ≥ 2 seeds reached:
        /// the upper arm.
        /// </summary>
        public double[]? Up(int[] rows, double[] m, double[] h, double[] l, double[] spread) => rows.Any(i => double.IsFinite(l[i]))
            ? rows.Select(i => double.IsFinite(h[i]) ? h[i] - m[i] : double.NaN).ToArray()
            : rows.Select(i => Reached[i] >= 2 && double.IsFinite(spread[i]) ? spread[i] : double.NaN).ToArray();

        /// <summary>The lower arm of the interval bars, or null where the rows carry no interval (std bars are symmetric).</summary>
        public static double[]? Down(int[] rows, double[] m, double[] l) =>
            rows.Any(i => double.IsFinite(l[i])) ? rows.Select(i => double.IsFinite(l[i]) ? m[i] - l[i] : double.NaN).ToArray() : null;
    }

    /// <summary>What the panels of a speedup figure add up to: their traces and notes, and what the y scale, keys and caption need.</summary>
    sealed class SpeedupMarks
    {
        public readonly List<GenericChart> Charts = new();
        public readonly List<string> Notes = new();
        public readonly List<double> Plotted = new();
        public bool AnyBase;
        public readonly HashSet<string> Signs = new();
        public readonly HashSet<Method> DrawnMethods = new();
        public readonly List<(string Sign, double Value)> Bounds = new();
        // Two methods with the same bound at the same g share one label: side by side, two labels would overprint.
        public readonly HashSet<(int Panel, double G, string Text)> Labelled = new();
    }

    /// <summary>
    /// One method in one panel (its rows <paramref name="idx"/>, by g): exact values as a line with bars, censored
    /// values as bound markers, the base's compute counted too; what cannot be drawn becomes a caption note.
    /// </summary>
    static void DrawSpeedups(SpeedupColumns data, SpeedupMarks marks, int[] idx, Method method, string where, int p, double shift)
    {
        var (g, runs, reached, mean, median) = (data.G, data.Runs, data.Reached, data.Mean, data.Median);
        var (kind, medianKind) = (data.Kind, data.MedianKinds);
        var (charts, notes, plotted) = (marks.Charts, marks.Notes, marks.Plotted);
        var exact = idx.Where(i => double.IsFinite(mean[i]) && kind[i] == SpeedupEstimate.GeometricMean).ToArray();
        var censored = idx.Select(i => (Row: i,
                Value: kind[i] == SpeedupEstimate.LowerBound ? mean[i] : kind[i] == SpeedupEstimate.NotEstimable ? median[i] : double.NaN,
                Sign: kind[i] == SpeedupEstimate.LowerBound ? "≥"
                    : medianKind[i] switch { MedianKind.UpperBound => "<", MedianKind.LowerBound => "≥", _ => "median" }))
            .Where(c => double.IsFinite(c.Value) && kind[c.Row] is SpeedupEstimate.LowerBound or SpeedupEstimate.NotEstimable).ToList();
        var left = idx.Except(exact).Except(censored.Select(c => c.Row)).ToArray();
        var atInit = left.Where(i => double.IsPositiveInfinity(mean[i])).Select(i => g[i]).ToArray();
        var never = left.Where(i => reached[i] == 0).Select(i => g[i]).ToArray();
        var some = left.Where(i => reached[i] > 0 && !double.IsPositiveInfinity(mean[i])).ToArray();
        if (atInit.Length > 0)
            notes.Add($"{method}{where}: already below scratch's final loss right after growth at g = {List(atInit)} " +
                      "(speedup unbounded); not drawn.");
        if (never.Length > 0) notes.Add($"{method}{where}: never reached scratch's final loss at g = {List(never)}; not drawn.");
        if (some.Length > 0)
            notes.Add($"{method}{where}: speedup not estimable (some seeds did not reach scratch's final loss) — " +
                      string.Join(", ", some.Select(i => $"{reached[i]:0} of {runs[i]:0} at g = {Fmt(g[i])}")) + "; not drawn.");
        if (exact.Length > 0 || censored.Count > 0) marks.DrawnMethods.Add(method);
        if (exact.Length > 0)
        {
            var up = data.Up(exact, mean, data.Hi, data.Lo, data.Std);
            var down = SpeedupColumns.Down(exact, mean, data.Lo);
            charts.Add(Scatter(exact.Select(i => g[i] * shift), exact.Select(i => mean[i]), method + where, method: method, legend: false,
                group: method.Spelling, panel: p, errorY: up, errorYMinus: down,
                text: exact.Select(i => $"{reached[i]:0} of {runs[i]:0} seeds reached the target").ToArray(),
                hover: "%{fullData.name}<br>g = %{x:.3g}<br>speedup %{y:.3g}<br>%{text}<extra></extra>"));
            plotted.AddRange(exact.Select((i, j) => mean[i] + (up is not null && double.IsFinite(up[j]) ? up[j] : 0)));
            plotted.AddRange(exact.Select((i, j) => mean[i] - ((down ?? up) is { } d && double.IsFinite(d[j]) ? d[j] : 0)));
        }
        DrawBounds(data, marks, censored, method, where, p, shift);
        // The base's compute: exact values and lower bounds carry over (a lower bound stays one).
        var withBaseRows = exact.Concat(censored.Where(c => kind[c.Row] == SpeedupEstimate.LowerBound).Select(c => c.Row))
            .Where(i => double.IsFinite(data.WithBase[i])).OrderBy(i => g[i]).ToArray();
        if (withBaseRows.Length > 0) DrawWithBase(data, marks, withBaseRows, method, where, p, shift);
    }

    /// <summary>Censored values, one trace per kind: ▲ lower bounds and ▼ upper bounds labelled with their value, ○ medians.</summary>
    static void DrawBounds(SpeedupColumns data, SpeedupMarks marks, List<(int Row, double Value, string Sign)> censored, Method method, string where,
        int p, double shift)
    {
        var g = data.G;
        foreach (var sign in censored.GroupBy(c => c.Sign))
        {
            marks.Signs.Add(sign.Key);
            var marksOfSign = sign.ToList();
            string symbol = sign.Key switch { "≥" => "triangle-up", "<" => "triangle-down", _ => "circle-open" };
            marks.Charts.Add(Scatter(marksOfSign.Select(c => g[c.Row] * shift), marksOfSign.Select(c => c.Value),
                sign.Key == "median"
                    ? $"{method}{where}: median (mean not estimable)"
                    : $"{method}{where}: {(sign.Key == "≥" ? "lower" : "upper")} bound ({sign.Key})",
                mode: sign.Key == "median" ? "markers" : "markers+text", method: method, symbol: symbol, size: 12, legend: false,
                group: method.Spelling, panel: p,
                text: marksOfSign.Select(c => sign.Key == "median" || !marks.Labelled.Add((p, g[c.Row], $"{sign.Key} {Fmt(c.Value, 2)}"))
                    ? ""
                    : $"{sign.Key} {Fmt(c.Value, 2)}").ToArray(),
                textPosition: sign.Key == "<" ? "bottom center" : "top center",
                hover: "%{fullData.name}<br>g = %{x:.3g}<br>speedup %{y:.3g}<extra></extra>"));
            marks.Plotted.AddRange(marksOfSign.Select(c => c.Value));
            if (sign.Key != "median") marks.Bounds.AddRange(marksOfSign.Select(c => (sign.Key, c.Value)));
        }
    }

    /// <summary>
    /// The speedup with the base's training compute counted too, as faded open markers: exact values with their bars,
    /// lower bounds as open ▲ labelled with their value.
    /// </summary>
    static void DrawWithBase(SpeedupColumns data, SpeedupMarks marks, int[] withBaseRows, Method method, string where, int p, double shift)
    {
        var (g, kind, withBase) = (data.G, data.Kind, data.WithBase);
        marks.AnyBase = true;
        var bounded = withBaseRows.Where(i => kind[i] == SpeedupEstimate.LowerBound).ToArray();
        var exactBase = withBaseRows.Except(bounded).ToArray();
        // Drawn 2.5 % to the right of the method's point so that the two sets of error bars do not sit on each other.
        if (exactBase.Length > 0)
            marks.Charts.Add(Scatter(exactBase.Select(i => g[i] * shift * 1.025), exactBase.Select(i => withBase[i]),
                $"{method}{where}, base compute included", method: method, symbol: "circle-open", size: 8, opacity: 0.5, legend: false,
                group: method.Spelling, panel: p,
                errorY: data.Up(exactBase, withBase, data.BaseHi, data.BaseLo, data.WithBaseStd),
                errorYMinus: SpeedupColumns.Down(exactBase, withBase, data.BaseLo),
                hover: "%{fullData.name}<br>speedup %{y:.3g}<extra></extra>"));
        if (bounded.Length > 0)
            marks.Charts.Add(Scatter(bounded.Select(i => g[i] * shift * 1.025), bounded.Select(i => withBase[i]),
                $"{method}{where}, base compute included: lower bound (≥)",
                mode: "markers+text", method: method, symbol: "triangle-up-open", size: 11, opacity: 0.5, legend: false,
                group: method.Spelling, panel: p,
                text: bounded.Select(i => $"≥ {Fmt(withBase[i], 2)}").ToArray(), textPosition: "bottom center"));
        marks.Plotted.AddRange(withBaseRows.Select(i => withBase[i]));
    }

    /// <summary>
    /// One y scale for every panel (log: speedups are ratios, and a lower bound of 26 next to values near 1 spans
    /// decades), with room for the bound labels.
    /// </summary>
    static void SpeedupScale(List<Panel?> panels, SpeedupMarks marks, string unit)
    {
        var bounds = marks.Bounds;
        var finite = marks.Plotted.Where(v => v > 0 && double.IsFinite(v)).Append(1.0).ToArray();
        double yLo = finite.Min() / 1.25, yHi = finite.Max() * 1.25;
        // Room for the bound labels: "≥ x" sits above its marker, "< x" below.
        if (bounds.Any(b => b.Sign == "≥")) yHi = Math.Max(yHi, bounds.Where(b => b.Sign == "≥").Max(b => b.Value) * 1.8);
        if (bounds.Any(b => b.Sign == "<")) yLo = Math.Min(yLo, bounds.Where(b => b.Sign == "<").Min(b => b.Value) / 1.8);
        foreach (var panel in panels.OfType<Panel>())
        {
            foreach (var (key, value) in Axis($"speedup (× fewer {unit} than scratch, log scale)", log: true, LogTicks(yLo, yHi)))
                panel.Y[key] = value;
            panel.Y["range"] = LogRange(yLo, yHi, 1);
        }
    }

    /// <summary>What the speedup figure's marks mean: the statistic, then one sentence per kind of mark drawn.</summary>
    static List<string> SpeedupCaption(SpeedupMarks marks, string unit, bool severalModels, string[] models)
    {
        var caption = new List<string>
        {
            $"Speedup = scratch's {unit} ÷ the warm run's {unit} to reach scratch's final loss" +
            (severalModels ? "." : $" (target {models.FirstOrDefault()}).") +
            " Lines: the geometric mean over all seeds with its 95% interval (t on ln speedup; bars only where ≥ 2 seeds).",
        };
        caption.Add("Methods are drawn side by side around each g.");
        if (marks.AnyBase) caption.Add("Faded open markers, just right of their method's point: the base model's training compute counted too.");
        if (marks.Signs.Contains("≥")) caption.Add("▲ ≥: a lower bound (a seed was already below scratch's final loss at its first evaluation).");
        if (marks.Signs.Contains("<")) caption.Add($"▼ <: an upper bound (the median seed never reached scratch's final loss within its {unit}).");
        if (marks.Signs.Contains("median"))
            caption.Add("○: the median over seeds where the mean is not estimable (not every seed reached scratch's final loss).");
        return caption;
    }
}
