using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>
/// sweep.json: which preset a results folder holds, which runs belong to it, and the CPU threads every run uses
/// (a study keeps one thread count: float reduction order differs between counts, so results would mix).
/// </summary>
public sealed record SweepIndex(string Preset, string Description, List<string> Runs, DateTimeOffset Updated, int? ThreadsPerRun = null);

/// <summary>Where one run of a results folder stands.</summary>
public enum RunState { Pending, Running, Finished, Diverged, Failed }

/// <summary>
/// A results folder: <c>sweep.json</c>, one spec file per run under <c>plan/</c> (what a worker or Slurm job
/// executes), one folder per run under <c>runs/</c> (named by its spec hash, holding spec.json, curve.csv,
/// summary.json and its final checkpoint), grown checkpoints under <c>grown/</c>, failures under <c>failures/</c>,
/// run locks under <c>locks/</c>, and the tables the analyses read (<c>runs.csv</c>, <c>curves.csv</c>). Nothing
/// inside stores an absolute path, so a copied or moved folder resumes and reports.
/// </summary>
public sealed class ResultStore(string root)
{
    public const string IndexFile = "sweep.json", SpecFile = Trainer.SpecFile;
    public string Root { get; } = Path.GetFullPath(root);
    public string RunDir(string id) => Path.Combine(Root, "runs", id);
    public string GrownDir(string id) => Path.Combine(Root, "grown", id);
    public string FailureFile(string id) => Path.Combine(Root, "failures", id + ".json");
    public string PlanFile(string id) => Path.Combine(Root, "plan", id + ".json");
    public string LockFile(string id) => Path.Combine(Root, "locks", id + ".lock");
    public string IndexPath => Path.Combine(Root, IndexFile);
    /// <summary>Why <see cref="Load"/> marked a run "invalid" (e.g. an unreadable curve.csv row), by run id.</summary>
    public Dictionary<string, string> Problems { get; } = new();

    public bool IsFinished(string id) => File.Exists(Path.Combine(RunDir(id), Trainer.SummaryFile));

    public SweepIndex? ReadIndex() => File.Exists(IndexPath) ? Files.ReadJson<SweepIndex>(IndexPath) : null;

    public RunSummary? Summary(string id) => Trainer.FinishedSummary(RunDir(id));

    public RunFailure? Failure(string id) => File.Exists(FailureFile(id)) ? Files.ReadJson<RunFailure>(FailureFile(id)) : null;

    /// <summary>A run's spec: from its run folder once it started, else from the plan.</summary>
    public RunSpec? ReadSpec(string id)
    {
        foreach (var path in new[] { Path.Combine(RunDir(id), SpecFile), PlanFile(id) })
            if (File.Exists(path)) return Files.ReadJson<RunSpec>(path);
        return null;
    }

    public void RecordFailure(string id, string error) =>
        Files.WriteJsonAtomic(FailureFile(id), new RunFailure(id, error, DateTimeOffset.UtcNow));

    /// <summary>Finished, diverged, failed, running (a process holds its lock) or pending.</summary>
    public RunState State(string id)
    {
        if (Summary(id) is { } s) return s.Diverged ? RunState.Diverged : RunState.Finished;
        if (RunLock.IsHeld(LockFile(id))) return RunState.Running;
        return File.Exists(FailureFile(id)) ? RunState.Failed : RunState.Pending;
    }

    /// <summary>
    /// At the end of a sweep (the Slurm report job): every run that is neither finished nor running is recorded as
    /// failed — with its base's problem where the base failed (its job was cancelled), else "its job ended without a
    /// summary". Bases first, so a failure propagates down. Returns what it recorded.
    /// </summary>
    public List<(string Run, string Reason)> RecordUnfinished()
    {
        var recorded = new List<(string, string)>();
        foreach (var id in ReadIndex()?.Runs ?? [])
        {
            if (State(id) is not RunState.Pending || File.Exists(FailureFile(id))) continue;
            var spec = ReadSpec(id);
            string reason = spec?.Base is { } b && BaseProblem(b.Id) is { } problem && State(b.Id) is RunState.Failed or RunState.Diverged
                ? problem
                : "did not finish: its job ended (or never started) without a summary; see the Slurm logs";
            RecordFailure(id, reason);
            recorded.Add((id, reason));
        }
        return recorded;
    }

    /// <summary>Why a warm run cannot start from its base (null when the base finished and did not diverge).</summary>
    public string? BaseProblem(string baseId) => State(baseId) switch
    {
        RunState.Finished => null,
        RunState.Diverged => $"base run {baseId} diverged at step {Summary(baseId)!.DivergedStep}",
        RunState.Failed => $"base run {baseId} failed: {Failure(baseId)?.Error}",
        _ => $"base run {baseId} has not finished in '{Root}'",
    };

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
            var spec = ReadSpec(id);
            if (spec is null)
            {
                // Without a spec only the id tells the method: it starts with it ("szp-permuted-base-1a2b3c4d5e6f").
                rows.Add(new RunRow(id, Method.Parse(id[..id.LastIndexOf('-')]), double.NaN, double.NaN, "", double.NaN, double.NaN, double.NaN, "", double.NaN,
                    double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, false,
                    File.Exists(FailureFile(id)) ? RunStatus.Failed : RunStatus.Missing));
                continue;
            }
            var summary = Summary(id);
            var status = summary is not null ? RunStatus.Finished : File.Exists(FailureFile(id)) ? RunStatus.Failed : RunStatus.Missing;
            var curvePath = Path.Combine(RunDir(id), Trainer.CurveFile);
            List<CurvePoint>? points = null;
            if (summary is not null)
                try { points = CurvePoint.ReadStrict(curvePath); }
                catch (InvalidDataException e) { (status, Problems[id]) = (RunStatus.Invalid, e.Message); } // kept and named, not dropped
            rows.Add(new RunRow(
                id, spec.Method, spec.Operator?.Lambda ?? 0, spec.Operator?.Sigma ?? 1, spec.Label(), spec.ParameterCount(),
                spec.Model.DepthUnits, spec.Model.WidthUnits, spec.Base?.Id ?? "", spec.Base?.ParameterCount() ?? double.NaN, spec.G,
                BudgetTpp(spec), spec.Train.Seed, spec.Train.Lr,
                summary?.Tokens ?? double.NaN, summary?.Flops ?? double.NaN, BaseFlops(spec),
                summary?.FinalValLoss ?? double.NaN, summary?.InitialValLoss ?? double.NaN, summary?.Diverged ?? false, status,
                InitScaleOf(spec.Model), InitSchemeOf(spec.Model), summary?.FinalValLossSe ?? double.NaN, summary?.SelectionValLoss ?? double.NaN));
            if (points is not null)
                curves.AddRange(points.Where(p => !double.IsNaN(p.ValLoss)).Select(p => new CurveRow(id, p.Step, p.Tokens, p.Flops, p.ValLoss, p.ValLossSe)));
        }
        return new ResultTables(rows, curves);
    }

    /// <summary>
    /// The training compute behind a warm run's start: its base's, and for a base that was itself grown (a stage of
    /// progressive growth) every earlier stage's, so that "with base compute" counts each stage once (0 where a base
    /// has not finished).
    /// </summary>
    double BaseFlops(RunSpec spec) => spec.Base?.WithBases().Sum(b => Summary(b.Id)?.Flops ?? 0) ?? 0;

    /// <summary>
    /// The budget in tokens per parameter: the run's own, or for a stage of a longer schedule (progressive growth) the
    /// whole schedule's per parameter of this model — so a progressive run's last stage pairs with the scratch run of
    /// its model at the same total tokens. Exact where the target's TPP × N is a whole number of tokens (every preset's
    /// TPP is a whole number), since the schedule is the target's budget in tokens.
    /// </summary>
    static double BudgetTpp(RunSpec spec) =>
        spec.Train.ScheduleTokens is { } schedule ? (double)schedule / spec.ParameterCount() : spec.Train.Tpp ?? double.NaN;

    /// <summary>The init columns of runs.csv: a GPT's scheme and scale; an MLP's He init ("he", 1).</summary>
    static double InitScaleOf(Model.ModelConfig model) => model is Model.GptConfig g ? g.InitScale : 1.0;
    static string InitSchemeOf(Model.ModelConfig model) => model is Model.GptConfig g ? g.InitScheme.ToString().ToLowerInvariant() : "he";

    /// <summary>
    /// Tables for loose run folders (trained with <c>train</c> or <see cref="Trainer.Run"/>, not a sweep), each given a
    /// method label — e.g. the tour's base and its grown variants. g is NaN: loose runs do not record their base.
    /// </summary>
    public static ResultTables FromRunFolders(IEnumerable<(Method Method, string RunDir)> folders)
    {
        var rows = new List<RunRow>();
        var curves = new List<CurveRow>();
        foreach (var (method, dir) in folders)
        {
            var spec = Files.ReadJson<RunSpec>(Path.Combine(dir, Trainer.SpecFile));
            var summary = Files.ReadJson<RunSummary>(Path.Combine(dir, Trainer.SummaryFile));
            string id = $"{method}:{Path.GetFileName(Path.GetFullPath(dir).TrimEnd('/'))}";
            rows.Add(new RunRow(id, method, double.NaN, double.NaN, spec.Label(), spec.ParameterCount(), spec.Model.DepthUnits,
                spec.Model.WidthUnits, "", double.NaN, double.NaN, spec.Train.Tpp ?? double.NaN, spec.Train.Seed,
                spec.Train.Lr, summary.Tokens, summary.Flops, 0, summary.FinalValLoss, summary.InitialValLoss, summary.Diverged, RunStatus.Finished,
                InitScaleOf(spec.Model), InitSchemeOf(spec.Model), summary.FinalValLossSe, summary.SelectionValLoss));
            curves.AddRange(CurvePoint.ReadAll(Path.Combine(dir, Trainer.CurveFile)).Where(p => !double.IsNaN(p.ValLoss))
                .Select(p => new CurveRow(id, p.Step, p.Tokens, p.Flops, p.ValLoss, p.ValLossSe)));
        }
        return new ResultTables(rows, curves);
    }

    /// <summary>Loads the tables from runs.csv and curves.csv when the run folders are not at hand (committed results).</summary>
    public ResultTables LoadTables()
    {
        if (Directory.Exists(Path.Combine(Root, "runs"))) return Load();
        if (!ResultTables.Exist(Root))
            throw new ArgumentException($"'{Root}' holds neither run folders nor {ResultTables.RunsFile}/{ResultTables.CurvesFile}: run a sweep into it first");
        return ResultTables.Read(Root);
    }
}
