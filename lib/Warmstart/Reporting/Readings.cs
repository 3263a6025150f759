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

    /// <summary>
    /// What the shrinking study shows, per target and budget, written from its table: λ = 0 against scratch (λ = 0 with
    /// σ = 1 is the target's own initialisation, so the two must agree), the λ with the lowest final loss and where the
    /// paper's default λ = 0.4 ranks, where no shrink (λ = 1) ends against scratch, and what the perturbation σ changes
    /// at λ = 0.4. A single seed has no interval, and the reading says so instead of calling a difference an effect.
    /// </summary>
    public static string Shrinking(IReadOnlyList<LambdaRow> rows)
    {
        var text = new StringBuilder();
        var cells = rows.GroupBy(r => (r.Model, r.Tpp)).ToList();
        foreach (var cell in cells)
        {
            string where = cells.Count > 1 ? $"{cell.Key.Model}, {Numbers.Number(cell.Key.Tpp)} TPP: " : "";
            double scratch = cell.First().ScratchLossMean;
            var shrink = cell.Where(r => Near(r.Sigma, 1)).OrderBy(r => r.Lambda).ToList();
            if (shrink.Count > 0)
            {
                var says = new List<string>();
                if (shrink.FirstOrDefault(r => Near(r.Lambda, 0)) is { } zero)
                    says.Add($"λ = 0 ends {Against(zero.FinalLossMean, scratch, "scratch")}");
                var best = shrink.MinBy(r => r.FinalLossMean)!;
                says.Add($"the lowest final loss is at λ = {Numbers.Number(best.Lambda)} ({Numbers.Number(best.FinalLossMean)}, {Against(best.FinalLossMean, scratch, "scratch")})");
                if (!Near(best.Lambda, 0.4) && shrink.FirstOrDefault(r => Near(r.Lambda, 0.4)) is { } paper)
                    says.Add($"the paper's default λ = 0.4 ranks {shrink.Count(r => r.FinalLossMean < paper.FinalLossMean) + 1} of {shrink.Count}, {Against(paper.FinalLossMean, best.FinalLossMean, $"λ = {Numbers.Number(best.Lambda)}")}");
                if (shrink.FirstOrDefault(r => Near(r.Lambda, 1)) is { } none)
                    says.Add($"no shrink (λ = 1) ends {Against(none.FinalLossMean, scratch, "scratch")}");
                text.AppendLine($"- **{where}Shrink (σ = 1).** {Capital(string.Join("; ", says))}.");
            }
            var perturb = cell.Where(r => Near(r.Lambda, 0.4)).OrderBy(r => r.Sigma).ToList();
            var full = perturb.FirstOrDefault(r => Near(r.Sigma, 1));
            if (full is not null && perturb.Count > 1)
            {
                var says = perturb.Where(r => !Near(r.Sigma, 1)).Select(r =>
                    $"σ = {Numbers.Number(r.Sigma)} ends {Against(r.FinalLossMean, full.FinalLossMean, "σ = 1")} and {Against(r.FinalLossMean, scratch, "scratch")}");
                text.AppendLine($"- **{where}Perturbation (λ = 0.4).** {Capital(string.Join("; ", says))}.");
            }
        }
        int seeds = rows.Count == 0 ? 0 : rows.Min(r => r.Runs);
        text.Append(seeds <= 1
            ? "- **One seed.** Each value is a single run, with no interval: a difference smaller than the spread between seeds (notebook 01 measures it over five) is not resolved, so close values are a tie."
            : $"- **{seeds} seeds.** Each value is a mean over seeds (± std in the table); these are differences of means, without a paired interval.");
        return text.ToString();
    }

    // "0.0479 below scratch", "0.0505 above σ = 1" or "the same as scratch": a difference in nats with its direction.
    static string Against(double value, double reference, string name)
    {
        double delta = value - reference;
        return Math.Abs(delta) < 1e-12 ? $"the same as {name}" : $"{Numbers.Number(Math.Abs(delta))} {(delta < 0 ? "below" : "above")} {name}";
    }

    static bool Near(double a, double b) => Math.Abs(a - b) < 1e-9;

    static string Capital(string s) => s.Length > 0 && char.IsAsciiLetterLower(s[0]) ? char.ToUpperInvariant(s[0]) + s[1..] : s; // never "Λ" or "Σ"

    static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}
