using System.CommandLine;
using Spectre.Console;
using Warmstart.Experiments;

namespace Warmstart.Cli.Commands;

static class SweepCommand
{
    public static Command Create()
    {
        var preset = new Option<string>("--preset") { Description = $"sweep preset: {string.Join(", ", SweepPresets.Names)}", Required = true };
        var output = new Option<string>("--out") { Description = "results folder (runs/, analysis/, charts/)", Required = true };
        var seeds = new Option<int?>("--seeds") { Description = "number of seeds (0 … k−1); default 1" };
        var budgets = new Option<double[]?>("--tpp") { Description = "override the target budgets (tokens per parameter), e.g. --tpp 10 20 30", AllowMultipleArgumentsPerToken = true };
        var device = new Option<string?>("--device") { Description = "auto | cpu | cuda for every run" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for every run (0 = one per core)" };
        var command = new Command("sweep", "Train every missing run of a preset, then write the analyses and charts") { preset, output, seeds, budgets, device, threads };
        command.SetAction(r => Cli.Guard(() =>
        {
            var sweep = SweepPresets.Get(r.GetValue(preset)!, r.GetValue(seeds), r.GetValue(budgets));
            var dir = r.GetValue(output)!;
            var runs = sweep.Ordered();
            SweepRunner.CheckBeforeStart(sweep, dir, new SweepOptions { Device = r.GetValue(device), Threads = r.GetValue(threads) }); // before any output
            AnsiConsole.MarkupLine($"[bold]sweep[/] {Markup.Escape(sweep.Preset)}: {Markup.Escape(sweep.Description)} — {runs.Count} runs → {Markup.Escape(dir)}");
            SweepOutcome? outcome = null;
            AnsiConsole.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var all = ctx.AddTask("sweep", maxValue: runs.Count);
                    var current = ctx.AddTask("run", maxValue: 1);
                    var progress = new SynchronousProgress<SweepProgress>(p =>
                    {
                        all.Value = p.Done;
                        all.Description = $"sweep {p.Done}/{p.Total}";
                        if (p.Training is { } t)
                        {
                            current.MaxValue = t.TotalSteps;
                            current.Value = t.Step;
                            current.Description = $"{p.Run} loss {t.TrainLoss:F3} val {t.ValLoss:F3} {t.TokensPerSecond:N0} tok/s";
                        }
                        else if (p.Event is { } e)
                        {
                            current.Description = $"{p.Run}: {e}";
                            if (e != "starting") AnsiConsole.MarkupLine($"  {Markup.Escape(p.Run)}: {Markup.Escape(e)}");
                        }
                    });
                    outcome = SweepRunner.Run(sweep, dir, new SweepOptions { Progress = progress, Device = r.GetValue(device), Threads = r.GetValue(threads) });
                    all.Value = runs.Count;
                });
            AnsiConsole.MarkupLine($"trained {outcome!.Trained}, already done {outcome.Skipped}, failed {outcome.Failed}, diverged {outcome.Diverged} in {outcome.Seconds:F0} s");
            ReportCommand.WriteAndPrint(dir);
            return outcome.Failed > 0 ? 1 : 0;
        }));
        return command;
    }
}
