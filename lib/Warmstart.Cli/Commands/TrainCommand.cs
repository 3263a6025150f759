using System.CommandLine;
using Spectre.Console;
using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Training;

namespace Warmstart.Cli.Commands;

static class TrainCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = $"starting configuration: {string.Join(", ", RunPresets.Names)}", DefaultValueFactory = _ => "smoke" };
        var output = new Option<string>("--out") { Description = "run folder (config.json, curve.csv, summary.json, checkpoint/)", Required = true };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its last checkpoint" };
        var init = new Option<string?>("--init") { Description = "start from a grown checkpoint (the folder 'grow' wrote); its model.json sets the model" };
        var overrides = new ModelOptions();
        var command = new Command("train", "Train one model: a preset plus overrides, with a progress bar") { preset, output, resume, init };
        overrides.AddTo(command);
        command.SetAction(r => Cli.Guard(() =>
        {
            var config = overrides.Apply(r, RunPresets.Get(r.GetValue(preset)!));
            if (r.GetValue(init) is { } initDir)
                config = File.Exists(Path.Combine(initDir, GrownCheckpoint.MlpConfigFile))
                    ? config with { Mlp = GrownCheckpoint.ReadMlpConfig(initDir), Init = Path.GetFullPath(initDir) }
                    : config with { Model = GrownCheckpoint.ReadConfig(initDir), Init = Path.GetFullPath(initDir) };
            var outDir = r.GetValue(output)!;
            RunChecks.Before(config, outDir); // every check before the first line of output or the first file
            Trainer.CheckOutputFolder(config, Path.GetFullPath(outDir), r.GetValue(resume));
            string data = config.Model is not null ? $"{config.Data} ({config.Tokenizer})" : "its teacher task";
            AnsiConsole.MarkupLine($"[bold]train[/] {Markup.Escape(config.Label())} on {Markup.Escape(data)} → {Markup.Escape(outDir)}");
            var summary = ProgressDisplay.Train(config, outDir, r.GetValue(resume));
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
