using System.Text;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Reporting;

/// <summary>
/// The Markdown a report writes beside its tables (verdicts.md, tune.md, controls.md) and the README's findings table:
/// each a table of what an analysis computed, then its reading. Analyses compute; this only writes.
/// </summary>
public static class AnalysisMarkdown
{
    /// <summary>
    /// A table of verdicts: claim, verdict, statistic, value [95% interval], n, and with <paramref name="withDetail"/> the
    /// study and the detail (every g's interval, the contrasts) — then the rules. The README keeps the short form; the
    /// notebooks and a report's verdicts.md carry the detail.
    /// </summary>
    public static string Verdicts(IReadOnlyList<VerdictRow> rows, bool withRules = true, bool withDetail = true)
    {
        var sb = new StringBuilder();
        sb.AppendLine(withDetail ? "| claim | verdict | statistic | value [95% interval] | n | study | detail |" : "| claim | verdict | statistic | value [95% interval] | n |");
        sb.AppendLine(withDetail ? "|---|---|---|---|---|---|---|" : "|---|---|---|---|---|");
        foreach (var r in rows)
        {
            string claim = Analysis.Verdicts.Claims.TryGetValue(r.Claim, out var text) ? $"{r.Claim}. {text}" : r.Claim;
            string cells = $"| {Esc(claim)}{(withDetail || r.Study.Length == 0 ? "" : $" (`{r.Study}`)")} | **{r.Verdict}** | {Esc(r.Statistic)} | {Numbers.Interval(r.Value, r.Lo, r.Hi)} | {r.N} |";
            sb.AppendLine(withDetail ? $"{cells} {Esc(r.Study)} | {Esc(r.Detail)} |" : cells);
        }
        if (withRules)
        {
            sb.AppendLine();
            sb.AppendLine("Rules (95% intervals over seeds; paired by seed; where a study tried several settings, one per configuration, chosen on held-out batches):");
            foreach (var r in rows.Where(r => r.Rule.Length > 0)) sb.AppendLine($"- {r.Claim}: {r.Rule}");
        }
        return sb.ToString();
        static string Esc(string s) => s.Replace("|", "\\|").Replace("\n", " ");
    }

    /// <summary>The tuning grid (<see cref="Tuning.Grid"/>), then its reading (<see cref="Readings.Tuning"/>).</summary>
    public static string Tuning(ResultTables results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| method | g | LR | init scale | seeds | held-out loss | final loss | Δ vs default [95%] | |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var c in Analysis.Tuning.Grid(results))
            sb.AppendLine($"| {c.Method} | {(double.IsNaN(c.G) ? "" : Numbers.Number(c.G))} | {c.Lr:g3} | {c.InitScale:0.##} | {c.N} | {Numbers.Number(c.SelectionLoss)} | {c.FinalLoss:0.000} | {(c.IsDefault ? "default" : Numbers.Interval(c.VsDefault, c.VsDefaultLo, c.VsDefaultHi))} | {(c.Kept ? "**kept**" : c.BestAtG ? "best at this g alone" : "")} |");
        sb.AppendLine();
        sb.AppendLine(Readings.Tuning(results));
        return sb.ToString();
    }

    /// <summary>The controls' arms per g (<see cref="Analysis.Controls.Compare"/>), then the answers, each checked by leaving out one seed.</summary>
    public static string Controls(ResultTables results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| target | TPP | g | arm | pairs | final loss | loss after growth | Δ vs scratch [95%] | below scratch | Δ vs SZP [95%] | share of SZP's gain [95%] | diverged |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in Analysis.Controls.Compare(results))
            sb.AppendLine($"| {r.Model} | {r.Tpp:0.#} | {r.G:0.##} | {r.Arm} | {r.N} | {r.FinalLoss:0.000} | {r.StartLoss:0.000} | {Numbers.Interval(r.VsScratch, r.VsScratchLo, r.VsScratchHi)} | " +
                          $"{r.Wins} of {r.N} | {(r.Method == Method.Szp ? "–" : Numbers.Interval(r.VsSzp, r.VsSzpLo, r.VsSzpHi))} | {(r.Method == Method.Szp ? "–" : Percent(r.Share, r.ShareLo, r.ShareHi))} | {r.Diverged} |");
        sb.AppendLine();
        foreach (var a in Analysis.Controls.Answer(results)) sb.AppendLine($"- {Readings.Controls(a)}");
        return sb.ToString();
    }

    /// <summary>A share as a percentage with its interval ("61% [32%, 90%]"; the interval is left out where unbounded).</summary>
    static string Percent(double v, double lo, double hi) =>
        double.IsFinite(lo) && double.IsFinite(hi) ? $"{100 * v:0}% [{100 * lo:0}%, {100 * hi:0}%]" : $"{100 * v:0}% (no interval)";
}
