using System.CommandLine;
using Spectre.Console;
using Warmstart.Analysis;
using Warmstart.Experiments;

namespace Warmstart.Cli.Commands;

static class ReportCommand
{
    public static Command Create()
    {
        var results = new Option<string>("--results") { Description = "a results folder written by sweep", Required = true };
        var noCharts = new Option<bool>("--no-charts") { Description = "write the analysis CSVs only" };
        var final = new Option<bool>("--final") { Description = "the sweep is over (a Slurm report job): record every run that did not finish as failed, with the reason" };
        var command = new Command("report", "Redraw the analyses and charts of a results folder without training") { results, noCharts, final };
        command.SetAction(r => Cli.Guard(() =>
        {
            var dir = r.GetValue(results)!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"results folder '{dir}' does not exist: give a folder that sweep wrote");
            if (r.GetValue(final))
                foreach (var (id, reason) in new ResultStore(dir).RecordUnfinished())
                    AnsiConsole.MarkupLine($"[yellow]failed:[/] {Markup.Escape(id)}: {Markup.Escape(reason)}");
            WriteAndPrint(dir, !r.GetValue(noCharts));
            return 0;
        }));
        return command;
    }

    public static void WriteAndPrint(string dir, bool charts = true)
    {
        var written = Report.Write(dir, charts);
        var summary = Frames.Load(Path.Combine(dir, "analysis", "speedup_summary.csv"));
        if (summary.Rows.Count > 0)
        {
            var table = new Table().AddColumns("method", "target", "TPP", "g", "runs", "reached", "speedup", "± std", "with base", "± std");
            for (int i = 0; i < summary.Rows.Count; i++)
            {
                string S(string c) => Frames.Strings(summary, c)[i];
                string D(string c, string f) => Frames.Doubles(summary, c)[i] is var v && double.IsNaN(v) ? "–" : v.ToString(f);
                table.AddRow(S("method"), S("model"), D("tpp", "0.#"), D("g", "0.##"), S("runs"), S("reached"), D("speedup_mean", "0.00"),
                    D("speedup_std", "0.00"), D("speedup_with_base_mean", "0.00"), D("speedup_with_base_std", "0.00"));
            }
            AnsiConsole.Write(table);
        }
        foreach (var note in written.Notes) AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        AnsiConsole.MarkupLine($"wrote {written.Files.Count} files under {Markup.Escape(Path.GetFullPath(dir))} (analysis/, charts/)");
    }
}

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
