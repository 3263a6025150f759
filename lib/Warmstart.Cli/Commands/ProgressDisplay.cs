using Spectre.Console;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Cli.Commands;

/// <summary>Spectre.Console progress bars for training and sweeps.</summary>
static class ProgressDisplay
{
    public static RunSummary Train(Trainer.CheckedRun run)
    {
        RunSummary? summary = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1);
                var progress = new SynchronousProgress<TrainProgress>(p =>
                {
                    task.MaxValue = p.TotalSteps;
                    task.Value = p.Step;
                    task.Description = $"step {p.Step}/{p.TotalSteps} loss {p.TrainLoss:F3} val {p.ValLoss:F3} {p.TokensPerSecond:N0} tok/s";
                });
                summary = Trainer.Run(run, new TrainOptions { Progress = progress });
                task.Value = task.MaxValue;
            });
        return summary!;
    }

    /// <summary>One spec of a results folder with a progress bar (the <c>run</c> verb in a terminal).</summary>
    public static (RunResult, RunSummary) Run(ResultStore store, RunSpec spec)
    {
        (RunResult, RunSummary) outcome = default;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(spec.Id, maxValue: 1);
                var progress = new SynchronousProgress<TrainProgress>(p =>
                {
                    task.MaxValue = p.TotalSteps;
                    task.Value = p.Step;
                    task.Description = $"{spec.Id} step {p.Step}/{p.TotalSteps} loss {p.TrainLoss:F3} val {p.ValLoss:F3}";
                });
                outcome = SweepRunner.RunOne(store, spec, progress);
                task.Value = task.MaxValue;
            });
        return outcome;
    }
}
