using Spectre.Console;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Cli.Commands;

/// <summary>Spectre.Console progress bars for training and sweeps.</summary>
static class ProgressDisplay
{
    public static RunSummary Train(RunConfig config, string outDir, bool resume)
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
                summary = Trainer.Run(config, outDir, new TrainOptions { Resume = resume, Progress = progress });
                task.Value = task.MaxValue;
            });
        return summary!;
    }
}
