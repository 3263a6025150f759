using System.CommandLine;
using Spectre.Console;
using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Cli.Commands;

static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = $"starting configuration: {string.Join(", ", RunPresets.Names)}", DefaultValueFactory = _ => "smoke" };
        var output = new Option<string>("--out") { Description = "run folder (spec.json, curve.csv, summary.json, checkpoint/)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its last checkpoint" };
        var init = new Option<string?>("--init") { Description = "start from a grown checkpoint (the folder 'grow' wrote); its model.json sets the model" };
        var overrides = new ModelOptions();
        var command = new Command("train", "Train one model: a preset plus overrides, with a progress bar") { preset, output, resume, init };
        overrides.AddTo(command);
        command.SetAction(r => Cli.Guard(() =>
        {
            var spec = overrides.Apply(r, RunPresets.Get(r.GetValue(preset)!));
            var outDir = OutputPath.Check(r.GetValue(output)!); // an empty, unwritable or file path fails here, before anything
            if (r.GetValue(init) is { } initDir)
            {
                if (overrides.ModelOptionsGiven(r).FirstOrDefault() is { } fixedOption)
                    throw new ArgumentException($"{fixedOption} cannot be combined with --init: the grown checkpoint '{initDir}' fixes the model");
                // Relative to the run folder, so a run moved together with its grown checkpoint still finds it.
                spec = spec with { Model = GrownCheckpoint.ReadConfig(initDir), Init = Path.GetRelativePath(outDir, Path.GetFullPath(initDir)) };
            }
            var run = Trainer.Check(spec, outDir, r.GetValue(resume)); // every check before the first line of output or the first file
            AnsiConsole.MarkupLine($"[bold]train[/] {Markup.Escape(spec.Label())} on {Markup.Escape(spec.Data.Describe())} → {Markup.Escape(outDir)}");
            if (run.Folder.Finished is { } earlier)
            {
                AnsiConsole.MarkupLine(earlier.Diverged
                    ? $"this run diverged earlier at step {earlier.DivergedStep} ({Markup.Escape(earlier.DivergedReason ?? "")}); nothing to resume: change its settings (e.g. a lower --lr) and use another --out"
                    : $"this run finished earlier (val loss {earlier.FinalValLoss:F3}); nothing to do");
                return earlier.Diverged ? 3 : 0;
            }
            var summary = ProgressDisplay.Train(run);
            if (summary.Diverged)
            {
                AnsiConsole.MarkupLine($"[red]diverged at step {summary.DivergedStep}: {Markup.Escape(summary.DivergedReason ?? "")}[/] (summary.json records diverged: true)");
                return 3;
            }
            AnsiConsole.MarkupLine(
                $"done: {summary.Steps} steps, {summary.Tokens:N0} tokens, val loss {summary.InitialValLoss:F3} → [bold]{summary.FinalValLoss:F3}[/], " +
                $"{summary.TokensPerSecond:N0} tok/s, {summary.Seconds:F1} s");
            return 0;
        }));
        return command;
    }
}
