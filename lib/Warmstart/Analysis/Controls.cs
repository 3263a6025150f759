using System.Text.Json.Serialization;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// One arm of the controls study at one target, budget and g: its final loss, and its paired differences (same seed)
/// to scratch and to SZP from the trained base, each with a 95% t interval over the pairs. <c>N</c> counts the pairs
/// with scratch (<c>NVsSzp</c> those with SZP), <c>Wins</c> the pairs where the arm ends below scratch,
/// <c>Diverged</c> the arm's runs that diverged (left out of the differences); <c>StartLoss</c> is the mean loss right
/// after growth, before any step. <c>Share</c> is the fraction of SZP's gain over scratch that the arm recovers —
/// (scratch − arm) / (scratch − SZP), paired by seed — with Fieller's 95% interval (NaN where SZP's own gain is not
/// clearly above 0).
/// </summary>
public sealed record ControlRow(string Model, double Tpp, double G, Method Method, string Arm, int N, double FinalLoss, double StartLoss,
    double VsScratch, double VsScratchLo, double VsScratchHi, int Wins,
    int NVsSzp, double VsSzp, double VsSzpLo, double VsSzpHi, int Diverged = 0,
    double Share = double.NaN, double ShareLo = double.NaN, double ShareHi = double.NaN);

/// <summary>What SZP's gain over scratch comes from, by the rules of <see cref="Controls"/>; spelled as the answers write it.</summary>
public enum ControlsLabel
{
    [JsonStringEnumMemberName("what the base learned")] Knowledge,
    [JsonStringEnumMemberName("the starting scale")] Scale,
    [JsonStringEnumMemberName("both the starting scale and what the base learned")] Both,
    [JsonStringEnumMemberName("no gain to explain")] NoGain,
    [JsonStringEnumMemberName("inconclusive")] Inconclusive,
    [JsonStringEnumMemberName("differs by g")] DiffersByG,
}

/// <summary>
/// The controls' answer at one target, budget and g — or overall (<c>G</c> NaN; <c>PerG</c> then lists each g's
/// label). <c>Label</c> is the answer; <c>DataRead</c> is the label the full data give, which differs from it only where
/// leaving out one seed turns it (<c>TurnedBy</c>: each such seed and what the data read without it). <c>Evidence</c>
/// holds the cell's arms (<see cref="ControlRow"/>); <c>SeveralCells</c> says whether the study has more than one
/// target or budget (then an answer names its own).
/// </summary>
public sealed record ControlsAnswer(string Model, double Tpp, double G, ControlsLabel Label, ControlsLabel DataRead,
    IReadOnlyList<(double Seed, ControlsLabel Label)> TurnedBy, IReadOnlyList<ControlRow> Evidence, bool SeveralCells,
    IReadOnlyList<(double G, ControlsLabel Label)> PerG)
{
    /// <summary>The label as the answers write it ("what the base learned").</summary>
    public static string Spelling(ControlsLabel label) => Runtime.Csv.Spelling(label);
}

/// <summary>
/// Does SZP transfer what the base learned, or only a better starting scale? Three controls share SZP's shapes and
/// budgets: SZP from an untrained base of the same shape (no knowledge, the base's init scale), SZP from the trained
/// base with each tensor's entries permuted (the trained values and norms, no structure), and scratch rescaled per
/// tensor to the norms of SZP's start (the scale alone). SZP's gain over scratch is split, seed by seed and exactly,
/// into two terms that add up (docs/research.md, rules of 2026-12-07, item 6):
/// <b>scale</b> = rescaled scratch − scratch, and <b>the rest</b> = SZP − rescaled scratch, what the trained base gives
/// beyond its norms. The permuted base is its own test, reported apart (it is not a share of anything). The rules:
/// <list type="bullet">
/// <item><see cref="ControlsLabel.NoGain"/>: SZP itself is not below scratch (its interval reaches 0): nothing to explain.</item>
/// <item><see cref="ControlsLabel.Both"/>: both terms have 95% intervals below 0.</item>
/// <item><see cref="ControlsLabel.Knowledge"/>: the rest is below 0 and the scale term is not.</item>
/// <item><see cref="ControlsLabel.Scale"/>: the scale term is below 0 and the rest is not.</item>
/// <item><see cref="ControlsLabel.Inconclusive"/>: anything else, including fewer than two pairs or no rescaled arm.</item>
/// </list>
/// A label counts only if leaving out any one seed keeps it (<see cref="Answer(ResultTables)"/>); where one seed turns
/// it, the answer is inconclusive and says which. Rows and answers are per target, budget and g (pairs from different
/// targets or budgets are never pooled); the overall answer is the common one, or "differs by g".
/// </summary>
public static class Controls
{
    /// <summary>The arms in reading order, with the words a reader sees.</summary>
    public static readonly IReadOnlyList<(Method Method, string Arm)> Arms =
    [
        (Method.Szp, "SZP from the trained base"),
        (Method.SzpUntrainedBase, "SZP from an untrained base (same shape)"),
        (Method.SzpPermutedBase, "SZP from the trained base, entries permuted per tensor"),
        (Method.ScratchRescaled, "scratch rescaled to the norms of SZP's start"),
    ];

    /// <summary>Whether these results hold a controls study (SZP and at least one control arm).</summary>
    public static bool Applies(ResultTables results) =>
        results.Runs.Select(r => r.Method).ToHashSet() is var m && m.Contains(Method.Szp) && Arms.Skip(1).Any(a => m.Contains(a.Method));

    /// <summary>Per target, budget, g (rounded to 2 decimals) and arm: the paired comparisons to scratch and to SZP.</summary>
    public static List<ControlRow> Compare(ResultTables results)
    {
        var (selected, _) = Selection.BestPerConfiguration(results);
        var all = selected.Runs.Where(r => r.IsFinished).ToList();
        var runs = all.Where(Pairing.Usable).ToList();
        RunRow? ScratchOf(RunRow w) => Pairing.ScratchOf(runs, w);
        var rows = new List<ControlRow>();
        var cells = runs.Where(r => r.Method == Method.Szp).Select(r => (r.Model, r.Tpp, G: Pairing.GKey(r.G))).Distinct()
            .OrderBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Tpp).ThenBy(c => c.G);
        foreach (var (model, tpp, g) in cells)
        {
            bool InCell(RunRow r) => r.BaseId.Length > 0 && r.Model == model && r.Tpp == tpp && Pairing.GKey(r.G) == g;
            var atG = runs.Where(InCell).ToList();
            var szp = atG.Where(r => r.Method == Method.Szp).ToList();
            foreach (var (method, arm) in Arms)
            {
                var mine = atG.Where(r => r.Method == method).ToList();
                int diverged = all.Count(r => InCell(r) && r.Method == method && (r.Diverged || !double.IsFinite(r.FinalValLoss)));
                if (mine.Count == 0 && diverged == 0) continue;
                var vsScratch = mine.Select(r => (r, s: ScratchOf(r))).Where(p => p.s is not null).Select(p => p.r.FinalValLoss - p.s!.FinalValLoss).ToList();
                var vsSzp = method == Method.Szp ? [] : mine.Select(r => (r, z: szp.FirstOrDefault(z => z.Seed == r.Seed)))
                    .Where(p => p.z is not null).Select(p => p.r.FinalValLoss - p.z!.FinalValLoss).ToList();
                var a = Stats.TInterval(vsScratch);
                var b = vsSzp.Count == 0 ? Estimate.None() : Stats.TInterval(vsSzp);
                // Gains over scratch of the arm and of SZP, seed by seed, for the seeds that have all three runs.
                var gains = mine.Select(r => (r, s: ScratchOf(r), z: szp.FirstOrDefault(z => z.Seed == r.Seed))).Where(t => t.s is not null && t.z is not null)
                    .Select(t => (Arm: t.s!.FinalValLoss - t.r.FinalValLoss, Szp: t.s!.FinalValLoss - t.z!.FinalValLoss)).ToList();
                var share = Stats.FiellerRatio(gains.Select(x => x.Arm).ToList(), gains.Select(x => x.Szp).ToList());
                rows.Add(new ControlRow(model, tpp, g, method, arm, vsScratch.Count,
                    mine.Count == 0 ? double.NaN : mine.Average(r => r.FinalValLoss), mine.Count == 0 ? double.NaN : mine.Average(r => r.InitialValLoss),
                    a.Value, a.Lo, a.Hi, vsScratch.Count(d => d < 0), vsSzp.Count, b.Value, b.Lo, b.Hi, diverged, share.Value, share.Lo, share.Hi));
            }
        }
        return rows;
    }

    /// <summary>
    /// The answer per target, budget and g, then overall (G = NaN), each label checked by leaving out one seed at a
    /// time: a label that one seed turns is not robust, and the answer there is inconclusive, naming the seed.
    /// </summary>
    public static List<ControlsAnswer> Answer(ResultTables results)
    {
        var answers = Answer(Compare(results));
        var seeds = results.Runs.Where(Pairing.Usable).Select(r => r.Seed).Distinct().Order().ToList();
        if (seeds.Count < 3) return answers; // leaving one of two seeds out leaves no interval to decide with
        var turned = new Dictionary<(string, double, double), List<(double, ControlsLabel)>>();
        foreach (var seed in seeds)
            foreach (var a in Answer(Compare(results with { Runs = results.Runs.Where(r => r.Seed != seed).ToList() })).Where(a => !double.IsNaN(a.G)))
            {
                var full = answers.FirstOrDefault(x => x.Model == a.Model && x.Tpp == a.Tpp && x.G == a.G);
                if (full is null || full.Label == a.Label || full.Label is ControlsLabel.Inconclusive or ControlsLabel.NoGain) continue;
                var key = (a.Model, a.Tpp, a.G);
                (turned.TryGetValue(key, out var list) ? list : turned[key] = []).Add((seed, a.Label));
            }
        // A label one seed turns does not count.
        var robust = answers.Where(a => !double.IsNaN(a.G)).Select(a => turned.TryGetValue((a.Model, a.Tpp, a.G), out var why)
            ? a with { Label = ControlsLabel.Inconclusive, TurnedBy = why }
            : a).ToList();
        return WithOverall(robust);
    }

    /// <summary>The answer per target, budget and g, then overall (G = NaN), by the rules in the class summary (no leave-one-out check).</summary>
    public static List<ControlsAnswer> Answer(IReadOnlyList<ControlRow> rows)
    {
        var answers = new List<ControlsAnswer>();
        bool severalCells = rows.Select(r => (r.Model, r.Tpp)).Distinct().Count() > 1;
        foreach (var cell in rows.GroupBy(r => (r.Model, r.Tpp, r.G)).OrderBy(c => c.Key.Model, StringComparer.Ordinal).ThenBy(c => c.Key.Tpp).ThenBy(c => c.Key.G))
        {
            var at = cell.ToDictionary(r => r.Method);
            if (!at.TryGetValue(Method.Szp, out var szp)) continue;
            bool Decided(double lo, double hi) => double.IsFinite(lo) && double.IsFinite(hi);
            at.TryGetValue(Method.ScratchRescaled, out var rescaled);
            // SZP − scratch = (rescaled − scratch) + (SZP − rescaled): the second term is −(rescaled − SZP).
            bool termsKnown = rescaled is not null && rescaled.N >= 2 && rescaled.NVsSzp >= 2
                              && Decided(rescaled.VsScratchLo, rescaled.VsScratchHi) && Decided(rescaled.VsSzpLo, rescaled.VsSzpHi);
            bool scale = termsKnown && rescaled!.VsScratchHi < 0, rest = termsKnown && rescaled!.VsSzpLo > 0;
            var label =
                szp.N < 2 || !Decided(szp.VsScratchLo, szp.VsScratchHi) ? ControlsLabel.Inconclusive
                : !(szp.VsScratchHi < 0) ? ControlsLabel.NoGain
                : !termsKnown ? ControlsLabel.Inconclusive
                : scale && rest ? ControlsLabel.Both
                : rest ? ControlsLabel.Knowledge
                : scale ? ControlsLabel.Scale
                : ControlsLabel.Inconclusive;
            answers.Add(new ControlsAnswer(cell.Key.Model, cell.Key.Tpp, cell.Key.G, label, label, [], cell.ToList(), severalCells, []));
        }
        return WithOverall(answers);
    }

    /// <summary>The per-g answers followed by the overall one: the common label, or "differs by g".</summary>
    static List<ControlsAnswer> WithOverall(List<ControlsAnswer> answers)
    {
        if (answers.Count == 0) return answers;
        var labels = answers.Select(a => a.Label).Distinct().ToList();
        var overall = labels.Count == 1 ? labels[0] : ControlsLabel.DiffersByG;
        answers.Add(new ControlsAnswer("", double.NaN, double.NaN, overall, overall, [], [], answers[0].SeveralCells,
            answers.Select(a => (a.G, a.Label)).ToList()));
        return answers;
    }

    /// <summary>An arm's short name, as the answer and the figure's legend write it ("SZP(permuted base)").</summary>
    public static string ShortName(Method method) =>
        method == Method.SzpUntrainedBase ? "SZP(untrained base)"
        : method == Method.SzpPermutedBase ? "SZP(permuted base)"
        : method == Method.ScratchRescaled ? "rescaled scratch"
        : method.Spelling;
}
