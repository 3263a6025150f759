using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>A CSV table of records of <typeparamref name="T"/>, by its file name: what it holds is known where it is read.</summary>
public sealed record TableFile<T>(string Name)
{
    public string In(string folder) => Path.Combine(folder, Name);
    public List<T> Read(string folder) => Csv.Read<T>(In(folder));
    public void Write(string folder, IEnumerable<T> rows) => Csv.Write(In(folder), rows);
}

/// <summary>
/// Every table <c>report</c> writes under a results folder's <c>analysis/</c>, each with the record type of its rows,
/// so that the report, the notebooks, the CLI and the tests read and write them one way.
/// </summary>
public static class AnalysisFiles
{
    /// <summary>The analysis folder of a results folder.</summary>
    public static string Of(string resultsDir) => Path.Combine(resultsDir, "analysis");

    public static readonly TableFile<BestSettingRow> BestSettings = new("best_settings.csv");
    public static readonly TableFile<SpeedupRow> Speedup = new("speedup.csv");
    public static readonly TableFile<SpeedupSummaryRow> SpeedupSummary = new("speedup_summary.csv");
    public static readonly TableFile<AblationRow> Ablation = new("ablation.csv");
    public static readonly TableFile<LambdaRow> Lambda = new("lambda.csv");
    public static readonly TableFile<ScalingFitRow> ScalingFits = new("scaling_fits.csv");
    public static readonly TableFile<WeightMetricRow> Weights = new("weights.csv");
    public static readonly TableFile<LrRow> LrTransfer = new("lr_transfer.csv");
    public static readonly TableFile<RankCorrelationRow> LrRankCorrelation = new("lr_rank_correlation.csv");
    public static readonly TableFile<VerdictRow> Verdicts = new("verdicts.csv");
    public static readonly TableFile<ControlRow> Controls = new("controls.csv");
    public static readonly TableFile<TuneCell> Tune = new("tune.csv");
    public static readonly TableFile<NoiseCell> FpNoise = new("fp_noise.csv");
    public static readonly TableFile<RouteRow> Routes = new("routes.csv");
    public static readonly TableFile<RouteContrast> RouteContrasts = new("route_contrasts.csv");
    public static readonly TableFile<HoldOutRow> HoldOut = new("holdout.csv");

    /// <summary>
    /// The name of one iso-FLOP view of a method: the paper's (base compute left out, scratch not a point), with the
    /// base's compute counted ("_with_base"), with scratch as the g = 1 point ("_g1"), or both.
    /// </summary>
    public static string IsoFlopView(Method method, bool withBaseCompute, bool includeScratch) =>
        $"{method}{(withBaseCompute ? "_with_base" : "")}{(includeScratch ? "_g1" : "")}";

    public static TableFile<IsoFlopPoint> IsoFlopPoints(Method method, bool withBaseCompute, bool includeScratch) =>
        new($"isoflop_points_{IsoFlopView(method, withBaseCompute, includeScratch)}.csv");

    public static TableFile<IsoFlopFit> IsoFlopFits(Method method, bool withBaseCompute, bool includeScratch) =>
        new($"isoflop_fits_{IsoFlopView(method, withBaseCompute, includeScratch)}.csv");

    /// <summary>The ΔL map of a method against scratch: its grid, its zero line and the observed differences.</summary>
    public static TableFile<DeltaGridCell> DeltaGrid(Method method) => new($"delta_grid_{method}.csv");
    public static TableFile<DeltaGridCell> DeltaZero(Method method) => new($"delta_zero_{method}.csv");
    public static TableFile<ObservedDeltaRow> DeltaObserved(Method method) => new($"delta_observed_{method}.csv");
}
