using System.Text;

namespace Warmstart.Analysis;

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
                $"no such bound is {v} — SZP still beats scratch at the largest g tried, which says nothing about larger g",
            var v => v,
        };
        var sentence = new StringBuilder($"**Claim {row.Claim}** ({Lower(claim)}): **{row.Verdict}** — {outcome}");
        if (!double.IsNaN(row.Value))
        {
            sentence.Append($"; {row.Statistic} = {Display.Interval(row.Value, row.Lo, row.Hi)}");
            sentence.Append(double.IsNaN(row.Lo) ? $", over {row.N} held-out cells" : $", n = {row.N} seeds");
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

    static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}
