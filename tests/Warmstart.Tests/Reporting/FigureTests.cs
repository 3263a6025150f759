using System.Text.Json;
using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Reporting;

using static FigureJson;

/// <summary>The charts and the fit table read off their plotly JSON (no browser needed), drawn from the committed results.</summary>
public class FigureTests
{
    static string Name(JsonElement trace) => trace.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";

    static bool InLegend(JsonElement trace) => !trace.TryGetProperty("showlegend", out var s) || s.GetBoolean();

    static List<SpeedupSummaryRow> SpeedupSummary(params (Method Method, double G, int Runs, int Reached, double Mean, double Std, double Base, double BaseStd)[] rows) =>
        rows.Select(r => new SpeedupSummaryRow(r.Method, "L2-H8x8 (d64, 0.133M)", r.G, 20, r.Runs, r.Reached, r.Mean, r.Std, r.Base, r.BaseStd)).ToList();

    [Fact]
    public void SpeedupChartDropsSeriesThatNeverReachAndDrawsOnlyRealErrorBars()
    {
        var summary = SpeedupSummary(
            (Method.Fp, 2.2144, 3, 0, double.NaN, double.NaN, double.NaN, double.NaN),
            (Method.Fp, 22.688525, 3, 0, double.NaN, double.NaN, double.NaN, double.NaN),
            (Method.Szp, 2.2144, 3, 3, 1.24, 0.11, 0.99, 0.07),
            (Method.Szp, 8.987013, 3, 1, 1.17, 0, 1.15, 0),
            (Method.Szp, 22.688525, 3, 3, 1.21, 0.2, 1.2, 0.2),
            (Method.Zeros, 2.2144, 1, 1, double.PositiveInfinity, 0, 2.45, 0));
        var chart = Figures.SpeedupVsG(summary);
        var figure = Figure(chart);
        var traces = Traces(figure).ToList();
        Assert.DoesNotContain(traces, t => Name(t).StartsWith("fp"));
        Assert.Contains("fp: never reached scratch's final loss at g = 2.21, 22.7; not drawn.", Figures.Caption(chart));
        Assert.Contains("speedup unbounded", Figures.Caption(chart));
        Assert.DoesNotContain("Infinity", GenericChart.toFigureJson(Figures.SpeedupVsG(summary)));

        var szp = traces.Single(t => Name(t) == "szp" && t.TryGetProperty("error_y", out _));
        var bars = szp.GetProperty("error_y").GetProperty("array").EnumerateArray().ToList();
        Assert.Equal(0.11, bars[0].GetDouble(), 12);
        Assert.Equal(JsonValueKind.String, bars[1].ValueKind); // n = 1 reached at g ≈ 9: NaN, no zero-length bar
        var withBase = traces.Single(t => Name(t) == "szp, base compute included");
        Assert.True(withBase.TryGetProperty("error_y", out _), "the with-base-compute series has error bars too");

        // Log-x ticks are the g values themselves: 22.7 reads "22.7", not "2".
        var axis = figure.GetProperty("layout").GetProperty("xaxis");
        Assert.Equal("log", axis.GetProperty("type").GetString());
        Assert.Contains("22.7", axis.GetProperty("ticktext").EnumerateArray().Select(e => e.GetString()));
        Assert.False(figure.GetProperty("layout").TryGetProperty("width", out _), "charts size to their container");
    }

    [Fact]
    public void IsoFlopChartHasBigMarkersOneScratchKeyAndANoteWhenNoMinimum()
    {
        var points = Committed("quick", AnalysisFiles.IsoFlopPoints(Method.Szp, false, false));
        var fits = Committed("quick", AnalysisFiles.IsoFlopFits(Method.Szp, false, false));
        var chart = Figures.IsoFlop(points, fits, "szp");
        var traces = Traces(Figure(chart)).ToList();
        Assert.Single(traces, t => InLegend(t) && Name(t).Contains("scratch"));
        Assert.Contains("No g_opt at", Figures.Caption(chart));
        Assert.Contains("no minimum", Figures.Caption(chart));

        // The levels whose fit has a minimum inside the observed g: each draws a star.
        var budget = Committed("budget-quick", AnalysisFiles.IsoFlopFits(Method.Szp, true, true));
        var budgetPoints = Committed("budget-quick", AnalysisFiles.IsoFlopPoints(Method.Szp, true, true));
        var cell = budget.Where(f => double.IsFinite(f.GOpt)).GroupBy(f => (f.Model, f.Tpp)).MaxBy(g => g.Count())!;
        var levels = cell.Select(f => f.Level).ToHashSet();
        var withOpt = Figure(Figures.IsoFlop(IsoFlop.ForTarget(budgetPoints, cell.Key.Model, cell.Key.Tpp).Where(p => levels.Contains(p.Level)).ToList(),
            cell.ToList(), "szp"));
        var stars = Traces(withOpt).Where(t => t.GetProperty("marker").GetProperty("symbol").GetString() == "star").ToList();
        Assert.Equal(Math.Min(levels.Count, 4) + 1, stars.Count); // one per drawn level (at most 4 are drawn), and the key
        Assert.All(stars, s => Assert.InRange(s.GetProperty("marker").GetProperty("size").GetInt32(), 12, 14));
        Assert.Single(stars, InLegend);
    }

    [Fact]
    public void DeltaMapColourScaleFollowsTheObservedRange()
    {
        var grid = Committed("mlp-quick", AnalysisFiles.DeltaGrid(Method.Szp));
        var zero = Committed("mlp-quick", AnalysisFiles.DeltaZero(Method.Szp));
        var observed = Committed("mlp-quick", AnalysisFiles.DeltaObserved(Method.Szp));
        var figure = Figure(Figures.DeltaContour(grid, zero, observed, "ΔL", dataUnit: "samples"));
        var contour = Traces(figure).Single(t => t.GetProperty("type").GetString() == "contour");
        double maxObserved = observed.Max(o => Math.Abs(o.Delta));
        double zmax = contour.GetProperty("zmax").GetDouble();
        Assert.InRange(zmax, 1.5 * maxObserved, 1.5 * maxObserved * 1.05);
        Assert.Equal(-zmax, contour.GetProperty("zmin").GetDouble());
        Assert.Contains("ΔL", contour.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString());
        Assert.Equal("h", figure.GetProperty("layout").GetProperty("legend").GetProperty("orientation").GetString());
        Assert.Contains("samples", figure.GetProperty("layout").GetProperty("yaxis").GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void LearningCurvesDrawAPanelPerGrowthFactorWithEachMethodInItsOwnStyle()
    {
        var tables = ResultTables.Read(Study("quick"));
        var figure = Figure(Figures.LearningCurves(tables.Runs, tables.Curves, "curves"));
        var panels = figure.GetProperty("layout").GetProperty("annotations").EnumerateArray()
            .Where(a => !(a.TryGetProperty("name", out var n) && n.GetString()!.StartsWith(Figures.SharedTitle))).Select(a => a.GetProperty("text").GetString()).ToList();
        Assert.Equal(["g = 2.21", "g = 4.96", "g = 8.99", "g = 22.7"], panels);
        var szp = Traces(figure).Where(t => t.TryGetProperty("meta", out var m) && m.GetProperty("method").GetString() == "szp").ToList();
        // Panels 2–4 name their axes (x2 … x4); the first panel's traces use the default axes.
        Assert.Equal(["x2", "x3", "x4"], szp.Where(t => t.TryGetProperty("xaxis", out _)).Select(t => t.GetProperty("xaxis").GetString()).Distinct().Order());
        Assert.Single(szp.Select(t => t.GetProperty("line").GetProperty("color").GetString()).Distinct());
        Assert.Equal(Palette.Of(Method.Szp).Color, szp[0].GetProperty("line").GetProperty("color").GetString());
        Assert.Single(Traces(figure), t => InLegend(t) && Name(t) == "base's final loss (dashed)");
    }

    [Fact]
    public void FitTableMarksParametersAtTheirBounds()
    {
        ScalingFitRow[] fits =
        [
            new(Method.Scratch, 45, 7, 15, A: 1.72, Alpha: 4, B: 10.9, Beta: 0.138, E: 9.36e-14, R2: 0.98, Reason: "")
                { AtBounds = "alpha at its upper bound (4); E at its lower bound (exp(-30))" },
            new(Method.Szp, 6, 1, 3, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
                "refused: the fit has 1 distinct N and 3 distinct D"),
        ];
        var table = Traces(Figure(Figures.FitTable(fits))).Single();
        var columns = table.GetProperty("cells").GetProperty("values").EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.GetString()!).ToList()).ToList();
        Assert.Equal("4 †", columns[4][0]);                       // scratch's α sits at its upper bound
        Assert.Equal("9.36e-14 †", columns[2][0]);                // and E at its lower bound
        Assert.Equal(["1.72", "10.9", "0.138"], new[] { columns[3][0], columns[5][0], columns[6][0] }); // the others carry no mark
        Assert.Contains("† at its bound: alpha at its upper bound (4); E at its lower bound", columns[8][0]);
        Assert.Equal("refused: the fit has 1 distinct N and 3 distinct D", columns[8][1]);
        Assert.Equal("–", columns[2][1]);
    }

    [Fact]
    public void FitTableIsOnlyWorthWritingWhenAFitExists()
    {
        Assert.False(Figures.HasAnyFit(Committed("quick", AnalysisFiles.ScalingFits)));
        Assert.True(Figures.HasAnyFit(Committed("budget-quick", AnalysisFiles.ScalingFits)));
    }

    [Theory]
    [InlineData(1.0983441080736018, 3, "1.1")]
    [InlineData(22.688525, 3, "22.7")]
    [InlineData(132864, 3, "133000")]
    [InlineData(353192902656, 3, "3.53e+11")]
    [InlineData(9.3576229688401748E-14, 3, "9.36e-14")]
    [InlineData(-0.24090099334716797, 3, "-0.241")]
    [InlineData(double.NaN, 3, "–")]
    [InlineData(double.PositiveInfinity, 3, "∞")]
    public void NumbersAreRoundedToSignificantFigures(double value, int figures, string expected) =>
        Assert.Equal(expected, Numbers.Number(value, figures));

    [Fact]
    public void DisplayTablesPutAnswersFirstAndNeverPrintInfinityOrASingleSeedStd()
    {
        // The committed rows, and one whose seeds were all below the target at their first evaluation.
        var summary = Committed("budget-quick", AnalysisFiles.SpeedupSummary).Append(
            new SpeedupSummaryRow(Method.Szp, "L2-H8x8 (d64, 0.133M)", 2.21, 10, Runs: 3, Reached: 3, SpeedupMean: 3.1, SpeedupStd: 0.2,
                SpeedupWithBaseMean: 1.4, SpeedupWithBaseStd: 0.1) { BelowAtStart = 3, SpeedupKind = SpeedupEstimate.LowerBound }).ToList();
        var table = Display.SpeedupSummary(summary);
        Assert.Equal(["method", "g", "speedup", "with base compute", "seeds reaching", "ΔL", "target", "TPP"], Frames.FromRecords(table).Columns.Select(c => c.Name));
        var cells = table.SelectMany(r => new[] { r.Method, r.G, r.Speedup, r.WithBaseCompute, r.SeedsReaching, r.DeltaLoss, r.Target, r.Tpp }).ToList();
        Assert.DoesNotContain(cells, c => c.Contains("Infinity") || c.Contains("NaN"));
        // A warm run below the target at its first evaluation: a finite lower bound, never ∞ (its speedup is at least
        // the target's tokens over the first evaluation's, not unbounded).
        Assert.Contains(cells, c => c.Contains("below at start"));
        Assert.Contains(cells, c => c.StartsWith("≥ "));
        Assert.DoesNotContain(cells, c => c.Contains("∞"));
        foreach (var (row, shown) in summary.Zip(table))
            if (row.Reached < 2) Assert.DoesNotContain("[", shown.Speedup);
    }
}
