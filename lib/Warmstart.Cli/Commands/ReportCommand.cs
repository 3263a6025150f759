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
        var command = new Command("report", "Redraw the analyses and charts of a results folder without training") { results, noCharts };
        command.SetAction(r => Cli.Guard(() =>
        {
            WriteAndPrint(r.GetValue(results)!, !r.GetValue(noCharts));
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
