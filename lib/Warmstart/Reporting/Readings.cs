using System.Text;
using Warmstart.Analysis;
using Warmstart.Training;

namespace Warmstart.Reporting;

/// <summary>
/// The sentences that state a claim's outcome, written from the computed verdicts and never typed by hand: a
/// notebook shows them under its verdict table and the README under its findings, so no prose can say
/// "reproduced", "shrinks" or "no upper bound" where the data say something else. Hand-written prose may explain
/// what a figure shows and why a result could come out as it does; the outcome itself comes from here.
/// </summary>
public static class Readings
{
    /// <summary>What each verdict means for its claim, in words a reader can quote.</summary>
    public static string Sentence(VerdictRow row)
    {
        string claim = Verdicts.Claims.TryGetValue(row.Claim, out var text) ? text : row.Claim;
        string outcome = row.Verdict switch
        {
            Verdicts.Reproduced => "the data support it",
            Verdicts.NotReproduced => "the data go against it",
            Verdicts.Inconclusive => "the data do not decide it",
            var v when v.StartsWith(Verdicts.NotObserved, StringComparison.Ordinal) =>
                $"a bound is {v} — SZP still beats scratch at the largest g tried, which says nothing about larger g",
            var v => v,
        };
        var sentence = new StringBuilder($"**Claim {row.Claim}** ({Lower(claim)}): **{row.Verdict}** — {outcome}");
        if (!double.IsNaN(row.Value))
        {
            sentence.Append($"; {row.Statistic} = {Numbers.Interval(row.Value, row.Lo, row.Hi)}");
            // Claim 5's statistic is an error over held-out cells, not a mean over seeds; a single seed has no interval.
            sentence.Append(row.Claim == "5" ? $", over {row.N} held-out cells"
                : row.N == 1 ? ", one seed (no interval)" : $", n = {row.N} seeds");
        }
        else if (row.Detail.Length > 0) sentence.Append($" ({row.Detail})");
        if (row.Study.Length > 0) sentence.Append($" (`{row.Study}`)");
        return sentence.Append('.').ToString();
    }

    /// <summary>One bullet per verdict, in the order given.</summary>
    public static string Markdown(IEnumerable<VerdictRow> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows) text.AppendLine($"- {Sentence(row)}");
        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// The headline's one line: per method, at which g its final loss is credibly below scratch's (the paired ΔL's
    /// 95% interval below 0), credibly above, or not told apart — read from the speedup summary's ΔL columns.
    /// </summary>
    public static string DeltaByG(IReadOnlyList<SpeedupSummaryRow> summary)
    {
        var parts = new List<string>();
        foreach (var method in summary.Select(r => r.Method).Distinct().OrderBy(m => m == Method.Szp ? 0 : m == Method.Fp ? 1 : 2).ThenBy(m => m.Spelling))
        {
            var rows = summary.Where(r => r.Method == method && r.Paired >= 2 && double.IsFinite(r.DeltaLossLo)).OrderBy(r => r.G).ToList();
            if (rows.Count == 0) continue;
            string Gs(IEnumerable<SpeedupSummaryRow> set) => string.Join(", ", set.Select(r => Numbers.Number(r.G)));
            var below = rows.Where(r => r.DeltaLossHi < 0).ToList();
            var above = rows.Where(r => r.DeltaLossLo > 0).ToList();
            var apart = rows.Except(below).Except(above).ToList();
            var says = new List<string>();
            if (below.Count > 0) says.Add($"below scratch's at g = {Gs(below)}");
            if (above.Count > 0) says.Add($"above scratch's at g = {Gs(above)}");
            if (apart.Count > 0) says.Add($"not told apart from scratch's at g = {Gs(apart)}");
            parts.Add($"{method.Spelling.ToUpperInvariant()}'s final loss is {string.Join(", ", says)}");
        }
        int seeds = summary.Count == 0 ? 0 : summary.Max(r => r.Paired);
        return parts.Count == 0 ? "No method has two or more seeds paired with scratch: no interval to read yet."
            : $"{string.Join("; ", parts)} (95% intervals of the paired ΔL over up to {seeds} seeds).";
    }

    static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}
