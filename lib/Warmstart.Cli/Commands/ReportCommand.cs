using System.CommandLine;
using Spectre.Console;
using Warmstart.Analysis;
using Warmstart.Experiments;

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
                else Console.Out.Write(Verdicts.Markdown(Verdicts.Gather(root)));
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
        var summary = Frames.Load(Path.Combine(dir, "analysis", "speedup_summary.csv"));
        if (summary.Rows.Count > 0)
        {
            // Display.SpeedupSummary: 95% intervals (t over seeds; geometric for speedups), reached k of n, and no
            // spread for one seed, "≥" for a lower bound, "not estimable" (with the median) when some seeds did not reach.
            var shown = Display.SpeedupSummary(summary);
            var lambda = Frames.Has(summary, "lambda") ? Frames.Doubles(summary, "lambda") : null;
            var table = new Table().AddColumns("method", "target", "TPP", "g", "λ", "reached", "ΔL [[95%]]", "speedup [[95%]]", "with base [[95%]]");
            for (int i = 0; i < shown.Rows.Count; i++)
            {
                string S(string c) => Markup.Escape(Frames.Strings(shown, c)[i]);
                table.AddRow(S("method"), S("target"), S("TPP"), S("g"), lambda is null ? "–" : Display.Number(lambda[i]), S("seeds reaching"),
                    S("ΔL"), S("speedup"), S("with base compute"));
            }
            AnsiConsole.Write(table);
        }
        var verdicts = Path.Combine(dir, "analysis", "verdicts.csv");
        if (File.Exists(verdicts) && Frames.Load(verdicts) is { Rows.Count: > 0 } v)
        {
            var table = new Table().AddColumns("claim", "verdict", "statistic", "value [[95%]]", "n");
            for (int i = 0; i < v.Rows.Count; i++)
                table.AddRow(Markup.Escape(Frames.Strings(v, "claim")[i]), Markup.Escape(Frames.Strings(v, "verdict")[i]), Markup.Escape(Frames.Strings(v, "statistic")[i]),
                    Markup.Escape(Display.Interval(Frames.Doubles(v, "value")[i], Frames.Doubles(v, "lo")[i], Frames.Doubles(v, "hi")[i])), Frames.Strings(v, "n")[i]);
            AnsiConsole.Write(table);
        }
        foreach (var note in written.Notes) AnsiConsole.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        AnsiConsole.MarkupLine($"wrote {written.Files.Count} files under {Markup.Escape(Path.GetFullPath(dir))} (analysis/, charts/)");
    }
}
