using System.CommandLine;
using Spectre.Console;
using Warmstart.Experiments;

namespace Warmstart.Cli.Commands;

static class MigrateCommand
{
    public static Command Create()
    {
        var results = new Option<string>("--results") { Description = "a results folder written by an earlier version", Required = true };
        var command = new Command("migrate", "Bring a results folder from before the one-description run spec (schema 1) to the current layout") { results };
        command.SetAction(r => Cli.Guard(() =>
        {
            var dir = r.GetValue(results)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"results folder '{dir}' does not exist: give a folder that sweep wrote");
            var renames = LegacyResults.Migrate(dir);
            AnsiConsole.MarkupLine(renames.Count == 0 ? "already current; nothing to do" : $"migrated {renames.Count} runs to their new ids");
            if (renames.Count > 0) ReportCommand.WriteAndPrint(dir, charts: false); // ids changed: rewrite runs.csv and the analyses
            return 0;
        }));
        return command;
    }
}
