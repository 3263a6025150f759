using Warmstart.Analysis;
using Warmstart.Growth;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>sweep.json: which preset a results folder holds and which runs belong to it.</summary>
public sealed record SweepIndex(string Preset, string Description, List<string> Runs, DateTimeOffset Updated);

/// <summary>
/// A results folder: <c>sweep.json</c>, one folder per run under <c>runs/</c> (named by its spec hash, holding
/// spec.json, config.json, curve.csv, summary.json and its final checkpoint), grown checkpoints under <c>grown/</c>,
/// failures under <c>failures/</c>, and the tables the analyses read (<c>runs.csv</c>, <c>curves.csv</c>).
/// </summary>
public sealed class ResultStore(string root)
{
    public const string IndexFile = "sweep.json", SpecFile = "spec.json";
    public string Root { get; } = Path.GetFullPath(root);
    public string RunDir(string id) => Path.Combine(Root, "runs", id);
    public string GrownDir(string id) => Path.Combine(Root, "grown", id);
    public string FailureFile(string id) => Path.Combine(Root, "failures", id + ".json");
    public string IndexPath => Path.Combine(Root, IndexFile);
    /// <summary>Why <see cref="Load"/> marked a run "invalid" (e.g. an unreadable curve.csv row), by run id.</summary>
    public Dictionary<string, string> Problems { get; } = new();

    public bool IsFinished(string id) => File.Exists(Path.Combine(RunDir(id), Trainer.SummaryFile));

    public SweepIndex? ReadIndex() => File.Exists(IndexPath) ? Files.ReadJson<SweepIndex>(IndexPath) : null;

    public RunSummary? Summary(string id) =>
        IsFinished(id) ? Files.ReadJson<RunSummary>(Path.Combine(RunDir(id), Trainer.SummaryFile)) : null;

    public RunSpec ReadSpec(string id) => Files.ReadJson<RunSpec>(Path.Combine(RunDir(id), SpecFile));

    /// <summary>
    /// The run and curve tables of every run the index lists: finished runs with their summaries, unfinished or
    /// failed ones with status "missing" or "failed" and NaN results, so analyses can tell what is absent.
    /// </summary>
    public ResultTables Load()
    {
        var index = ReadIndex() ?? throw new ArgumentException($"'{Root}' is not a results folder (no {IndexFile}); run a sweep into it first");
        var rows = new List<RunRow>();
        var curves = new List<CurveRow>();
        foreach (var id in index.Runs)
        {
            var specPath = Path.Combine(RunDir(id), SpecFile);
            if (!File.Exists(specPath))
            {
                rows.Add(new RunRow(id, id[..id.LastIndexOf('-')], double.NaN, double.NaN, "", double.NaN, double.NaN, double.NaN, "", double.NaN,
                    double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, false,
                    File.Exists(FailureFile(id)) ? "failed" : "missing"));
                continue;
            }
            var spec = Files.ReadJson<RunSpec>(specPath);
            var summary = Summary(id);
            var baseSummary = spec.Base is null ? null : Summary(spec.Base.Id);
            string status = summary is not null ? "finished" : File.Exists(FailureFile(id)) ? "failed" : "missing";
            var curvePath = Path.Combine(RunDir(id), Trainer.CurveFile);
            List<CurvePoint>? points = null;
            if (summary is not null)
                try { points = CurvePoint.ReadStrict(curvePath); }
                catch (InvalidDataException e) { (status, Problems[id]) = ("invalid", e.Message); } // kept and named, not dropped
            rows.Add(new RunRow(
                id, spec.Method, spec.Operator?.Lambda ?? 0, spec.Operator?.Sigma ?? 1, spec.Label(), spec.ParameterCount(),
                spec.DepthUnits, spec.WidthUnits, spec.Base?.Id ?? "", spec.Base?.ParameterCount() ?? double.NaN, spec.G,
                spec.Train.Tpp ?? double.NaN, spec.Train.Seed, spec.Train.Lr,
                summary?.Tokens ?? double.NaN, summary?.Flops ?? double.NaN, baseSummary?.Flops ?? 0,
                summary?.FinalValLoss ?? double.NaN, summary?.InitialValLoss ?? double.NaN, summary?.Diverged ?? false, status));
            if (points is not null)
                curves.AddRange(points.Where(p => !double.IsNaN(p.ValLoss)).Select(p => new CurveRow(id, p.Step, p.Tokens, p.Flops, p.ValLoss)));
        }
        return new ResultTables(Frames.FromRecords(rows), Frames.FromRecords(curves));
    }

    /// <summary>
    /// Tables for loose run folders (trained with <c>train</c> or <see cref="Trainer.Run"/>, not a sweep), each given a
    /// method label — e.g. the tour's base and its grown variants. g is NaN: loose runs do not record their base.
    /// </summary>
    public static ResultTables FromRunFolders(IEnumerable<(string Method, string RunDir)> folders)
    {
        var rows = new List<RunRow>();
        var curves = new List<CurveRow>();
        foreach (var (method, dir) in folders)
        {
            var config = Files.ReadJson<RunConfig>(Path.Combine(dir, Trainer.ConfigFile));
            var summary = Files.ReadJson<RunSummary>(Path.Combine(dir, Trainer.SummaryFile));
            string id = $"{method}:{Path.GetFileName(Path.GetFullPath(dir).TrimEnd('/'))}";
            var arch = config.Architecture();
            rows.Add(new RunRow(id, method, double.NaN, double.NaN, config.Label(), arch.ParameterCount(), arch.Depth,
                config.Model?.Heads ?? config.Mlp!.Width, "", double.NaN, double.NaN, config.Train.Tpp ?? double.NaN, config.Train.Seed,
                config.Train.Lr, summary.Tokens, summary.Flops, 0, summary.FinalValLoss, summary.InitialValLoss, summary.Diverged, "finished"));
            curves.AddRange(CurvePoint.ReadAll(Path.Combine(dir, Trainer.CurveFile)).Where(p => !double.IsNaN(p.ValLoss))
                .Select(p => new CurveRow(id, p.Step, p.Tokens, p.Flops, p.ValLoss)));
        }
        return new ResultTables(Frames.FromRecords(rows), Frames.FromRecords(curves));
    }

    /// <summary>Loads the tables from runs.csv and curves.csv when the run folders are not at hand (committed results).</summary>
    public ResultTables LoadTables()
    {
        var runs = Path.Combine(Root, "runs.csv");
        var curves = Path.Combine(Root, "curves.csv");
        if (Directory.Exists(Path.Combine(Root, "runs"))) return Load();
        if (!File.Exists(runs) || !File.Exists(curves))
            throw new ArgumentException($"'{Root}' holds neither run folders nor runs.csv/curves.csv: run a sweep into it first");
        return new ResultTables(Frames.Load(runs), Frames.Load(curves));
    }
}
