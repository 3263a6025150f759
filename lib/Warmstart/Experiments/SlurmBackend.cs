using System.Diagnostics;
using System.Text;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>sbatch settings of a Slurm submission; null leaves the cluster's default.</summary>
public sealed record SlurmOptions
{
    public string? Partition { get; init; }
    public string? Time { get; init; }             // per run, e.g. "01:00:00"
    public string? Mem { get; init; }              // per run, e.g. "4G"
    public int CpusPerTask { get; init; } = 1;     // also each run's thread count: one per study, as locally
    public int? Gpus { get; init; }                // per run; runs then use --device cuda
    public string? Account { get; init; }
    public int? MaxConcurrent { get; init; }       // array throttle (%N)
    public bool DryRun { get; init; }              // write plan/ and the scripts, submit nothing
    public WorkerCommand? Cli { get; init; }       // the CLI the jobs call (default: this one; the cluster must see it)

    public void Validate()
    {
        if (CpusPerTask <= 0) throw new ArgumentException($"--cpus-per-task must be a positive count, got {CpusPerTask}");
        if (Gpus is <= 0) throw new ArgumentException($"--gpus must be a positive count, got {Gpus}");
        if (MaxConcurrent is <= 0) throw new ArgumentException($"--max-concurrent must be a positive count, got {MaxConcurrent}");
        foreach (var (name, value) in new[] { ("--partition", Partition), ("--time", Time), ("--mem", Mem), ("--account", Account) })
            if (value is not null && (value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or ';' or '&' or '|' or '$' or '`')))
                throw new ArgumentException($"{name}: '{value}' is not a Slurm value (no spaces, quotes or shell characters)");
    }
}

/// <summary>One sbatch call of a submission: a job array of runs at one dependency level, or the report job.</summary>
public sealed record SlurmJob(string Variable, string Script, string? JobId, List<string> Runs, string? Dependency);

/// <summary>slurm/&lt;name&gt;/submission.json: what one submission sent, and which job (array task) trains each run.</summary>
public sealed record SlurmSubmission(string Name, DateTimeOffset When, bool DryRun, List<SlurmJob> Jobs, Dictionary<string, string> RunTasks);

/// <summary>
/// Runs a sweep on a Slurm cluster (a shared filesystem holds the results folder and the CLI). Writes plan/ (one spec
/// per run), then per submission under slurm/&lt;name&gt;/: one sbatch script per dependency level (bases, then warm
/// runs) run as job arrays, a report job, and submit.sh with the exact sbatch calls: a warm run's array task waits
/// for its own base's task (<c>afterok</c>; a failed base cancels its dependents), and the report job runs after
/// everything (<c>afterany</c>), recording every run that did not finish. Submitting again sends only what is
/// neither finished nor queued or running.
/// </summary>
public static class SlurmBackend
{
    public const string Folder = "slurm";

    public static SlurmSubmission? Submit(Sweep sweep, string dir, SlurmOptions options)
    {
        options.Validate();
        var cli = options.Cli ?? WorkerCommand.Locate();
        if (!options.DryRun && Which("sbatch") is null)
            throw new ArgumentException("sbatch was not found on PATH: run this on a Slurm login node, or use --dry-run to write the scripts");
        var (store, plan) = SweepRunner.Prepare(sweep, dir, options.CpusPerTask, options.Gpus is > 0 ? "cuda" : null);
        var queued = QueuedRuns(store);
        var missing = plan.Where(s => store.Summary(s.Id) is null && !queued.ContainsKey(s.Id)).ToList();
        if (missing.Count == 0) return null;

        var root = Path.Combine(store.Root, Folder);
        Directory.CreateDirectory(root);
        string name = $"{Directory.EnumerateDirectories(root).Count() + 1:D3}";
        var subDir = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(subDir, "logs"));

        // Where each run's job (array task) will be: "${J0}_3" for a task of this submission, "1234_5" for one queued earlier.
        var taskOf = new Dictionary<string, string>(queued);
        var jobs = new List<SlurmJob>();
        var script = new StringBuilder("#!/usr/bin/env bash\n# The sbatch calls of this submission (sweep --backend slurm writes and runs it).\nset -euo pipefail\ncd \"$(dirname \"$0\")\"\n");
        foreach (var level in missing.GroupBy(s => s.Level).OrderBy(g => g.Key))
        {
            var runs = level.ToList();
            string listFile = $"level{level.Key}.list", sbatchFile = $"level{level.Key}.sbatch";
            File.WriteAllText(Path.Combine(subDir, listFile), string.Concat(runs.Select(r => r.Id + "\n")));
            File.WriteAllText(Path.Combine(subDir, sbatchFile), RunScript(store, cli, options, sweep.Preset, level.Key, Path.Combine(subDir, listFile)));
            // One array per distinct dependency: a warm run waits for exactly its own base.
            foreach (var group in runs.Select((r, i) => (Run: r, Index: i)).GroupBy(x => Dependency(store, x.Run, taskOf)))
            {
                string variable = $"J{jobs.Count}";
                var indices = string.Join(',', group.Select(x => x.Index));
                string throttle = options.MaxConcurrent is { } m ? $"%{m}" : "";
                string dep = group.Key is { } d ? $" --dependency=afterok:{d}" : "";
                script.Append($"{variable}=$(sbatch --parsable --array={indices}{throttle}{dep} {sbatchFile})\n{variable}=${{{variable}%%;*}}\necho \"job {variable} ${variable}\"\n");
                foreach (var x in group) taskOf[x.Run.Id] = $"${{{variable}}}_{x.Index}";
                jobs.Add(new SlurmJob(variable, sbatchFile, null, group.Select(x => x.Run.Id).ToList(), group.Key is null ? null : $"afterok:{group.Key}"));
            }
        }
        File.WriteAllText(Path.Combine(subDir, "report.sbatch"), ReportScript(store, cli, options, sweep.Preset));
        string all = string.Join(':', jobs.Select(j => $"${{{j.Variable}}}"));
        script.Append($"R=$(sbatch --parsable --dependency=afterany:{all} report.sbatch)\nR=${{R%%;*}}\necho \"job R $R\"\n");
        jobs.Add(new SlurmJob("R", "report.sbatch", null, [], $"afterany:{all}"));
        var submitPath = Path.Combine(subDir, "submit.sh");
        File.WriteAllText(submitPath, script.ToString());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(submitPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var submission = new SlurmSubmission(name, DateTimeOffset.UtcNow, options.DryRun, jobs, missing.ToDictionary(s => s.Id, s => taskOf[s.Id]));
        if (!options.DryRun)
        {
            foreach (var run in missing) if (File.Exists(store.FailureFile(run.Id))) File.Delete(store.FailureFile(run.Id)); // tried again
            var ids = Execute(submitPath);
            string Resolve(string s) => ids.Aggregate(s, (acc, kv) => acc.Replace($"${{{kv.Key}}}", kv.Value));
            submission = submission with
            {
                Jobs = jobs.Select(j => j with { JobId = ids[j.Variable], Dependency = j.Dependency is null ? null : Resolve(j.Dependency) }).ToList(),
                RunTasks = submission.RunTasks.ToDictionary(kv => kv.Key, kv => Resolve(kv.Value)),
            };
        }
        Files.WriteJsonAtomic(Path.Combine(subDir, "submission.json"), submission);
        return submission;
    }

    /// <summary>The job task a run must wait for (null when its base is finished or it has none).</summary>
    static string? Dependency(ResultStore store, RunSpec run, Dictionary<string, string> taskOf)
    {
        if (run.Base is null || store.Summary(run.Base.Id) is not null) return null;
        return taskOf.TryGetValue(run.Base.Id, out var task) ? task
            : throw new InvalidOperationException($"base {run.Base.Id} of {run.Id} is neither finished nor submitted");
    }

    static string Header(SlurmOptions o, string jobName, string log)
    {
        var lines = new List<string> { "#!/usr/bin/env bash", $"#SBATCH --job-name={jobName}", $"#SBATCH --output={Shell.Quote(log)}", $"#SBATCH --cpus-per-task={o.CpusPerTask}" };
        if (o.Partition is { } p) lines.Add($"#SBATCH --partition={p}");
        if (o.Time is { } t) lines.Add($"#SBATCH --time={t}");
        if (o.Mem is { } m) lines.Add($"#SBATCH --mem={m}");
        if (o.Gpus is { } g) lines.Add($"#SBATCH --gpus={g}");
        if (o.Account is { } a) lines.Add($"#SBATCH --account={a}");
        return string.Join('\n', lines) + "\n";
    }

    static string RunScript(ResultStore store, WorkerCommand cli, SlurmOptions o, string preset, int level, string listFile) =>
        Header(o, $"ws-{preset}-L{level}", Path.Combine(Path.GetDirectoryName(listFile)!, "logs", $"%A_%a.out")) +
        "#SBATCH --kill-on-invalid-dep=yes\n" +
        $"# Dependency level {level}: task i trains the run on line i+1 of {Path.GetFileName(listFile)}.\n" +
        "set -euo pipefail\n" +
        $"id=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" {Shell.Quote(listFile)})\n" +
        $"exec {cli.ShellPrefix()} run {Shell.Quote(Path.Combine(store.Root, "plan"))}/\"$id\".json --results {Shell.Quote(store.Root)} " +
        "--threads \"$SLURM_CPUS_PER_TASK\" --progress none\n";

    static string ReportScript(ResultStore store, WorkerCommand cli, SlurmOptions o, string preset) =>
        Header(o with { Gpus = null }, $"ws-{preset}-report", Path.Combine(store.Root, Folder, "report-%j.out")) +
        "# Runs after every job of the submission, whatever happened: records what did not finish, writes the analyses.\n" +
        $"exec {cli.ShellPrefix()} report --results {Shell.Quote(store.Root)} --final\n";

    /// <summary>Runs submit.sh and reads back "job VAR ID" lines.</summary>
    static Dictionary<string, string> Execute(string submitPath)
    {
        var (code, output) = Run("bash", [submitPath]);
        var ids = output.Split('\n').Where(l => l.StartsWith("job ")).Select(l => l.Split(' ')).ToDictionary(p => p[1], p => p[2].Trim());
        if (code != 0) throw new ArgumentException($"sbatch failed (exit {code}): {output.Trim()}");
        return ids;
    }

    /// <summary>Runs queued or running in Slurm (from earlier submissions and squeue), with their job task.</summary>
    public static Dictionary<string, string> QueuedRuns(ResultStore store)
    {
        var queued = new Dictionary<string, string>();
        var root = Path.Combine(store.Root, Folder);
        // Ask squeue only about a folder that has submitted before: squeue can take seconds to say no controller answers.
        var submissions = Directory.Exists(root) ? Directory.EnumerateFiles(root, "submission.json", SearchOption.AllDirectories).ToList() : [];
        if (submissions.Count == 0) return queued;
        var live = LiveTasks();
        if (live.Count == 0) return queued;
        foreach (var file in submissions)
            foreach (var (run, task) in Files.ReadJson<SlurmSubmission>(file).RunTasks)
                if (live.ContainsKey(task) || live.ContainsKey(task.Split('_')[0])) queued[run] = task;
        return queued;
    }

    /// <summary>squeue's jobs and array tasks ("123", "123_4") with their state; empty without squeue.</summary>
    public static Dictionary<string, string> LiveTasks()
    {
        if (Which("squeue") is null) return [];
        var (code, output) = Run("squeue", ["-h", "-r", "-o", "%i %T"]);
        if (code != 0) return [];
        var tasks = new Dictionary<string, string>();
        foreach (var parts in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim().Split(' ')))
            if (parts.Length == 2) tasks[parts[0]] = parts[1];
        return tasks;
    }

    public static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Where(d => d.Length > 0)
            .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    static (int Code, string Output) Run(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.Result);
    }
}
