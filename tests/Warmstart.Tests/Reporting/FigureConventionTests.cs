using System.Text.Json;
using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Reporting;

/// <summary>
/// The figures' shared visual language, checked on every figure drawn from small constructed tables: one-line
/// titles, a unit on every axis, one colour and dash per method across all figures, legends below the plot that
/// fit, and censored speedups drawn as censored.
/// </summary>
public class FigureConventionTests
{
    const string Target = "L2-H8x8 (d64, 0.133M)", Base = "L2-H5x8 (d40, 0.06M)";

    static JsonElement Json(GenericChart chart) => JsonDocument.Parse(GenericChart.toFigureJson(chart)).RootElement.Clone();

    static List<JsonElement> Traces(JsonElement figure) => figure.GetProperty("data").EnumerateArray().ToList();

    static string Str(JsonElement e, params string[] path)
    {
        foreach (var p in path)
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(p, out e)) return "";
        return e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
    }

    static string MethodOf(JsonElement trace) => Str(trace, "meta", "method");

    static bool InLegend(JsonElement trace) => !trace.TryGetProperty("showlegend", out var s) || s.GetBoolean();

    /// <summary>The titles over a grid's panels (the annotations that are not a shared axis title or a line's label).</summary>
    static List<string> PanelTitles(JsonElement figure) => figure.GetProperty("layout").GetProperty("annotations").EnumerateArray()
        .Where(a => Str(a, "yref") == "paper" && !Str(a, "name").StartsWith(Figures.SharedTitle)).Select(a => Str(a, "text")).ToList();

    /// <summary>A growth study in miniature: scratch, its base, SZP and fp at two g, with curves.</summary>
    static (List<RunRow> Runs, List<CurveRow> Curves) Growth()
    {
        static RunRow Run(string id, Method method, string baseId, double final, string model, double g, double lambda, double sigma) =>
            new(id, method, lambda, sigma, model, 0, 2, 4, baseId, double.NaN, g, 20, 0, 0.01, 1000, 1e12, 0, final, 5.5, false, RunStatus.Finished);
        var runs = new List<RunRow> { Run("base-1", Method.Scratch, "", 2.3, Base, double.NaN, 0, 1), Run("scratch-1", Method.Scratch, "", 1.8, Target, double.NaN, 0, 1) };
        foreach (var (method, g, loss) in new[] { (Method.Szp, 2.2, 1.7), (Method.Fp, 2.2, 1.85), (Method.Szp, 9.0, 1.75), (Method.Fp, 9.0, 2.0) })
            runs.Add(Run($"{method}-{g}", method, "base-1", loss, Target, g, method == Method.Szp ? 0.4 : 1, method == Method.Szp ? 1 : 0));
        var curves = runs.SelectMany(r => Enumerable.Range(1, 10).Select(k => new CurveRow(r.RunId, k, k * 1e3, k * 1e11, r.FinalValLoss + 1.0 / k))).ToList();
        return (runs, curves);
    }

    static List<SpeedupSummaryRow> SpeedupSummary() =>
    [
        new(Method.Szp, Target, 2.2, 10, 3, 3, 1.3, 0.1, 1.1, 0.1) { SpeedupKind = SpeedupEstimate.GeometricMean, SpeedupLo = 1.1, SpeedupHi = 1.5, SpeedupWithBaseLo = 0.9, SpeedupWithBaseHi = 1.3, SpeedupMedian = 1.3, SpeedupMedianKind = MedianKind.Median , Paired = 3, DeltaLossMean = -0.08, DeltaLossLo = -0.12, DeltaLossHi = -0.04 },
        new(Method.Szp, Target, 9.0, 10, 3, 3, 1.2, 0.1, 1.15, 0.1) { SpeedupKind = SpeedupEstimate.GeometricMean, SpeedupLo = 1.0, SpeedupHi = 1.4, SpeedupWithBaseLo = 1.0, SpeedupWithBaseHi = 1.3, SpeedupMedian = 1.2, SpeedupMedianKind = MedianKind.Median , Paired = 3, DeltaLossMean = -0.05, DeltaLossLo = -0.1, DeltaLossHi = 0.0 },
        new(Method.Fp, Target, 2.2, 10, 1, 1, 25.96, double.NaN, 2.24, double.NaN) { SpeedupKind = SpeedupEstimate.LowerBound, SpeedupLo = double.NaN, SpeedupMedian = 25.96, SpeedupMedianKind = MedianKind.LowerBound , Paired = 3, DeltaLossMean = 0.02, DeltaLossLo = -0.01, DeltaLossHi = 0.05 },
        new(Method.Fp, Target, 9.0, 10, 1, 0, double.NaN, double.NaN, double.NaN, double.NaN) { SpeedupKind = SpeedupEstimate.NotEstimable, SpeedupMedian = 1, SpeedupMedianKind = MedianKind.UpperBound , Paired = 3, DeltaLossMean = 0.2, DeltaLossLo = 0.1, DeltaLossHi = 0.3 },
        new(Method.Szp, Target, 2.2, 20, 3, 3, 1.2, 0.1, 1.0, 0.1) { SpeedupKind = SpeedupEstimate.GeometricMean, SpeedupLo = 1.05, SpeedupHi = 1.4, SpeedupWithBaseLo = 0.9, SpeedupWithBaseHi = 1.1, SpeedupMedian = 1.2, SpeedupMedianKind = MedianKind.Median , Paired = 3, DeltaLossMean = -0.06, DeltaLossLo = -0.09, DeltaLossHi = -0.03 },
        new(Method.Fp, Target, 2.2, 20, 3, 2, double.NaN, double.NaN, double.NaN, double.NaN) { SpeedupKind = SpeedupEstimate.NotEstimable, SpeedupMedian = 1.05, SpeedupMedianKind = MedianKind.Median , Paired = 3, DeltaLossMean = 0.01, DeltaLossLo = -0.03, DeltaLossHi = 0.05 },
    ];

    static (List<IsoFlopPoint> Points, List<IsoFlopFit> Fits) IsoFlopTables(int levels = 8, string model = Target)
    {
        var points = new List<IsoFlopPoint>();
        var fits = new List<IsoFlopFit>();
        for (int level = 0; level < levels; level++)
        {
            double offset = 2.3 - 0.08 * level, flops = 3.5e11 * (level + 1);
            foreach (var g in new[] { 2.2, 5.0, 9.0, 22.7 }) points.Add(new(Method.Szp, model, 20, false, level, flops, $"szp-{g}", g, 0, offset + 0.05 * Math.Log(g)));
            fits.Add(new(Method.Szp, model, 1e5, 20, false, level, flops, offset + 0.1, 4, offset, 0.05, 0.001, double.NaN, double.NaN, level == 0 ? 8.0 : double.NaN,
                level == 0 ? "" : "fit has no minimum (not convex in ln g)"));
        }
        return (points, fits);
    }

    static List<ControlRow> ControlRows() =>
    [
        new(Target, 20, 2.2, Method.Szp, "SZP from the trained base", 5, 1.72, 2.9, -0.064, -0.097, -0.032, 5, 0, double.NaN, double.NaN, double.NaN),
        new(Target, 20, 2.2, Method.SzpUntrainedBase, "untrained", 5, 1.82, 5.5, 0.024, -0.03, 0.08, 2, 5, 0.088, 0.037, 0.14, 0, -0.38, -1.2, 0.2),
        new(Target, 20, 2.2, Method.SzpPermutedBase, "permuted", 5, 1.77, 8.3, -0.022, -0.05, 0.005, 5, 5, 0.042, 0.023, 0.06, 0, 0.35, 0.1, 0.6),
        new(Target, 20, 2.2, Method.ScratchRescaled, "rescaled", 5, 1.75, 7.1, -0.039, -0.079, 0.001, 5, 5, 0.025, 0.004, 0.046, 0, 0.61, double.NaN, double.NaN),
        new(Target, 20, 9.0, Method.Szp, "SZP from the trained base", 5, 1.75, 3.8, -0.039, -0.068, -0.011, 5, 0, double.NaN, double.NaN, double.NaN),
        new(Target, 20, 9.0, Method.ScratchRescaled, "rescaled", 5, 1.76, 5.6, -0.027, -0.064, 0.009, 3, 5, 0.012, -0.028, 0.052, 0, double.NaN, double.NaN, double.NaN),
    ];

    static List<WeightMetricRow> Weights()
    {
        var rows = new List<WeightMetricRow>();
        foreach (var (run, method, layers) in new[] { ("lm-szp", Method.Szp, new[] { "wte.weight", "h.0.attn.c_attn.weight" }), ("lm-fp", Method.Fp, new[] { "wte.weight", "h.0.attn.c_attn.weight" }),
                     ("mlp-szp", Method.Szp, new[] { "input.weight", "head.weight" }), ("mlp-scratch", Method.Scratch, new[] { "input.weight", "head.weight" }) })
            foreach (var layer in layers)
                for (int step = 0; step <= 20; step += 10)
                    rows.Add(new(run, method, layer, step, 10 + step, step == 0 ? double.NaN : 0.99, 2 + step / 10.0, step == 0 ? double.NaN : 0.1, step == 0 ? double.NaN : 0.5));
        return rows;
    }

    static DeltaGridCell Cell(double n, double d, double delta) => new(n, d, delta);

    static ObservedDeltaRow Observed(string id, double n, double d, double delta) => new(id, Method.Szp, n, d, 2 + delta, 2, delta);

    /// <summary>Every figure with axes and its Plotly JSON, drawn once for the class: drawing and serialising them is
    /// most of these tests' time.</summary>
    static readonly Lazy<List<(string Name, GenericChart Chart, JsonElement Json)>> Drawn =
        new(() => DrawAll().Select(f => (f.Name, f.Chart, Json(f.Chart))).ToList());

    static List<(string Name, GenericChart Chart, JsonElement Json)> AllFigures() => Drawn.Value;

    /// <summary>Every figure with axes, drawn from the constructed tables above.</summary>
    static List<(string Name, GenericChart Chart)> DrawAll()
    {
        var (runs, curves) = Growth();
        var (points, fits) = IsoFlopTables();
        var lambda = new[] { 0.0, 0.4, 0.8 }.Select(l => new LambdaRow(Method.Szp, Target, 1e5, 20, l, 1, 2, 1.7 + 0.1 * l, 0.01, 1.77))
            .Append(new LambdaRow(Method.Szp, Target, 1e5, 20, 0.4, 0, 1, 1.76, double.NaN, 1.77)).ToList();
        static AblationRow Ablation(Method method, double lambda, double sigma, double grown, double final) =>
            new(method, lambda, sigma, 2.2, 20, 1, 2.3, grown, double.NaN, final, double.NaN);
        List<AblationRow> ablation = [Ablation(Method.Scratch, 0, 1, 5.5, 1.78), Ablation(Method.Szp, 0.4, 1, 2.9, 1.70), Ablation(Method.Fp, 1, 0, 2.3, 1.79),
            Ablation(Method.Zeros, 1, 0, 2.4, 1.80), Ablation(Method.ZerosShrink, 0.4, 0, 3.0, 1.77), Ablation(Method.ZerosPerturb, 1, 1, 4.0, 1.79)];
        var lr = new[] { 0.001, 0.003, 0.01, 0.03 }.Select((v, i) => new LrRow(v, 0, 2.2 - 0.05 * i, 1.9 - 0.04 * i, 1.85 - 0.04 * i, Method.Szp)).ToList();
        var grid = (from n in new[] { 1e3, 3e3, 1e4, 3e4, 1e5 } from d in new[] { 1e4, 1e5, 1e6, 1e7 } select Cell(n, d, Math.Log10(n) - Math.Log10(d) / 2)).ToList();
        List<ObservedDeltaRow> observed = [Observed("a", 8e3, 1.6e5, -0.01), Observed("b", 1.5e4, 3e5, 0.02), Observed("c", 2.8e4, 5.7e5, 0.01), Observed("d", 8e3, 4e5, 0.0)];
        List<DeltaGridCell> zero = [Cell(3e3, 1e5, 0), Cell(3e4, 1e6, 0)];
        return
        [
            ("speedup", Figures.SpeedupVsG(SpeedupSummary())),
            ("delta", Figures.DeltaVsG(SpeedupSummary())),
            ("isoflop", Figures.IsoFlop(points, fits, "SZP: iso-FLOP loss vs g")),
            ("curves", Figures.LearningCurves(runs, curves, "Learning curves")),
            ("lambda", Figures.LambdaSweep(lambda)),
            ("grown", Figures.GrownVsFinal(ablation)),
            ("lr", Figures.LrSweep(lr)),
            ("delta", Figures.DeltaContour(grid, zero, observed, "ΔL")),
            ("controls", Figures.Controls(ControlRows())),
            .. Enum.GetValues<WeightMeasure>().Select(m => ($"weights {m}", Figures.WeightMetric(Weights(), m))),
        ];
    }

    [Fact]
    public void EveryTitleIsOneLineAndTheExplanationIsACaption()
    {
        foreach (var (name, chart, json) in AllFigures())
        {
            var title = Str(json, "layout", "title", "text");
            Assert.False(string.IsNullOrWhiteSpace(title), name);
            Assert.DoesNotContain("<br", title, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\n", title);
            Assert.True(Figures.Caption(chart).Length > 40, $"{name}: no caption");
            Assert.DoesNotContain(Figures.Caption(chart), title);
        }
        var e = Assert.Throws<ArgumentException>(() => Figures.LearningCurves(Growth().Runs, Growth().Curves, "first line<br>second line"));
        Assert.Contains("one line", e.Message);
    }

    [Fact]
    public void EveryAxisNamesItsUnit()
    {
        foreach (var (name, _, json) in AllFigures())
        {
            var layout = json.GetProperty("layout");
            var axes = layout.EnumerateObject().Where(p => p.Name.StartsWith("xaxis") || p.Name.StartsWith("yaxis")).ToList();
            Assert.NotEmpty(axes);
            foreach (var axis in axes)
            {
                string title = Str(axis.Value, "title", "text");
                // A title shared by a grid of panels is written once: on a sibling axis, or centred on the grid.
                if (title.Length == 0)
                {
                    var shared = layout.TryGetProperty("annotations", out var notes)
                        ? notes.EnumerateArray().Where(n => Str(n, "name") == Figures.SharedTitle + axis.Name[0]).Select(n => Str(n, "text")).FirstOrDefault() : null;
                    var sibling = axes.Where(other => other.Name[0] == axis.Name[0]).Select(other => Str(other.Value, "title", "text")).FirstOrDefault(t => t.Length > 0);
                    title = shared ?? sibling ?? "";
                    Assert.True(title.Length > 0, $"{name}: {axis.Name} has no title and none is shared");
                }
                Assert.Matches(@"\(.+\)", title);
                Assert.DoesNotContain("nats per token", title); // the constructed studies are byte-level language models
            }
        }
        var text = string.Join("\n", AllFigures().Select(f => f.Json.GetRawText()));
        Assert.Contains("nats per byte", text);
        Assert.Contains("degrees", GenericChart.toFigureJson(Figures.WeightMetric(Weights(), WeightMeasure.AngularChange)));
    }

    [Fact]
    public void TheLossUnitFollowsTheTokenizerAndTheModelFamily()
    {
        var (runs, curves) = Growth();
        string Y(GenericChart chart) => Str(Json(chart), "layout", "yaxis", "title", "text");
        Assert.Contains("nats per byte", Y(Figures.LearningCurves(runs, curves, "t")));
        Assert.Contains("nats per token", Y(Figures.LearningCurves(runs, curves, "t", tokenizer: "gpt2")));
        var (mlpPoints, fits) = IsoFlopTables(2, model: "MLP w64×3 (15.2k)");
        Assert.Contains("nats per sample", Y(Figures.IsoFlop(mlpPoints, fits, "t")));
        Assert.Equal("nats per byte", Units.Loss(Target));
        Assert.Equal("nats per token", Units.Loss(Target, "gpt2"));
        Assert.Equal("nats per byte / nats per sample", Units.Loss([Target, "MLP w64×3 (15.2k)"]));
    }

    [Fact]
    public void EachMethodHasOneColourAndOneDashInEveryFigure()
    {
        var seen = new Dictionary<string, HashSet<string>>();
        var styles = new Dictionary<string, HashSet<(string, string)>>();
        foreach (var (name, _, json) in AllFigures())
            foreach (var trace in Traces(json).Where(t => MethodOf(t).Length > 0))
            {
                string method = MethodOf(trace), color = Str(trace, "marker", "color"), dash = Str(trace, "line", "dash");
                var style = Palette.Of(Method.Parse(method));
                Assert.Equal(style.Color, color);
                Assert.Equal(style.Color, Str(trace, "line", "color"));
                if (Str(trace, "mode").Contains("lines")) Assert.Equal(style.Dash, dash);
                (seen.TryGetValue(method, out var figures) ? figures : seen[method] = []).Add(name);
                (styles.TryGetValue(method, out var s) ? s : styles[method] = []).Add((color, Str(trace, "mode").Contains("lines") ? dash : style.Dash));
            }
        foreach (var (method, set) in styles) Assert.Single(set);
        // The check means something: the main methods appear in many figures.
        Assert.True(seen["szp"].Count >= 8, string.Join(", ", seen["szp"]));
        Assert.True(seen["scratch"].Count >= 5, string.Join(", ", seen["scratch"]));
        Assert.True(seen["fp"].Count >= 4, string.Join(", ", seen["fp"]));
        // Every method has a style, distinct methods look distinct, and none is drawn in the dashes kept for reference lines.
        Assert.Equal(Method.All.Order(), Palette.KnownMethods.Order());
        var known = Method.All.Select(Palette.Of).Append(Palette.BaseModel).ToList();
        Assert.Equal(known.Count, known.Select(s => s.Color).Distinct().Count());
        Assert.DoesNotContain(known, s => s.Dash is Palette.ZeroDash or Palette.ReferenceDash);
    }

    [Fact]
    public void LegendsSitBelowThePlotAndFit()
    {
        foreach (var (name, _, figure) in AllFigures())
        {
            var legend = figure.GetProperty("layout").GetProperty("legend");
            Assert.Equal("h", Str(legend, "orientation"));
            Assert.Equal("bottom", Str(legend, "yanchor"));
            var entries = Traces(figure).Where(InLegend).Select(t => Str(t, "name")).ToList();
            Assert.InRange(entries.Count, 1, 10);
            Assert.Equal(entries.Count, entries.Distinct().Count());
        }
    }

    [Fact]
    public void CensoredSpeedupsAreDrawnAsCensoredOnALogAxis()
    {
        var figure = Json(Figures.SpeedupVsG(SpeedupSummary()));
        var traces = Traces(figure);
        var lower = traces.Single(t => MethodOf(t) == "fp" && Str(t, "name").Contains("lower bound (≥)") && !Str(t, "name").Contains("base compute"));
        Assert.Equal("triangle-up", Str(lower, "marker", "symbol"));
        Assert.Equal("≥ 26", lower.GetProperty("text")[0].GetString());
        Assert.Equal(25.96, lower.GetProperty("y")[0].GetDouble(), 6);
        var upper = traces.Single(t => MethodOf(t) == "fp" && Str(t, "name").Contains("upper bound (<)"));
        Assert.Equal("triangle-down", Str(upper, "marker", "symbol"));
        Assert.Equal("< 1", upper.GetProperty("text")[0].GetString());
        var median = traces.Single(t => MethodOf(t) == "fp" && Str(t, "name").Contains("median"));
        Assert.Equal("circle-open", Str(median, "marker", "symbol"));
        // The exact series is a line in SZP's style, and no lower bound sits on it.
        var exact = traces.Where(t => MethodOf(t) == "szp" && Str(t, "mode") == "lines+markers" && !Str(t, "name").Contains("base") && t.GetProperty("x").GetArrayLength() > 0
            && t.GetProperty("x")[0].ValueKind == JsonValueKind.Number).ToList();
        Assert.Equal(2, exact.Count); // one per budget panel
        Assert.All(exact, t => Assert.NotEqual(Str(lower, "marker", "symbol"), Str(t, "marker", "symbol")));
        // One panel per budget, both log axes, one y range (a bound of 26 beside speedups near 1).
        var layout = figure.GetProperty("layout");
        Assert.Equal("log", Str(layout, "yaxis", "type"));
        Assert.Equal("log", Str(layout, "yaxis2", "type"));
        Assert.Equal(layout.GetProperty("yaxis").GetProperty("range").ToString(), layout.GetProperty("yaxis2").GetProperty("range").ToString());
        Assert.True(Math.Pow(10, layout.GetProperty("yaxis").GetProperty("range")[1].GetDouble()) > 25.96);
        Assert.Equal(["10 tokens per parameter", "20 tokens per parameter"], PanelTitles(figure));
        Assert.Contains("lower bound", Figures.Caption(Figures.SpeedupVsG(SpeedupSummary())));
    }

    [Fact]
    public void IsoFlopDrawsAFewLevelsEachFitInTheColourOfItsScratchLineAndLabelledAtItsEnd()
    {
        var (points, fits) = IsoFlopTables(8);
        var chart = Figures.IsoFlop(points, fits, "SZP");
        var figure = Json(chart);
        var fitsDrawn = Traces(figure).Where(t => Str(t, "mode") == "lines" && Str(t, "line", "dash") == "solid" && Str(t, "name").EndsWith("FLOPs")).ToList();
        var scratchLines = Traces(figure).Where(t => Str(t, "name").EndsWith(": scratch")).ToList();
        Assert.Equal(4, fitsDrawn.Count);
        Assert.Equal(4, scratchLines.Count);
        Assert.Equal(4, fitsDrawn.Select(t => Str(t, "line", "color")).Distinct().Count());
        foreach (var fit in fitsDrawn)
            Assert.Equal(Str(fit, "line", "color"), Str(scratchLines.Single(s => Str(s, "name") == Str(fit, "name") + ": scratch"), "line", "color"));
        var labels = figure.GetProperty("layout").GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(fitsDrawn.Select(t => Str(t, "name").Replace(" FLOPs", "")).Order(), labels.Select(a => Str(a, "text")).Order());
        Assert.Equal(fitsDrawn.Select(t => Str(t, "line", "color")).Order(), labels.Select(a => Str(a, "font", "color")).Order());
        Assert.Contains("4 of 8 FLOP levels drawn", Figures.Caption(chart));
        Assert.DoesNotContain(Palette.KnownMethods.Select(m => Palette.Of(m).Color), c => fitsDrawn.Any(t => Str(t, "line", "color") == c));
    }

    [Fact]
    public void DeltaMapIsCroppedToTheObservedRunsAndMarksTheExtrapolation()
    {
        var grid = (from n in new[] { 1e2, 1e3, 1e4, 1e5, 1e6 } from d in new[] { 1e3, 1e4, 1e5, 1e6, 1e7, 1e8 } select Cell(n, d, 0.01 * Math.Log10(n / d))).ToList();
        List<ObservedDeltaRow> observed = [Observed("a", 1e4, 2e5, -0.01), Observed("b", 3e4, 6e5, 0.02), Observed("c", 1e4, 5e5, 0.01)];
        List<DeltaGridCell> zero = [];
        var figure = Json(Figures.DeltaContour(grid, zero, observed, "ΔL", dataUnit: "samples"));
        var layout = figure.GetProperty("layout");
        double[] Range(string axis) => layout.GetProperty(axis).GetProperty("range").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal([4 - Figures.DeltaMargin, Math.Log10(3e4) + Figures.DeltaMargin], Range("xaxis"), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal([Math.Log10(2e5) - Figures.DeltaMargin, Math.Log10(6e5) + Figures.DeltaMargin], Range("yaxis"), (a, b) => Math.Abs(a - b) < 1e-9);
        var hatch = Traces(figure).Single(t => Str(t, "name").StartsWith("extrapolation"));
        Assert.Equal("toself", Str(hatch, "fill"));
        Assert.Equal("/", Str(hatch, "fillpattern", "shape"));
        Assert.Contains("nats per sample", Str(Traces(figure).Single(t => Str(t, "type") == "contour"), "colorbar", "title", "text"));
        Assert.Contains("samples", Str(layout, "yaxis", "title", "text"));
    }

    [Fact]
    public void WeightsPutLanguageModelAndMlpTensorsInSeparatePanelsAndAnglesInDegrees()
    {
        var figure = Json(Figures.WeightMetric(Weights(), WeightMeasure.AngularChange));
        var traces = Traces(figure).Where(t => t.GetProperty("x").GetArrayLength() > 0 && t.GetProperty("x")[0].ValueKind == JsonValueKind.Number).ToList();
        string Axes(JsonElement t) => Str(t, "xaxis") + "/" + Str(t, "yaxis");
        var lm = traces.Where(t => Str(t, "name").Contains("wte") || Str(t, "name").Contains("attn")).Select(Axes).ToHashSet();
        var mlp = traces.Where(t => Str(t, "name").Contains("input") || Str(t, "name").Contains("head")).Select(Axes).ToHashSet();
        Assert.Equal(2, lm.Count);
        Assert.Equal(2, mlp.Count);
        Assert.Empty(lm.Intersect(mlp));
        Assert.Equal(["LM: wte", "LM: h.0.attn.c_attn", "MLP: input", "MLP: head"], PanelTitles(figure));
        // Step 10: previous norm 2, radial 0.1, orthogonal 0.5 → atan(0.5 / 2.1) in degrees.
        var first = traces.First(t => Str(t, "name") == "szp: wte.weight");
        Assert.Equal(Math.Atan2(0.5, 2.1) * 180 / Math.PI, first.GetProperty("y")[0].GetDouble(), 9);
        var radial = Traces(Json(Figures.WeightMetric(Weights(), WeightMeasure.RadialChange))).First(t => Str(t, "name") == "szp: wte.weight");
        Assert.Equal(100 * 0.1 / 2, radial.GetProperty("y")[0].GetDouble(), 9);
    }

    [Fact]
    public void ControlsShowTheSharesOfSzpsGainAndSzpMinusEachArm()
    {
        var chart = Figures.Controls(ControlRows());
        var traces = Traces(Json(chart));
        var permuted = traces.Single(t => MethodOf(t) == Method.SzpPermutedBase.Spelling && Str(t, "xaxis") == "" && t.GetProperty("x").GetArrayLength() == 1
            && t.GetProperty("x")[0].ValueKind == JsonValueKind.Number);
        Assert.Equal(35, permuted.GetProperty("y")[0].GetDouble(), 9);                                  // 100 × share
        Assert.Equal(25, permuted.GetProperty("error_y").GetProperty("array")[0].GetDouble(), 9);       // 100 × (hi − share)
        Assert.Equal(25, permuted.GetProperty("error_y").GetProperty("arrayminus")[0].GetDouble(), 9);  // 100 × (share − lo)
        var permutedVsSzp = traces.Single(t => Str(t, "name") == "SZP − SZP(permuted base)");
        Assert.Equal("x2", Str(permutedVsSzp, "xaxis"));
        Assert.Equal(-0.042, permutedVsSzp.GetProperty("y")[0].GetDouble(), 9);                         // SZP − control = −(control − SZP)
        Assert.Equal(0.019, permutedVsSzp.GetProperty("error_y").GetProperty("array")[0].GetDouble(), 9);
        var gain = traces.Single(t => Str(t, "name") == "SZP − scratch");
        Assert.Equal([-0.064, -0.039], gain.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("scratch", MethodOf(gain));
        // The rescaled scratch at g = 9 has no share (SZP's gain is not clear there), and no interval at g = 2.2.
        var rescaled = traces.Single(t => MethodOf(t) == Method.ScratchRescaled.Spelling && Str(t, "xaxis") == "" && t.GetProperty("x").GetArrayLength() > 0
            && t.GetProperty("x")[0].ValueKind == JsonValueKind.Number);
        Assert.Equal(1, rescaled.GetProperty("y").GetArrayLength());
        Assert.False(rescaled.TryGetProperty("error_y", out _));
        Assert.Contains("rescaled scratch: no share at g = 9", Figures.Caption(chart));
        Assert.Contains("unbounded at g = 2.2", Figures.Caption(chart));
    }

    [Fact]
    public void AStandalonePageCarriesTheCaptionUnderTheChart()
    {
        var chart = Figures.SpeedupVsG(SpeedupSummary());
        var html = Figures.ToHtml(chart, "speedup", "plotly.min.js");
        int chartAt = html.IndexOf("<div id=\"chart\">", StringComparison.Ordinal), captionAt = html.IndexOf("<p id=\"caption\">", StringComparison.Ordinal);
        Assert.True(chartAt > 0 && captionAt > chartAt);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Figures.Caption(chart)), html);
    }
}
