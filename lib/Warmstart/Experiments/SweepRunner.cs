using System.Diagnostics;
using Warmstart.Growth;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

public sealed record SweepOptions
{
    public IProgress<SweepProgress>? Progress { get; init; }
    public CancellationToken Cancel { get; init; }
    public string? Device { get; init; }   // overrides every run's device (results do not depend on it)
    public int? Threads { get; init; }     // overrides every run's thread count
}

/// <summary>Where a sweep stands: runs done of total, and the current run's own progress.</summary>
public sealed record SweepProgress(int Done, int Total, string Run, TrainProgress? Training, string? Event);

public sealed record SweepOutcome(int Total, int Trained, int Skipped, int Failed, int Diverged, double Seconds);

/// <summary>Failures are recorded, not fatal: failures/&lt;id&gt;.json says what went wrong.</summary>
public sealed record RunFailure(string Run, string Error, DateTimeOffset When);

/// <summary>
/// Trains whatever of a sweep is missing: finished runs (summary.json present) are skipped, a run with a checkpoint
/// resumes from it, a failed run is recorded and the sweep carries on, and a warm run whose base failed or diverged
/// is recorded as failed. Bases come first and are shared by every warm run that names them.
/// </summary>
public static partial class SweepRunner
{
    public static SweepOutcome Run(Sweep sweep, string dir, SweepOptions? options = null)
    {
        options ??= new SweepOptions();
        CheckBeforeStart(sweep, dir, options);
        var store = new ResultStore(dir);
        var ordered = sweep.Ordered();
        if (store.ReadIndex() is { } existing && existing.Preset != sweep.Preset)
            throw new ArgumentException(
                $"results folder '{store.Root}' holds preset '{existing.Preset}', not '{sweep.Preset}': use another --out for a different preset");
        Files.WriteJsonAtomic(store.IndexPath, new SweepIndex(sweep.Preset, sweep.Description, ordered.Select(s => s.Id).ToList(), DateTimeOffset.UtcNow));

        var clock = Stopwatch.StartNew();
        int done = 0, trained = 0, skipped = 0, failed = 0, diverged = 0;
        foreach (var spec0 in ordered)
        {
            options.Cancel.ThrowIfCancellationRequested();
            var spec = spec0 with { Train = spec0.Train with { Device = options.Device ?? spec0.Train.Device, Threads = options.Threads ?? spec0.Train.Threads } };
            string id = spec.Id;
            void Report(TrainProgress? p, string? e) => options.Progress?.Report(new SweepProgress(done, ordered.Count, id, p, e));
            if (store.IsFinished(id))
            {
                var specPath = Path.Combine(store.RunDir(id), ResultStore.SpecFile);
                if (!File.Exists(specPath)) Files.WriteJsonAtomic(specPath, spec); // killed between summary and spec
                skipped++;
                if (store.Summary(id)!.Diverged) diverged++;
                done++;
                Report(null, "finished earlier");
                continue;
            }
            if (spec.Base is not null && BaseProblem(store, spec.Base.Id) is { } problem)
            {
                RecordFailure(store, id, problem);
                failed++;
                done++;
                Report(null, problem);
                continue;
            }
            Report(null, "starting");
            try
            {
                var summary = TrainOne(store, spec, new SynchronousProgress<TrainProgress>(p => Report(p, null)), options.Cancel);
                if (File.Exists(store.FailureFile(id))) File.Delete(store.FailureFile(id));
                trained++;
                if (summary.Diverged) diverged++;
                Report(null, summary.Diverged ? $"diverged at step {summary.DivergedStep}" : "finished");
            }
            catch (OperationCanceledException) { throw; }
            catch (Exception e)
            {
                RecordFailure(store, id, e.Message);
                failed++;
                Report(null, $"failed: {e.Message}");
            }
            done++;
        }
        WriteProvenance(store, sweep, clock.Elapsed.TotalSeconds);
        return new SweepOutcome(ordered.Count, trained, skipped, failed, diverged, clock.Elapsed.TotalSeconds);
    }

    static string? BaseProblem(ResultStore store, string baseId)
    {
        var summary = store.Summary(baseId);
        if (summary is null) return $"base run {baseId} did not finish";
        return summary.Diverged ? $"base run {baseId} diverged at step {summary.DivergedStep}" : null;
    }

    static RunSummary TrainOne(ResultStore store, RunSpec spec, IProgress<TrainProgress> progress, CancellationToken cancel)
    {
        string id = spec.Id;
        var runDir = store.RunDir(id);
        string? init = null;
        if (spec.Base is not null)
        {
            init = store.GrownDir(id);
            if (!File.Exists(Path.Combine(init, GrownCheckpoint.ReportFile)))
            {
                if (Directory.Exists(init)) Directory.Delete(init, true);
                if (spec.Model is not null) GrowJob.Run(store.RunDir(spec.Base.Id), spec.Model, spec.Operator!, spec.Train.Seed, init);
                else GrowJob.Run(store.RunDir(spec.Base.Id), spec.Mlp!, spec.Operator!, spec.Train.Seed, init);
            }
        }
        var config = spec.ToRunConfig(init);
        bool resume = File.Exists(Path.Combine(runDir, Trainer.ConfigFile))
                      && Checkpoint.Locate(Path.Combine(runDir, Trainer.CheckpointFolder)) is not null;
        if (!resume && Directory.Exists(runDir)) Directory.Delete(runDir, true); // a start that never reached a checkpoint
        var summary = Trainer.Run(config, runDir, new TrainOptions { Resume = resume, Progress = progress, Cancel = cancel });
        Files.WriteJsonAtomic(Path.Combine(runDir, ResultStore.SpecFile), spec);
        return summary;
    }

    static void RecordFailure(ResultStore store, string id, string error) =>
        Files.WriteJsonAtomic(store.FailureFile(id), new RunFailure(id, error, DateTimeOffset.UtcNow));

    static void WriteProvenance(ResultStore store, Sweep sweep, double seconds)
    {
        var ids = sweep.Ordered().Select(s => s.Id).ToList();
        double trainSeconds = ids.Select(store.Summary).Where(s => s is not null).Sum(s => s!.Seconds);
        Files.WriteJsonAtomic(Path.Combine(store.Root, "provenance.json"), Provenance.Capture(sweep.Preset, seconds, trainSeconds, ids.Count));
    }
}

/// <summary>IProgress that reports on the caller's thread.</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
