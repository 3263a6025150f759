using System.CommandLine;
using Spectre.Console;
using Warmstart.Experiments;

namespace Warmstart.Cli.Commands;

static class SweepCommand
{
    public static Command Create()
    {
        var preset = new Option<string?>("--preset") { Description = $"sweep preset: {string.Join(", ", SweepPresets.Names)}" };
        var output = new Option<string?>("--out") { Description = "results folder (plan/, runs/, analysis/, charts/)" };
        var seeds = new Option<int?>("--seeds") { Description = "number of seeds (0 … k−1); default 1" };
        var budgets = new Option<double[]?>("--tpp") { Description = "override the target budgets (tokens per parameter), e.g. --tpp 10 20 30", AllowMultipleArgumentsPerToken = true };
        var device = new Option<string?>("--device") { Description = "auto | cpu | cuda for every run" };
        var attention = new Option<string?>("--attention") { Description = "sdpa | fused: the attention path of every language-model run, bases included (default: the preset's; another path means other run ids)" };
        var workers = new Option<int?>("--workers") { Description = "runs trained at once, each a separate process (default: one per core)" };
        var threadsPerRun = new Option<int?>("--threads-per-run") { Description = "CPU threads of every run (default: cores / workers); a results folder keeps one" };
        var backend = new Option<string>("--backend") { Description = "local | slurm", DefaultValueFactory = _ => "local" };
        var partition = new Option<string?>("--partition") { Description = "slurm: partition" };
        var time = new Option<string?>("--time") { Description = "slurm: time limit per run, e.g. 01:00:00" };
        var mem = new Option<string?>("--mem") { Description = "slurm: memory per run, e.g. 4G" };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "slurm: CPUs (and threads) per run; default 1" };
        var gpus = new Option<int?>("--gpus") { Description = "slurm: GPUs per run (runs use --device cuda)" };
        var account = new Option<string?>("--account") { Description = "slurm: account" };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "slurm: at most this many runs of an array at once" };
        var dryRun = new Option<bool>("--dry-run") { Description = "slurm: write plan/ and the sbatch scripts, submit nothing" };
        var status = new Option<string?>("--status") { Description = "show a results folder's finished / running / failed / pending runs (and squeue's view) and exit" };
        var command = new Command("sweep", "Train every missing run of a preset (local workers or a Slurm cluster), then write the analyses and charts")
            { preset, output, seeds, budgets, device, attention, workers, threadsPerRun, backend, partition, time, mem, cpus, gpus, account, maxConcurrent, dryRun, status };
        command.SetAction(r => Cli.Guard(() =>
        {
            if (r.GetValue(status) is { } statusDir) return Status(statusDir);
            var name = r.GetValue(preset) ?? throw new ArgumentException("--preset is required (or --status DIR)");
            var dir = r.GetValue(output) ?? throw new ArgumentException("--out is required: the results folder");
            var sweep = SweepPresets.Get(name, r.GetValue(seeds), r.GetValue(budgets));
            if (r.GetValue(attention) is { } path) sweep = sweep.WithAttention(ModelOptions.ParseAttention(path));
            var runs = sweep.Ordered();
            switch (r.GetValue(backend)!.Trim().ToLowerInvariant())
            {
                case "slurm":
                    if (r.GetValue(workers) is not null || r.GetValue(threadsPerRun) is not null)
                        throw new ArgumentException("--workers and --threads-per-run are for --backend local; on Slurm use --cpus-per-task and --max-concurrent");
                    return Slurm(sweep, dir, new SlurmOptions
                    {
                        Partition = r.GetValue(partition), Time = r.GetValue(time), Mem = r.GetValue(mem), CpusPerTask = r.GetValue(cpus) ?? 1,
                        Gpus = r.GetValue(gpus), Account = r.GetValue(account), MaxConcurrent = r.GetValue(maxConcurrent), DryRun = r.GetValue(dryRun),
                    });
                case "local":
                    foreach (var slurmOnly in new Option[] { partition, time, mem, cpus, gpus, account, maxConcurrent, dryRun })
                        if (r.GetResult(slurmOnly) is { Implicit: false }) throw new ArgumentException($"{slurmOnly.Name} applies to --backend slurm");
                    break;
                case var other:
                    throw new ArgumentException($"--backend: '{other}' is not a backend: use local or slurm");
            }
            int workerCount = r.GetValue(workers) ?? Environment.ProcessorCount;
            if (workerCount <= 0) throw new ArgumentException($"--workers must be a positive count, got {workerCount}");
            var options = new SweepOptions { Device = r.GetValue(device), Workers = workerCount, ThreadsPerRun = r.GetValue(threadsPerRun) };
            SweepRunner.CheckBeforeStart(sweep, dir, options.Device, options.EffectiveThreads); // before any output
            AnsiConsole.MarkupLine($"[bold]sweep[/] {Markup.Escape(sweep.Preset)}: {Markup.Escape(sweep.Description)} — {runs.Count} runs, " +
                                   $"{workerCount} worker(s) × {options.EffectiveThreads} thread(s) → {Markup.Escape(dir)}");
            SweepOutcome? outcome = null;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var all = ctx.AddTask("sweep", maxValue: runs.Count);
                    var lines = new Dictionary<int, ProgressTask>();
                    ProgressTask Line(int worker) => lines.TryGetValue(worker, out var t) ? t : lines[worker] = ctx.AddTask($"worker {worker + 1}", maxValue: 1);
                    var progress = new SynchronousProgress<SweepProgress>(p =>
                    {
                        lock (lines) // worker processes report from their output threads
                        {
                            all.Value = p.Done;
                            all.Description = $"sweep {p.Done}/{p.Total}";
                            var line = Line(p.Worker);
                            if (p.Training is { } t)
                            {
                                line.MaxValue = t.TotalSteps;
                                line.Value = t.Step;
                                line.Description = $"w{p.Worker + 1} {p.Run} loss {t.TrainLoss:F3} val {t.ValLoss:F3} {t.TokensPerSecond:N0} tok/s";
                            }
                            else if (p.Event is { } e)
                            {
                                line.Description = $"w{p.Worker + 1} {p.Run}: {e}";
                                if (e == "starting") { line.Value = 0; line.MaxValue = 1; }
                                else AnsiConsole.MarkupLine($"  {Markup.Escape(p.Run)}: {Markup.Escape(e)}");
                            }
                        }
                    });
                    outcome = SweepRunner.Run(sweep, dir, options with { Progress = progress });
                    all.Value = runs.Count;
                    foreach (var line in lines.Values) line.Value = line.MaxValue;
                });
            AnsiConsole.MarkupLine($"trained {outcome!.Trained}, already done {outcome.Skipped}, failed {outcome.Failed}, diverged {outcome.Diverged} in {outcome.Seconds:F0} s");
            ReportCommand.WriteAndPrint(dir);
            return outcome.Failed > 0 ? 1 : 0;
        }));
        return command;
    }

    static int Slurm(Sweep sweep, string dir, SlurmOptions options)
    {
        var submission = SlurmBackend.Submit(sweep, dir, options);
        if (submission is null)
        {
            AnsiConsole.MarkupLine($"nothing to submit: every run of {Markup.Escape(sweep.Preset)} in {Markup.Escape(dir)} is finished, queued or running");
            return 0;
        }
        var folder = Path.Combine(Path.GetFullPath(dir), SlurmBackend.Folder, submission.Name);
        AnsiConsole.MarkupLine($"{(submission.DryRun ? "wrote (not submitted)" : "submitted")} {submission.RunTasks.Count} runs of {Markup.Escape(sweep.Preset)} " +
                               $"as {submission.Jobs.Count} jobs; scripts in {Markup.Escape(folder)}");
        foreach (var job in submission.Jobs)
            AnsiConsole.MarkupLine($"  {job.JobId ?? job.Variable}  {job.Script}  {job.Runs.Count} runs  {Markup.Escape(job.Dependency ?? "")}");
        if (submission.DryRun) AnsiConsole.MarkupLine($"submit them with: bash {Markup.Escape(Path.Combine(folder, "submit.sh"))}");
        else AnsiConsole.MarkupLine($"follow it with: sweep --status {Markup.Escape(dir)}");
        return 0;
    }

    static int Status(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"results folder '{dir}' does not exist: give a folder that sweep wrote");
        var store = new ResultStore(dir);
        var index = store.ReadIndex() ?? throw new ArgumentException($"'{dir}' is not a results folder (no {ResultStore.IndexFile})");
        var queued = SlurmBackend.QueuedRuns(store);
        var live = SlurmBackend.LiveTasks();
        var states = index.Runs.Select(id => (Id: id, State: store.State(id) is var s && s == RunState.Pending && queued.TryGetValue(id, out var task)
            ? (live.TryGetValue(task, out var q) && q == "RUNNING" ? RunState.Running : RunState.Pending) : store.State(id))).ToList();
        var table = new Table().AddColumns("state", "runs");
        foreach (var group in states.GroupBy(s => s.State).OrderBy(g => g.Key))
            table.AddRow(group.Key.ToString().ToLowerInvariant(), $"{group.Count()}");
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(index.Preset)}[/] in {Markup.Escape(store.Root)}: {index.Runs.Count} runs, {index.ThreadsPerRun?.ToString() ?? "?"} thread(s) each");
        AnsiConsole.Write(table);
        foreach (var (id, _) in states.Where(s => s.State == RunState.Failed))
            AnsiConsole.MarkupLine($"  failed {Markup.Escape(id)}: {Markup.Escape(store.Failure(id)?.Error ?? "")}");
        if (queued.Count > 0) AnsiConsole.MarkupLine($"squeue: {queued.Count} of its runs queued or running in Slurm");
        if (ComputeLeft(store, index) is { } line) AnsiConsole.MarkupLine(Markup.Escape(line));
        return 0;
    }

    /// <summary>
    /// The share of the folder's training compute (6·N·D over its runs) that is finished, and the time the rest should
    /// take at the seconds per FLOP its finished runs took, shared among as many runs at once as the cores allow.
    /// </summary>
    static string? ComputeLeft(ResultStore store, SweepIndex index)
    {
        double total = 0, done = 0, seconds = 0;
        foreach (var id in index.Runs)
        {
            if (store.ReadSpec(id) is not { } spec || spec.Untrained) continue;
            long n = spec.ParameterCount();
            double cost = 6.0 * n * spec.Train.BudgetTokens(n);
            total += cost;
            if (store.Summary(id) is { } s) { done += cost; seconds += s.Seconds; }
        }
        if (total <= 0) return null;
        string text = $"compute: {100 * done / total:0}% of {total:0.00e0} FLOPs (6·N·D) finished";
        if (done <= 0 || done >= total) return text;
        int atOnce = Math.Max(1, Environment.ProcessorCount / Math.Max(1, index.ThreadsPerRun ?? 1));
        var left = TimeSpan.FromSeconds((total - done) * (seconds / done) / atOnce);
        return text + $"; about {(int)left.TotalHours} h {left.Minutes:00} min left at the rate of its finished runs, {atOnce} at a time";
    }
}
