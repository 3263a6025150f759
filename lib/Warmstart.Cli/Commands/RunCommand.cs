using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Warmstart.Experiments;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Cli.Commands;

/// <summary>
/// <c>run SPEC.json</c>: executes exactly one run spec into its folder of a results folder — the unit that local
/// workers and Slurm jobs call. Idempotent: a finished run is left as it is; a run with a checkpoint resumes.
/// </summary>
static class RunCommand
{
    public static Command Create()
    {
        var specFile = new Argument<string>("spec") { Description = "a run spec (a results folder's plan/<id>.json, or any spec.json)" };
        var results = new Option<string?>("--results") { Description = "the results folder (default: the folder above plan/)" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: the spec's)" };
        var device = new Option<string?>("--device") { Description = "auto | cpu | cuda (default: the spec's)" };
        var progress = new Option<string>("--progress") { Description = "bar | jsonl (machine-readable lines for a parent sweep) | none", DefaultValueFactory = _ => "bar" };
        var withParent = new Option<bool>("--with-parent")
        {
            Hidden = true, Description = "internal (sweep workers): exit as soon as standard input closes, i.e. when the sweep that started this worker ends",
        };
        var command = new Command("run", "Execute one run spec into its results folder (what sweep workers and Slurm jobs call)") { specFile, results, threads, device, progress, withParent };
        command.SetAction(r => Cli.Guard(() =>
        {
            string mode = r.GetValue(progress)!;
            if (mode is not ("bar" or "jsonl" or "none")) throw new ArgumentException($"--progress: '{mode}' is not allowed: use bar, jsonl or none");
            var path = Path.GetFullPath(r.GetValue(specFile)!);
            if (!File.Exists(path)) throw new FileNotFoundException($"spec file '{path}' does not exist", path);
            var dir = r.GetValue(results) ?? (Path.GetFileName(Path.GetDirectoryName(path)) == "plan"
                ? Path.GetDirectoryName(Path.GetDirectoryName(path))!
                : throw new ArgumentException($"'{path}' is not in a results folder's plan/: give --results DIR"));
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"results folder '{dir}' does not exist: give a folder that sweep wrote");
            var spec = Files.ReadJson<RunSpec>(path);
            spec = spec with { Train = spec.Train with { Threads = r.GetValue(threads) ?? spec.Train.Threads, Device = r.GetValue(device) ?? spec.Train.Device } };
            spec.Validate();
            var store = new ResultStore(dir);
            if (r.GetValue(withParent))
                ParentLifeline.ExitWhenStandardInputCloses($"error: the sweep that started this worker has ended; {spec.Id} stops here and resumes from its last checkpoint when the sweep runs again");
            IProgress<TrainProgress>? report = mode == "jsonl"
                ? new SynchronousProgress<TrainProgress>(p => Console.Out.WriteLine(WorkerCommand.ProgressMarker + JsonSerializer.Serialize(p, Files.Json).ReplaceLineEndings(" ")))
                : null;
            var (result, summary) = mode == "bar"
                ? ProgressDisplay.Run(store, spec)
                : SweepRunner.RunOne(store, spec, report);
            string what = result switch
            {
                RunResult.FinishedEarlier => "finished earlier; nothing to do",
                RunResult.Diverged => $"diverged at step {summary.DivergedStep}",
                _ => $"trained: val loss {summary.InitialValLoss:F3} → {summary.FinalValLoss:F4} in {summary.Seconds:F1} s",
            };
            Console.Out.WriteLine($"{spec.Id}: {what}");
            return result == RunResult.Diverged ? 3 : 0;
        }));
        return command;
    }
}
