using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>How to start the Warmstart CLI as a worker process: an executable and the arguments before the verb.</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>Lines a <c>run --progress jsonl</c> worker prints for its parent start with this marker.</summary>
    public const string ProgressMarker = "@progress ";

    /// <summary>
    /// The CLI this process is (when it is the CLI), or Warmstart.Cli.dll beside the library (tests, tools); else an
    /// error that says how to run the sweep instead.
    /// </summary>
    public static WorkerCommand Locate()
    {
        var host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var entry = Assembly.GetEntryAssembly();
        if (entry?.GetName().Name == "Warmstart.Cli")
            return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "Warmstart.Cli"
                ? new WorkerCommand(self, [])                // the apphost (dotnet run, a published build)
                : new WorkerCommand(host, [entry.Location]); // dotnet Warmstart.Cli.dll
        var beside = Path.Combine(AppContext.BaseDirectory, "Warmstart.Cli.dll");
        if (File.Exists(beside)) return new WorkerCommand(host, [beside]);
        throw new ArgumentException(
            "parallel workers start the Warmstart CLI, which is not beside this library: run the sweep with one worker, or from the CLI (sweep --workers N)");
    }

    /// <summary>A shell-quoted command line (for sbatch scripts).</summary>
    public string ShellPrefix() => string.Join(' ', new[] { FileName }.Concat(Prefix).Select(Shell.Quote));

    public ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in Prefix.Concat(args)) info.ArgumentList.Add(a);
        return info;
    }
}

/// <summary>
/// Runs a sweep's plan on N local worker processes, each executing one spec with <c>run</c>: a warm run starts
/// once its base has finished; a failed or diverged base marks its dependents failed with the reason. Runs are
/// started in plan order (bases first). The sweep ending, by any path — even SIGKILL — ends its workers (each holds
/// the sweep's end of a pipe: <see cref="ParentLifeline"/>); every run stays resumable from its last checkpoint. A spec gives the same numbers here as in the serial runner at the same thread count.
/// </summary>
public static class LocalWorkers
{
    sealed record Worker(int Slot, RunSpec Spec, Process Process, Task Exited, List<string> Errors);

    public static SweepOutcome Run(ResultStore store, IReadOnlyList<RunSpec> plan, SweepOptions options)
    {
        var cli = options.Cli ?? WorkerCommand.Locate();
        int threads = options.EffectiveThreads;
        int done = 0, trained = 0, skipped = 0, failed = 0, diverged = 0;
        var pending = new List<RunSpec>();
        foreach (var spec in plan)
        {
            if (store.Summary(spec.Id) is { } s)
            {
                skipped++; done++;
                if (s.Diverged) diverged++;
                options.Progress?.Report(new SweepProgress(done, plan.Count, spec.Id, null, "finished earlier"));
            }
            else pending.Add(spec);
        }
        var running = new List<Worker>();
        var inFlight = new HashSet<string>();
        var freeSlots = new SortedSet<int>(Enumerable.Range(0, options.Workers));
        try
        {
            while (pending.Count > 0 || running.Count > 0)
            {
                options.Cancel.ThrowIfCancellationRequested();
                foreach (var spec in pending.ToList())
                {
                    if (freeSlots.Count == 0) break;
                    if (spec.Base is { } b && (inFlight.Contains(b.Id) || pending.Any(p => p.Id == b.Id) || RunLock.IsHeld(store.LockFile(b.Id))))
                        continue; // its base is still to come
                    if (RunLock.IsHeld(store.LockFile(spec.Id))) continue; // another process (an earlier, killed sweep's worker) trains it
                    if (store.Summary(spec.Id) is { } doneElsewhere)
                    {
                        pending.Remove(spec);
                        skipped++; done++;
                        if (doneElsewhere.Diverged) diverged++;
                        options.Progress?.Report(new SweepProgress(done, plan.Count, spec.Id, null, "finished by another process"));
                        continue;
                    }
                    pending.Remove(spec);
                    if (spec.Base is not null && store.BaseProblem(spec.Base.Id) is { } problem)
                    {
                        store.RecordFailure(spec.Id, problem);
                        failed++; done++;
                        options.Progress?.Report(new SweepProgress(done, plan.Count, spec.Id, null, problem));
                        continue;
                    }
                    int slot = freeSlots.Min;
                    freeSlots.Remove(slot);
                    running.Add(Start(cli, store, spec, slot, threads, options, () => done, plan.Count));
                    inFlight.Add(spec.Id);
                }
                if (running.Count == 0) { Thread.Sleep(500); continue; } // only runs that other processes hold are left
                int finishedIndex = Task.WaitAny([.. running.Select(w => w.Exited)], TimeSpan.FromMilliseconds(500));
                if (finishedIndex < 0) continue;
                var worker = running[finishedIndex];
                running.RemoveAt(finishedIndex);
                freeSlots.Add(worker.Slot);
                inFlight.Remove(worker.Spec.Id);
                done++;
                string id = worker.Spec.Id;
                string outcome;
                if (store.Summary(id) is { } summary)
                {
                    trained++;
                    if (summary.Diverged) diverged++;
                    outcome = summary.Diverged ? $"diverged at step {summary.DivergedStep}" : "finished";
                }
                else
                {
                    failed++;
                    string error = store.Failure(id)?.Error ?? LastError(worker);
                    if (store.Failure(id) is null) store.RecordFailure(id, error);
                    outcome = $"failed: {error}";
                }
                options.Progress?.Report(new SweepProgress(done, plan.Count, id, null, outcome, worker.Slot));
                worker.Process.Dispose();
            }
        }
        finally
        {
            foreach (var w in running)
            {
                try { w.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                w.Process.WaitForExit(10_000);
            }
        }
        return new SweepOutcome(plan.Count, trained, skipped, failed, diverged, 0);
    }

    static Worker Start(WorkerCommand cli, ResultStore store, RunSpec spec, int slot, int threads, SweepOptions options, Func<int> done, int total)
    {
        var info = cli.StartInfo(["run", store.PlanFile(spec.Id), "--results", store.Root, "--threads", $"{threads}", "--progress", "jsonl", "--with-parent"]);
        info.Environment["OMP_NUM_THREADS"] = $"{threads}";
        info.RedirectStandardInput = true; // the worker's lifeline: it ends when this process does and the pipe closes (ParentLifeline)
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var errors = new List<string>();
        var exited = new TaskCompletionSource();
        process.Exited += (_, _) => exited.TrySetResult();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            if (line.StartsWith(WorkerCommand.ProgressMarker) &&
                JsonSerializer.Deserialize<TrainProgress>(line[WorkerCommand.ProgressMarker.Length..], Files.Json) is { } p)
                options.Progress?.Report(new SweepProgress(done(), total, spec.Id, p, null, slot));
            else if (line.Contains("error:")) lock (errors) errors.Add(line.Trim());
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) lock (errors) errors.Add(line.Trim()); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        options.Progress?.Report(new SweepProgress(done(), total, spec.Id, null, "starting", slot));
        // Exited fires before the output is drained: wait for both, so the last lines are in.
        var drained = exited.Task.ContinueWith(_ => process.WaitForExit());
        return new Worker(slot, spec, process, drained, errors);
    }

    static string LastError(Worker w)
    {
        lock (w.Errors)
            return w.Errors.LastOrDefault(l => l.Contains("error")) ?? w.Errors.LastOrDefault()
                ?? $"worker exited with code {w.Process.ExitCode} and no message";
    }
}
