using System.CommandLine;
using Spectre.Console;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;

namespace Warmstart.Cli.Commands;

static class ReportCommand
{
    public static Command Create()
    {
        var results = new Option<string?>("--results") { Description = "a results folder written by sweep" };
        var findings = new Option<string?>("--findings") { Description = "instead: print the verdict of each of the paper's claims over the study folders under this folder (e.g. data/results)" };
        var readme = new Option<string?>("--readme") { Description = "with --findings: rewrite the findings block of this README" };
        var noCharts = new Option<bool>("--no-charts") { Description = "write the analysis CSVs only" };
        var final = new Option<bool>("--final") { Description = "the sweep is over (a Slurm report job): record every run that did not finish as failed, with the reason" };
        var command = new Command("report", "Redraw the analyses and charts of a results folder without training") { results, noCharts, final, findings, readme };
        command.SetAction(r => Cli.Guard(() =>
        {
            if (r.GetValue(findings) is { } root)
            {
                if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"results root '{root}' does not exist: give the folder that holds the study folders (e.g. data/results)");
                if (r.GetValue(readme) is { } path) { ReadmeFindings.Write(path, root); AnsiConsole.MarkupLine($"wrote the findings of {Markup.Escape(root)} into {Markup.Escape(path)}"); }
                else Console.Out.Write(Warmstart.Reporting.AnalysisMarkdown.Verdicts(Verdicts.Gather(root)));
                return 0;
            }
            var dir = r.GetValue(results) ?? throw new ArgumentException("--results is required (or --findings ROOT)");
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
        var analysis = AnalysisFiles.Of(dir);
        var summary = AnalysisFiles.SpeedupSummary.Read(analysis);
        if (summary.Count > 0)
        {
            // Display.SpeedupSummary: 95% intervals (t over seeds; geometric for speedups), reached k of n, and no
            // spread for one seed, "≥" for a lower bound, "not estimable" (with the median) when some seeds did not reach.
            var table = new Table().AddColumns("method", "target", "TPP", "g", "λ", "reached", "ΔL [[95%]]", "speedup [[95%]]", "with base [[95%]]");
            foreach (var (row, shown) in summary.Zip(Display.SpeedupSummary(summary)))
                table.AddRow(new[] { shown.Method, shown.Target, shown.Tpp, shown.G, Numbers.Number(row.Lambda), shown.SeedsReaching, shown.DeltaLoss,
                    shown.Speedup, shown.WithBaseCompute }.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
        }
        if (File.Exists(AnalysisFiles.Verdicts.In(analysis)) && AnalysisFiles.Verdicts.Read(analysis) is { Count: > 0 } verdicts)
        {
            var table = new Table().AddColumns("claim", "verdict", "statistic", "value [[95%]]", "n");
            foreach (var v in verdicts)
                table.AddRow(new[] { v.Claim, v.Verdict.ToString(), v.Statistic, Numbers.Interval(v.Value, v.Lo, v.Hi), v.N.ToString(System.Globalization.CultureInfo.InvariantCulture) }
                    .Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
        }
        foreach (var note in written.Notes) AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        AnsiConsole.MarkupLine($"wrote {written.Files.Count} files under {Markup.Escape(Path.GetFullPath(dir))} (analysis/, charts/)");
    }
}
