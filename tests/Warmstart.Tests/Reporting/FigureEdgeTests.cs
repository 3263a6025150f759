using System.Text.Json;
using Plotly.NET;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Reporting;

using static FigureJson;

/// <summary>
/// Every public figure given nothing, one row, or only non-finite losses (a diverged or unfinished study): it draws
/// what there is, or says in one line that there is nothing to plot — it never throws on an empty axis.
/// </summary>
public class FigureEdgeTests
{
    /// <summary>Empty input: one line, "Nothing to plot: …", as the caption and written on the plot.</summary>
    static void SaysNothingToPlot(GenericChart chart, string? because = null)
    {
        string caption = Figures.Caption(chart);
        Assert.StartsWith("Nothing to plot: ", caption);
        Assert.DoesNotContain('\n', caption);
        if (because is not null) Assert.Contains(because, caption);
        var annotations = Figure(chart).GetProperty("layout").GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString());
        Assert.Contains(System.Net.WebUtility.HtmlEncode(caption), annotations);
    }

    /// <summary>Drawn (something to see, no "nothing to plot"), and its JSON is valid.</summary>
    static void Draws(GenericChart chart)
    {
        Assert.DoesNotContain("Nothing to plot", Figures.Caption(chart));
        Assert.NotEmpty(Figure(chart).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public void SpeedupVsG()
    {
        var rows = Committed("quick", AnalysisFiles.SpeedupSummary);
        SaysNothingToPlot(Figures.SpeedupVsG([]));
        Draws(Figures.SpeedupVsG([rows[0]]));
        var never = Figures.SpeedupVsG(rows.Select(r => r with { Reached = 0, SpeedupMean = double.NaN, SpeedupWithBaseMean = double.NaN }).ToList());
        Assert.Contains("never reached", Figures.Caption(never)); // every warm run short of scratch's loss: said, not drawn
    }

    [Fact]
    public void DeltaVsG()
    {
        var rows = Committed("quick", AnalysisFiles.SpeedupSummary);
        SaysNothingToPlot(Figures.DeltaVsG([]), "no grown run");
        Draws(Figures.DeltaVsG([rows.First(r => r.Paired > 0)]));
        SaysNothingToPlot(Figures.DeltaVsG(rows.Select(r => r with { DeltaLossMean = double.NaN }).ToList()), "finite final loss");
    }

    [Fact]
    public void IsoFlop()
    {
        var points = Committed("quick", AnalysisFiles.IsoFlopPoints(Method.Szp, false, false));
        var fits = Committed("quick", AnalysisFiles.IsoFlopFits(Method.Szp, false, false));
        SaysNothingToPlot(Figures.IsoFlop([], [], "szp"), "no run has a point");
        Draws(Figures.IsoFlop([points[0]], [], "szp"));
        SaysNothingToPlot(Figures.IsoFlop(points.Select(p => p with { Loss = double.NaN }).ToList(), fits, "szp"), "non-finite");
        var half = Figures.IsoFlop(points.Select((p, i) => i % 2 == 0 ? p with { Loss = double.NaN } : p).ToList(), fits, "szp");
        Assert.Contains($"{(points.Count + 1) / 2} points with a non-finite loss", Figures.Caption(half));
    }

    [Fact]
    public void LearningCurves()
    {
        var tables = ResultTables.Read(Study("quick"));
        SaysNothingToPlot(Figures.LearningCurves([], tables.Curves, "curves"), "no runs");
        SaysNothingToPlot(Figures.LearningCurves(tables.Runs, [], "curves"), "has a validation point yet");
        var one = tables.Runs.First(r => r.Method == Method.Szp);
        Draws(Figures.LearningCurves([one], tables.Curves, "curves"));
        SaysNothingToPlot(Figures.LearningCurves(tables.Runs, tables.Curves.Select(c => c with { ValLoss = double.NaN }).ToList(), "curves"), "non-finite");
        var diverged = Figures.LearningCurves(tables.Runs, tables.Curves.Select(c => c.RunId == one.RunId ? c with { ValLoss = double.PositiveInfinity } : c).ToList(), "curves");
        Assert.Contains($"{tables.Curves.Count(c => c.RunId == one.RunId)} validation points with a non-finite loss", Figures.Caption(diverged));
    }

    [Fact]
    public void LambdaSweep()
    {
        var rows = Committed("lambda-quick", AnalysisFiles.Lambda);
        SaysNothingToPlot(Figures.LambdaSweep([]));
        Draws(Figures.LambdaSweep([rows[0]]));
        SaysNothingToPlot(Figures.LambdaSweep(rows.Select(r => r with { FinalLossMean = double.NaN }).ToList()), "non-finite");
    }

    [Fact]
    public void FitTable()
    {
        var fits = Committed("budget-quick", AnalysisFiles.ScalingFits);
        SaysNothingToPlot(Figures.FitTable([]));
        Draws(Figures.FitTable([fits[0]]));
        var refused = Figure(Figures.FitTable(fits.Select(f => f with { E = double.NaN, A = double.NaN, R2 = double.NaN, Reason = "too few runs" }).ToList()));
        Assert.Contains("too few runs", refused.GetRawText()); // a refused fit is a row that says why, not an error
    }

    [Fact]
    public void DeltaContour()
    {
        var grid = Committed("mlp-quick", AnalysisFiles.DeltaGrid(Method.Szp));
        var zero = Committed("mlp-quick", AnalysisFiles.DeltaZero(Method.Szp));
        var observed = Committed("mlp-quick", AnalysisFiles.DeltaObserved(Method.Szp));
        SaysNothingToPlot(Figures.DeltaContour([], [], [], "ΔL"), "neither a fitted ΔL map");
        Draws(Figures.DeltaContour([], [], [observed[0]], "ΔL"));
        SaysNothingToPlot(Figures.DeltaContour(grid.Select(c => c with { Delta = double.NaN }).ToList(), zero,
            observed.Select(o => o with { Delta = double.NaN }).ToList(), "ΔL"), "non-finite");
    }

    [Fact]
    public void WeightMetric()
    {
        var rows = Committed("weights-quick", AnalysisFiles.Weights);
        SaysNothingToPlot(Figures.WeightMetric([], WeightMeasure.EffectiveRank), "no weight snapshots");
        Draws(Figures.WeightMetric([rows[0]], WeightMeasure.EffectiveRank));
        Draws(Figures.WeightMetric(rows.Select(r => r with { EffectiveRank = double.NaN }).ToList(), WeightMeasure.EffectiveRank));
    }

    [Fact]
    public void LrSweep()
    {
        var rows = Committed("lr-quick", AnalysisFiles.LrTransfer);
        SaysNothingToPlot(Figures.LrSweep([]));
        Draws(Figures.LrSweep([rows[0]]));
        SaysNothingToPlot(Figures.LrSweep(rows.Select(r => r with { BaseLoss = double.NaN, ScratchLoss = double.NaN, WarmLoss = double.NaN }).ToList()), "non-finite");
    }

    [Fact]
    public void GrownVsFinal()
    {
        var rows = Committed("ablation-quick", AnalysisFiles.Ablation);
        SaysNothingToPlot(Figures.GrownVsFinal([]), "no grown runs");
        Draws(Figures.GrownVsFinal([rows[0]]));
        SaysNothingToPlot(Figures.GrownVsFinal(rows.Select(r => r with { FinalLossMean = double.NaN }).ToList()), "non-finite");
    }

    [Fact]
    public void Controls()
    {
        var rows = Committed("controls-quick", AnalysisFiles.Controls);
        SaysNothingToPlot(Figures.Controls([]), "no control runs");
        SaysNothingToPlot(Figures.Controls(rows.Where(r => r.Method == Method.Szp).ToList()), "no control arm");
        Draws(Figures.Controls([rows.First(r => r.Method != Method.Scratch && r.Method != Method.Szp)]));
        Draws(Figures.Controls(rows.Select(r => r with { FinalLoss = double.NaN, VsScratch = double.NaN, VsSzp = double.NaN, Share = double.NaN }).ToList()));
    }
}
