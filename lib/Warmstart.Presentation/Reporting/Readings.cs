using System.Text;
using Warmstart.Analysis;
using Warmstart.Experiments;
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
        string outcome = row.Verdict.Outcome switch
        {
            Outcome.Reproduced => "the data support it",
            Outcome.NotReproduced => "the data go against it",
            Outcome.Inconclusive => "the data do not decide it",
            _ => $"a bound is {row.Verdict} — SZP still beats scratch at the largest g tried, which says nothing about larger g",
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

    /// <summary>
    /// The tuning study's reading: per method its kept setting, whether the grid brackets it and how far it moved the
    /// method's loss from the default; then each warm method − scratch with every method at its kept setting.
    /// </summary>
    public static string Tuning(ResultTables results)
    {
        var grid = Analysis.Tuning.Grid(results);
        if (grid.Count == 0) return "No tuning grid in these results.";
        var text = new List<string>();
        // One sentence per method: its kept setting, whether the grid brackets it, and what it is worth against the
        // default setting (at a single g; over several g's the held-out score it was kept on).
        var kept = Analysis.Tuning.Kept(results);
        foreach (var k in kept)
        {
            string bracket = k.Interior ? "inside the grid on both axes"
                : $"on the grid's edge in {(k.LrInterior ? "" : "LR")}{(k.LrInterior || k.InitInterior ? "" : " and ")}{(k.InitInterior ? "" : "init scale")}: extend the grid before relying on it";
            var cells = grid.Where(c => c.Method == k.Method && c.Lr == k.Lr && Math.Abs(c.InitScale - k.InitScale) < 1e-9).ToList();
            string detail;
            if (cells is [var best])
            {
                var def = grid.FirstOrDefault(c => c.Method == k.Method && c.IsDefault);
                string moved = def is null ? "no default setting in the grid"
                    : best.IsDefault ? "the default setting"
                    : $"{Numbers.Interval(best.VsDefault, best.VsDefaultLo, best.VsDefaultHi)} nats of final loss against the default (LR {def.Lr:g3}, init × {def.InitScale:0.##}; n = {best.N}{(best.N < 2 ? ", one seed: no interval" : "")})";
                string on = double.IsFinite(best.SelectionLoss) ? $"chosen on held-out batches, mean {best.SelectionLoss:0.000}" : "chosen on the final loss: no held-out batches";
                detail = $"{on}; mean final loss {best.FinalLoss:0.000}; {moved}";
            }
            else
                detail = $"{(k.OnHeldOut ? "held-out" : "final")} loss averaged over the g's {k.SelectionLoss:0.000}, best of {k.Settings} settings" +
                         (cells.All(c => c.IsDefault) ? "; the default setting" : "");
            text.Add($"{k.Method}{(k.Gs > 1 ? $" over {k.Gs} growth factors" : "")}: kept LR {k.Lr:g3}, init × {k.InitScale:0.##} ({bracket}; {detail}).");
        }
        foreach (var method in grid.Select(c => c.Method).Distinct().Where(m => kept.All(k => k.Method != m)))
            text.Add($"{method}: no setting was tried at every growth factor, so none is kept.");
        var atKept = Analysis.Tuning.AtKept(results);
        foreach (var (method, g, e, below) in atKept)
        {
            bool severalG = atKept.Count(x => x.Method == method) > 1;
            text.Add($"At the kept settings, {method}{(severalG ? $" (g = {Numbers.Number(g)})" : "")} − scratch = {Numbers.Interval(e.Value, e.Lo, e.Hi)} " +
                     $"({below} of {e.N} seeds below scratch{(e.N < 2 ? "; one seed: no interval" : "")}).");
        }
        return string.Join(" ", text);
    }

    /// <summary>
    /// The controls' answer as a reader sees it: at one g, the label and why, then the evidence (SZP − scratch split into
    /// the scale term and the rest, the permuted base apart, the untrained base); overall, the common label or each g's.
    /// </summary>
    public static string Controls(ControlsAnswer a)
    {
        if (double.IsNaN(a.G))
            return a.Label == ControlsLabel.DiffersByG
                ? "The answer differs by g: " + string.Join("; ", a.PerG.Select(x => $"g = {x.G:0.##}: {ControlsAnswer.Spelling(x.Label)}")) + "."
                : $"At every g studied ({string.Join(", ", a.PerG.Select(x => x.G.ToString("0.##")))}): {Describe(a.Label)}.";
        var at = a.Evidence.ToDictionary(r => r.Method);
        var szp = at[Method.Szp];
        at.TryGetValue(Method.ScratchRescaled, out var rescaled);
        at.TryGetValue(Method.SzpPermutedBase, out var permuted);
        at.TryGetValue(Method.SzpUntrainedBase, out var untrained);
        static string Show(double v, double lo, double hi) => Numbers.Interval(v, lo, hi);
        var parts = new List<string> { $"SZP − scratch {Show(szp.VsScratch, szp.VsScratchLo, szp.VsScratchHi)} ({szp.Wins} of {szp.N} seeds below scratch)" };
        if (rescaled is not null)
            parts.Add($"= scale (rescaled scratch − scratch) {Show(rescaled.VsScratch, rescaled.VsScratchLo, rescaled.VsScratchHi)} " +
                      $"+ the rest (SZP − rescaled scratch) {Show(-rescaled.VsSzp, -rescaled.VsSzpHi, -rescaled.VsSzpLo)}");
        if (permuted is not null)
            parts.Add($"apart, the permuted base: SZP(permuted base) − scratch {Show(permuted.VsScratch, permuted.VsScratchLo, permuted.VsScratchHi)}, " +
                      $"SZP − SZP(permuted base) {Show(-permuted.VsSzp, -permuted.VsSzpHi, -permuted.VsSzpLo)}");
        if (untrained is not null)
            parts.Add($"SZP − SZP(untrained base) {Show(-untrained.VsSzp, -untrained.VsSzpHi, -untrained.VsSzpLo)} (n = {untrained.NVsSzp})");
        parts.AddRange(a.Evidence.Where(r => r.Diverged > 0).Select(r => $"{r.Diverged} {Analysis.Controls.ShortName(r.Method)} run(s) diverged and are left out"));
        string where = $"g = {a.G:0.##}" + (a.SeveralCells ? $" ({a.Model}, {a.Tpp:0.#} TPP)" : "");
        // A label one seed turns does not count: the reading says so first, then shows the same evidence.
        string head = a.TurnedBy.Count == 0 ? Describe(a.Label)
            : $"inconclusive — the data read \"{ControlsAnswer.Spelling(a.DataRead)}\", but one seed turns it " +
              $"({string.Join("; ", a.TurnedBy.Select(t => $"without seed {t.Seed:0}: {ControlsAnswer.Spelling(t.Label)}"))}), so the label does not count";
        return $"{where}: {head} — {string.Join("; ", parts)} (final validation loss, nats, paired by seed, 95% intervals).";

        static string Describe(ControlsLabel label) => label switch
        {
            ControlsLabel.Both => "both the starting scale and what the base learned — scratch rescaled to SZP's starting norms ends below scratch, and SZP ends below the rescaled scratch",
            ControlsLabel.Knowledge => "what the base learned — SZP ends below scratch rescaled to its own starting norms, and the norms alone do not end clearly below scratch",
            ControlsLabel.Scale => "the starting scale — scratch rescaled to SZP's starting norms ends below scratch, and SZP does not end clearly below it",
            ControlsLabel.NoGain => "SZP does not end clearly below scratch here, so there is no gain to attribute",
            _ => "inconclusive — the two terms' intervals do not separate the starting scale from what the base learned (or fewer than two pairs give no interval)",
        };
    }

    /// <summary>Scratch at its kept setting against scratch at the default, on the reported seeds, in one sentence.</summary>
    public static string ScratchAtBest(ScratchAtBest row)
    {
        var e = row.KeptMinusDefault;
        string effect = e.N < 2 || !double.IsFinite(e.Lo) ? "one seed, no interval: the data do not tell"
            : e.Hi < 0 ? "the tuning made scratch better, so the comparison needed it"
            : e.Lo > 0 ? "the kept setting is worse than the default here: the tuning did not carry over to these seeds"
            : "the two settings are not told apart";
        return $"On the reported seeds, scratch at its kept setting (LR {row.KeptLr:g3}, init × {row.KeptInitScale:0.##}) − scratch at the default " +
               $"(LR {row.DefaultLr:g3}, init × {row.DefaultInitScale:0.##}) = {Numbers.Interval(e.Value, e.Lo, e.Hi)} nats of final loss " +
               $"({row.Below} of {e.N} seeds lower; {effect}).";
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
    /// Both compute accountings of SZP's speedup over scratch, per g: in tokens with the base's training left out ("if
    /// the base exists") and in FLOPs with it counted ("if you train it for this"), each with its interval over seeds
    /// and how many seeds reached scratch's final loss.
    /// </summary>
    public static string Accountings(IReadOnlyList<SpeedupSummaryRow> summary, Method method)
    {
        var rows = summary.Where(r => r.Method == method && r.Runs > 0).OrderBy(r => r.G).ToList();
        if (rows.Count == 0) return $"No {method.Spelling} runs with a speedup to read.";
        string Speedup(double v, double lo, double hi) => double.IsFinite(lo) ? Numbers.Interval(v, lo, hi) : Numbers.Number(v);
        return $"{method.Spelling.ToUpperInvariant()}'s speedup over scratch — if the base already exists (tokens, base left out) → if you train the base " +
               "for this (FLOPs, base counted): " + string.Join("; ", rows.Select(r =>
                   $"g = {Numbers.Number(r.G)}: {Speedup(r.SpeedupMean, r.SpeedupLo, r.SpeedupHi)} → {Speedup(r.SpeedupWithBaseMean, r.SpeedupWithBaseLo, r.SpeedupWithBaseHi)} " +
                   $"(reached {r.Reached} of {r.Runs})")) + " (95% intervals over seeds; above 1, growth was faster).";
    }

    /// <summary>
    /// What the shrinking study shows, per target and budget, written from its table: λ = 0 against scratch (λ = 0 with
    /// σ = 1 is the target's own initialisation, so the two must agree), the λ with the lowest final loss and where the
    /// paper's default λ = 0.4 ranks, where no shrink (λ = 1) ends against scratch, and what the perturbation σ changes
    /// at λ = 0.4. A single seed has no interval, and the reading says so instead of calling a difference an effect.
    /// </summary>
    public static string Shrinking(IReadOnlyList<LambdaRow> rows)
    {
        int nonFinite = rows.Count(r => !double.IsFinite(r.FinalLossMean));
        rows = rows.Where(r => double.IsFinite(r.FinalLossMean)).ToList();
        if (rows.Count == 0)
            return nonFinite > 0 ? $"No finite final loss to read: every setting ({nonFinite}) diverged or is unfinished." : "No λ or σ settings to read.";
        var text = new StringBuilder();
        if (nonFinite > 0) text.AppendLine($"- **Left out.** {nonFinite} settings with a non-finite final loss (diverged or unfinished).");
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

    /// <summary>
    /// What the LR sweep shows, written from its table: the LR with the lowest final loss for the base, the scratch
    /// target and the warm target (the mean over seeds at each LR), the rank correlations across the grid, and at how
    /// many LRs the warm target ends below scratch.
    /// </summary>
    public static string LrTransfer(IReadOnlyList<LrRow> table, IReadOnlyList<RankCorrelationRow> spearman)
    {
        var byLr = table.GroupBy(r => r.Lr).OrderBy(g => g.Key)
            .Select(g => (Lr: g.Key, Base: Stats.Mean(g.Select(r => r.BaseLoss)), Scratch: Stats.Mean(g.Select(r => r.ScratchLoss)), Warm: Stats.Mean(g.Select(r => r.WarmLoss))))
            .ToList();
        if (byLr.Count == 0) return "No finished LR runs to read.";
        string warm = string.Join(", ", table.Select(r => r.WarmMethod.Spelling.ToUpperInvariant()).Distinct());
        string Best(Func<(double Lr, double Base, double Scratch, double Warm), double> loss) =>
            byLr.Where(x => double.IsFinite(loss(x))).ToList() is { Count: > 0 } finite ? Numbers.Number(finite.MinBy(loss).Lr) : "no LR (every loss non-finite)";
        var text = new StringBuilder();
        text.AppendLine($"- **Best LR.** The lowest final loss is at LR {Best(x => x.Base)} for the base, {Best(x => x.Scratch)} for the scratch target " +
                        $"and {Best(x => x.Warm)} for the {warm}-grown target, over a grid of {byLr.Count} LRs.");
        var rhos = spearman.Where(r => !double.IsNaN(r.Spearman)).Select(r => $"{r.Between} ρ = {Numbers.Number(r.Spearman)}").ToList();
        if (rhos.Count > 0)
            text.AppendLine($"- **Rank agreement across the grid** (Spearman, 1: the LRs rank identically): {string.Join("; ", rhos)}.");
        var paired = byLr.Where(x => double.IsFinite(x.Warm) && double.IsFinite(x.Scratch)).ToList();
        var below = paired.Where(x => x.Warm < x.Scratch).Select(x => Numbers.Number(x.Lr)).ToList();
        text.AppendLine($"- **Warm against scratch.** The {warm}-grown target ends below scratch at {below.Count} of {paired.Count} LRs" +
                        (below.Count > 0 && below.Count < paired.Count ? $" ({string.Join(", ", below)})." : "."));
        int seeds = table.Select(r => r.Seed).Distinct().Count();
        text.Append(seeds <= 1
            ? "- **One seed.** Each value is a single run, with no interval: a difference smaller than the spread between seeds is not resolved."
            : $"- **{seeds} seeds.** Each value is the mean over seeds at its LR; the rank correlations pool every seed's runs.");
        return text.ToString();
    }

    /// <summary>
    /// What the weight snapshots show, written from their metrics: per tensor, each method's effective rank at its
    /// first snapshot (right after growth) and at its last, and its cosine similarity to the previous snapshot after
    /// the first interval (how far the weights turned at the start).
    /// </summary>
    public static string Weights(IReadOnlyList<WeightMetricRow> weights)
    {
        var text = new StringBuilder();
        var layers = weights.Select(w => w.Layer).Distinct().ToList();
        var methods = weights.Select(w => w.Method).Distinct().OrderBy(m => m == Method.Fp ? 0 : m == Method.Szp ? 1 : 2).ThenBy(m => m.Spelling).ToList();
        string Name(Method m) => m.Spelling == "fp" || m.Spelling == "szp" ? m.Spelling.ToUpperInvariant() : m.Spelling;
        // One run per method and tensor (the mean if a study has several seeds): its snapshots in order.
        List<WeightMetricRow>[] Runs(string layer, Method method) =>
            weights.Where(w => w.Layer == layer && w.Method == method).GroupBy(w => w.RunId).Select(g => g.OrderBy(w => w.Step).ToList()).ToArray();
        var rank = new List<string>();
        var turn = new List<string>();
        foreach (var layer in layers)
        {
            var parts = methods.Select(m => (Method: m, Runs: Runs(layer, m))).Where(x => x.Runs.Length > 0).ToList();
            rank.Add($"`{layer}`: " + string.Join(", ", parts.Select(x =>
                $"{Name(x.Method)} {Numbers.Number(Stats.Mean(x.Runs.Select(r => r[0].EffectiveRank)))} → {Numbers.Number(Stats.Mean(x.Runs.Select(r => r[^1].EffectiveRank)))}")));
            var first = parts.Where(x => x.Runs.All(r => r.Count > 1 && double.IsFinite(r[1].CosineToPrevious))).ToList();
            if (first.Count > 0)
                turn.Add($"`{layer}`: " + string.Join(", ", first.Select(x => $"{Name(x.Method)} {Numbers.Number(Stats.Mean(x.Runs.Select(r => r[1].CosineToPrevious)), 4)}")));
        }
        if (rank.Count == 0) return "No weight snapshots to read.";
        text.AppendLine($"- **Effective rank, right after growth → at the end.** {string.Join("; ", rank)}.");
        if (turn.Count > 0) text.AppendLine($"- **Cosine to the previous snapshot after the first interval** (1: the weights did not turn). {string.Join("; ", turn)}.");
        int seeds = weights.GroupBy(w => (w.Method, w.Layer)).Max(g => g.Select(w => w.RunId).Distinct().Count());
        text.Append(seeds <= 1
            ? "- **One seed, one growth factor.** These are one run per method, with no interval."
            : $"- **{seeds} runs per method.** Each value is the mean over runs, without an interval.");
        return text.ToString();
    }

    // "0.0479 below scratch", "0.0505 above σ = 1" or "the same as scratch": a difference in nats with its direction
    // (a study without the reference run says so rather than printing a difference of nothing).
    static string Against(double value, double reference, string name)
    {
        double delta = value - reference;
        if (double.IsNaN(delta)) return $"with no {name} to compare";
        return Math.Abs(delta) < 1e-12 ? $"the same as {name}" : $"{Numbers.Number(Math.Abs(delta))} {(delta < 0 ? "below" : "above")} {name}";
    }

    static bool Near(double a, double b) => Math.Abs(a - b) < 1e-9;

    static string Capital(string s) => s.Length > 0 && char.IsAsciiLetterLower(s[0]) ? char.ToUpperInvariant(s[0]) + s[1..] : s; // never "Λ" or "Σ"

    static string Lower(string s) => s.Length > 1 && char.IsUpper(s[0]) && !char.IsUpper(s[1]) ? char.ToLowerInvariant(s[0]) + s[1..] : s;

    /// <summary>The function-preserving rival's noise study as markdown: the table, then which σ is kept and whether the choice is bracketed.</summary>
    public static string FpNoise(IReadOnlyList<NoiseCell> table)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| σ | g | seeds | held-out loss | final loss | fp − scratch [95%] | |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var c in table)
            sb.AppendLine($"| {Numbers.Number(c.Sigma)} | {Numbers.Number(c.G)} | {c.Seeds} | {Numbers.Number(c.SelectionLoss)} | {c.FinalLoss:0.000} | " +
                          $"{Numbers.Interval(c.VsScratch, c.VsScratchLo, c.VsScratchHi)} | {(c.Kept ? "**kept**" : "")} |");
        sb.AppendLine();
        var kept = table.FirstOrDefault(c => c.Kept);
        string gs = string.Join(", ", table.Select(c => Numbers.Number(c.G)).Distinct());
        sb.AppendLine(kept is null
            ? "No σ has a held-out loss at every growth factor: nothing to keep."
            : $"Kept σ = {Numbers.Number(kept.Sigma)}: the lowest held-out loss averaged over g = {gs}" +
              (kept.Sigma < table.Max(c => c.Sigma)
                  ? "; a larger σ was tried and lost, so the choice is bracketed."
                  : "; it is the largest σ tried: try larger ones before relying on it."));
        return sb.ToString();
    }

    /// <summary>
    /// Deeper, wider or both, written from the routes' table and contrasts: each route's ΔL against scratch with its
    /// interval, and the contrasts between them, all at equal target compute; then what counting the bases' compute
    /// changes (the speedups with it).
    /// </summary>
    public static string Routes(IReadOnlyList<RouteRow> rows, IReadOnlyList<RouteContrast> contrasts)
    {
        if (rows.Count == 0) return "No study here reaches one target by depth, by width and by both.";
        var text = new StringBuilder();
        int seeds = rows.Max(r => r.N);
        text.AppendLine("- **Against scratch** (final loss, paired by seed, 95% intervals; the same target and tokens, so the same target compute): " +
                        string.Join("; ", rows.Select(r => $"{Analysis.Routes.Name(r)} {Numbers.Interval(r.Delta, r.DeltaLo, r.DeltaHi)} ({r.Wins} of {r.N} seeds below)")) + ".");
        foreach (var c in contrasts)
            text.AppendLine($"- **{Capital(c.A)} − {c.B}**: {Numbers.Interval(c.Value, c.Lo, c.Hi)} ({c.Wins} of {c.N} seeds below): " +
                            (c.N < 2 ? "one seed, no interval" : c.Hi < 0 ? $"{c.A.Split(' ')[0]} ends lower" : c.Lo > 0 ? $"{c.B.Split(' ')[0]} ends lower" : "no difference resolved") + ".");
        text.Append("- **With the bases' compute counted** (speedup over scratch, 95% intervals: in tokens with the base excluded → in FLOPs with the base's " +
                    "training included; not estimable where a seed never reached scratch's loss): " +
                    string.Join("; ", rows.Select(r => $"{r.Route} ({r.Method}) {SpeedupInterval(r.Speedup, r.SpeedupLo, r.SpeedupHi)} → {SpeedupInterval(r.SpeedupWithBase, r.SpeedupWithBaseLo, r.SpeedupWithBaseHi)}")) +
                    (seeds < 2 ? ". One seed: no intervals." : "."));
        return text.ToString();
    }

    /// <summary>
    /// Progressive growth, written from the speedup summary: per schedule (its last stage's method and g), ΔL against
    /// scratch at the whole budget and the speedup with every stage's compute counted, each with its interval; beside
    /// the one-shot runs of the same operator from the same bases.
    /// </summary>
    public static string Progressive(IReadOnlyList<SpeedupSummaryRow> summary)
    {
        var progressive = summary.Where(r => r.Method == Method.StackProgressive).OrderByDescending(r => r.G).ToList();
        if (progressive.Count == 0) return "No progressive runs here.";
        string One(SpeedupSummaryRow r) =>
            $"ΔL {Numbers.Interval(r.DeltaLossMean, r.DeltaLossLo, r.DeltaLossHi)} (n = {r.Paired}); speedup in training FLOPs with every stage counted " +
            $"{SpeedupInterval(r.SpeedupWithBaseMean, r.SpeedupWithBaseLo, r.SpeedupWithBaseHi)} (reached {r.Reached} of {r.Runs})";
        var text = new StringBuilder();
        foreach (var r in progressive)
        {
            string schedule = r.G > 2.2 ? "one growth (the 1-block model, then stacked)" : "two growths (1 → 2 blocks, then stacked again)";
            var oneShot = summary.FirstOrDefault(x => x.Method == Method.Stack && x.Model == r.Model && x.Tpp == r.Tpp && Math.Abs(Math.Log(x.G / r.G)) < 0.05);
            text.AppendLine($"- **{Capital(schedule)}**, last growth at g = {Numbers.Number(r.G)}: {One(r)}." +
                            (oneShot is null ? "" : $" One-shot stacking from a base trained apart at this g: ΔL {Numbers.Interval(oneShot.DeltaLossMean, oneShot.DeltaLossLo, oneShot.DeltaLossHi)}; " +
                             $"speedup with its base's compute {Numbers.Interval(oneShot.SpeedupWithBaseMean, oneShot.SpeedupWithBaseLo, oneShot.SpeedupWithBaseHi)}."));
        }
        text.Append("- A FLOP speedup above 1 with every stage counted means the schedule reached scratch's final loss with less training compute in all.");
        return text.ToString();
    }

    /// <summary>
    /// A speedup with its interval, or "not estimable": a mean exists only where every seed reached scratch's loss,
    /// and otherwise the paired ΔL is the reading.
    /// </summary>
    static string SpeedupInterval(double mean, double lo, double hi) => double.IsNaN(mean) ? "not estimable" : Numbers.Interval(mean, lo, hi);
}
