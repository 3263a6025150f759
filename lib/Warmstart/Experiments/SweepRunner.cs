using System.Diagnostics;
using Warmstart.Growth;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

public sealed record SweepOptions
{
    public IProgress<SweepProgress>? Progress { get; init; }
    public CancellationToken Cancel { get; init; }
    public string? Device { get; init; }      // overrides every run's device (results do not depend on it)
    public int Workers { get; init; } = 1;    // 1: train in this process, one run after another; > 1: `run` worker processes
    public int? ThreadsPerRun { get; init; }  // CPU threads of each run; default: the cores shared out among the workers
    public WorkerCommand? Cli { get; init; }  // how to start a worker (default: the Warmstart CLI beside this library)

    /// <summary>Threads each run uses: as given, or the machine's cores divided among the workers (at least 1).</summary>
    public int EffectiveThreads => ThreadsPerRun ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, Workers));
}

/// <summary>Where a sweep stands: runs done of total, and one worker's current run and its progress.</summary>
public sealed record SweepProgress(int Done, int Total, string Run, TrainProgress? Training, string? Event, int Worker = 0);

public sealed record SweepOutcome(int Total, int Trained, int Skipped, int Failed, int Diverged, double Seconds);

/// <summary>Failures are recorded, not fatal: failures/&lt;id&gt;.json says what went wrong.</summary>
public sealed record RunFailure(string Run, string Error, DateTimeOffset When);

/// <summary>What executing one spec did.</summary>
public enum RunResult { FinishedEarlier, Trained, Diverged }

/// <summary>
/// Trains whatever of a sweep is missing: finished runs (summary.json present) are skipped, a run with a checkpoint
/// resumes from it, a failed run is recorded and the sweep carries on, and a warm run whose base failed or diverged
/// is recorded as failed. Bases come first and are shared by every warm run that names them. With one worker the
/// runs train in this process; with more, each run is a separate <c>run</c> process (<see cref="LocalWorkers"/>).
/// </summary>
public static partial class SweepRunner
{
    public static SweepOutcome Run(Sweep sweep, string dir, SweepOptions? options = null)
    {
        options ??= new SweepOptions();
        var clock = Stopwatch.StartNew();
        var (store, plan) = Prepare(sweep, dir, options.EffectiveThreads, options.Device);
        var outcome = options.Workers > 1
            ? LocalWorkers.Run(store, plan, options)
            : Serial(store, plan, options);
        outcome = outcome with { Seconds = clock.Elapsed.TotalSeconds };
        WriteProvenance(store, sweep, plan, outcome, options);
        return outcome;
    }

    /// <summary>
    /// Checks the folder, records the sweep in sweep.json and writes plan/&lt;id&gt;.json for every run (bases first):
    /// the specs that workers and Slurm jobs execute, with the sweep's device and thread count applied.
    /// </summary>
    public static (ResultStore Store, IReadOnlyList<RunSpec> Plan) Prepare(Sweep sweep, string dir, int threadsPerRun, string? device)
    {
        CheckBeforeStart(sweep, dir, device, threadsPerRun);
        if (device is not null) TorchRuntime.ResolveDevice(device); // a CUDA device where none exists fails before anything is written
        var store = new ResultStore(dir);
        var plan = sweep.Ordered()
            .Select(s => s with { Train = s.Train with { Device = device ?? s.Train.Device, Threads = threadsPerRun } })
            .ToList();
        foreach (var spec in plan) spec.Validate();
        Files.WriteJsonAtomic(store.IndexPath, new SweepIndex(sweep.Preset, sweep.Description, plan.Select(s => s.Id).ToList(), DateTimeOffset.UtcNow, threadsPerRun));
        foreach (var spec in plan)
        {
            var path = store.PlanFile(spec.Id);
            var json = System.Text.Json.JsonSerializer.Serialize(spec, Files.Json) + "\n";
            if (!File.Exists(path) || File.ReadAllText(path) != json) Files.WriteTextAtomic(path, json);
        }
        return (store, plan);
    }

    static SweepOutcome Serial(ResultStore store, IReadOnlyList<RunSpec> plan, SweepOptions options)
    {
        int done = 0, trained = 0, skipped = 0, failed = 0, diverged = 0;
        foreach (var spec in plan)
        {
            options.Cancel.ThrowIfCancellationRequested();
            string id = spec.Id;
            void Report(TrainProgress? p, string? e) => options.Progress?.Report(new SweepProgress(done, plan.Count, id, p, e));
            if (spec.Base is not null && store.BaseProblem(spec.Base.Id) is { } problem && !store.IsFinished(id))
            {
                store.RecordFailure(id, problem);
                failed++;
                done++;
                Report(null, problem);
                continue;
            }
            Report(null, "starting");
            try
            {
                var (result, summary) = RunOne(store, spec, new SynchronousProgress<TrainProgress>(p => Report(p, null)), options.Cancel);
                if (result == RunResult.FinishedEarlier) skipped++; else trained++;
                if (summary.Diverged) diverged++;
                Report(null, result == RunResult.FinishedEarlier ? "finished earlier"
                    : summary.Diverged ? $"diverged at step {summary.DivergedStep}" : "finished");
            }
            catch (OperationCanceledException) { throw; }
            catch (Exception e)
            {
                failed++;
                Report(null, $"failed: {e.Message}");
            }
            done++;
        }
        return new SweepOutcome(plan.Count, trained, skipped, failed, diverged, 0);
    }

    /// <summary>
    /// Executes one spec into its folder of <paramref name="store"/>: the unit every scheduler calls. Finished → nothing
    /// is rewritten; a checkpoint → resumes; a warm run grows its base's final weights first (into grown/&lt;id&gt;).
    /// A base that has not finished is an error; any failure is recorded in failures/&lt;id&gt;.json and rethrown.
    /// </summary>
    public static (RunResult Result, RunSummary Summary) RunOne(ResultStore store, RunSpec spec, IProgress<TrainProgress>? progress = null,
        CancellationToken cancel = default)
    {
        string id = spec.Id;
        if (store.Summary(id) is { } earlier) return (RunResult.FinishedEarlier, earlier);
        using var runLock = RunLock.TryTake(store.LockFile(id))
            ?? throw new ArgumentException($"run {id} is already being trained by another process (its lock {store.LockFile(id)} is held)");
        if (store.Summary(id) is { } justNow) return (RunResult.FinishedEarlier, justNow); // finished while we waited for the lock
        spec.Validate();
        if (spec.Base is not null && store.BaseProblem(spec.Base.Id) is { } problem)
        {
            if (store.State(spec.Base.Id) is RunState.Failed or RunState.Diverged) store.RecordFailure(id, problem);
            throw new ArgumentException($"cannot train {id}: {problem}");
        }
        try
        {
            var runDir = store.RunDir(id);
            string? grown = null;
            if (spec.Base is not null)
            {
                grown = store.GrownDir(id);
                // Grown again where growth was interrupted midway, or where the weights stayed on the machine that grew
                // them (weights are not committed; a staged study carries only the report): growth is seeded, so the
                // same base gives the same weights.
                if (new[] { GrownCheckpoint.ReportFile, GrownCheckpoint.WeightsFile, GrownCheckpoint.ModelConfigFile }.Any(f => !File.Exists(Path.Combine(grown, f))))
                {
                    if (Directory.Exists(grown)) Directory.Delete(grown, true);
                    GrowJob.Run(store.RunDir(spec.Base.Id), spec.Model, spec.Operator!, spec.Train.Seed, grown);
                }
            }
            bool started = File.Exists(Path.Combine(runDir, ResultStore.SpecFile));
            var summary = Trainer.Run(spec, runDir, new TrainOptions { Resume = started, Progress = progress, Cancel = cancel, InitFrom = grown });
            if (File.Exists(store.FailureFile(id))) File.Delete(store.FailureFile(id));
            return (summary.Diverged ? RunResult.Diverged : RunResult.Trained, summary);
        }
        catch (OperationCanceledException) { throw; }
        catch (Exception e)
        {
            store.RecordFailure(id, e.Message);
            throw;
        }
    }

    static void WriteProvenance(ResultStore store, Sweep sweep, IReadOnlyList<RunSpec> plan, SweepOutcome outcome, SweepOptions options)
    {
        double trainSeconds = plan.Select(s => store.Summary(s.Id)).Where(s => s is not null).Sum(s => s!.Seconds);
        Files.WriteJsonAtomic(Path.Combine(store.Root, "provenance.json"),
            Provenance.Capture(sweep.Preset, outcome.Seconds, trainSeconds, plan.Count, options.Workers, options.EffectiveThreads));
    }
}

/// <summary>IProgress that reports on the caller's thread.</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
