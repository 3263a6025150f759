using System.Text;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// One setting of a tuning grid for one method on the target: its mean final loss over seeds, its mean loss on the
/// held-out selection batches, and its paired difference (same seed) in final loss to the method's default setting —
/// the LR and init scale the bases were trained with — with a 95% t interval. <c>Best</c> marks the setting
/// <see cref="Selection"/> keeps for the method: the lowest mean held-out loss over seeds.
/// </summary>
public sealed record TuneCell(Method Method, double Lr, double InitScale, int N, double FinalLoss, double SelectionLoss,
    double VsDefault, double VsDefaultLo, double VsDefaultHi, bool IsDefault, bool Best, double G = double.NaN);

/// <summary>
/// A method's kept setting, one for every growth factor tuned: the (LR, init scale) with the lowest held-out loss
/// averaged over the growth factors (each g weighs the same; scratch has one). <c>LrInterior</c> and
/// <c>InitInterior</c> say whether a smaller and a larger value of each were tried and lost — whether the grid brackets
/// the optimum. <c>Settings</c> counts the settings compared, <c>Gs</c> the growth factors. <c>OnHeldOut</c> is false
/// for a grid without held-out batches: then the score is the mean final loss (and the reading says so).
/// </summary>
public sealed record KeptSetting(Method Method, double Lr, double InitScale, double SelectionLoss, int Settings, int Gs,
    bool LrInterior, bool InitInterior, double Sigma, bool OnHeldOut = true)
{
    public bool Interior => LrInterior && InitInterior;
}

/// <summary>
/// Is every method compared at its best? Reads a study that trains the target over a grid of learning rate × init
/// scale for scratch, SZP and the function-preserving operator from one base per seed (the <c>tune</c> preset): per
/// method the grid of mean losses, each setting against the default one (the bases' own setting, i.e. the LR and init
/// every other study uses), the setting the selection keeps (chosen on held-out batches, one for all seeds), and the
/// question that matters — each warm method − scratch with every method at its kept setting, paired by seed.
/// </summary>
public static class Tuning
{
    /// <summary>
    /// Whether these results hold a tuning grid: the target trained at more than one (LR, init scale) from bases that
    /// all share one setting (the default).
    /// A study whose bases are gridded too (the LR-transfer study) is not one: it has no single default setting.
    /// </summary>
    public static bool Applies(ResultTables results) =>
        results.Runs is var runs && Default(runs) is not null &&
        Targets(runs).Where(r => r.Method == Method.Scratch).Select(r => (r.Lr, r.InitScale)).Distinct().Count() > 1;

    /// <summary>Finished target runs (the model the warm runs grow into), scratch and warm.</summary>
    static List<RunRow> Targets(IReadOnlyList<RunRow> runs)
    {
        var target = runs.Where(r => r.BaseId.Length > 0).Select(r => r.Model).FirstOrDefault();
        return target is null ? [] : runs.Where(r => r.Model == target && r.IsFinished).ToList();
    }

    /// <summary>The default setting: the LR and init scale the bases (scratch runs of a smaller model) were trained with.</summary>
    static (double Lr, double InitScale)? Default(IReadOnlyList<RunRow> runs)
    {
        var targets = Targets(runs).Select(r => r.Model).ToHashSet();
        var bases = runs.Where(r => r.Method == Method.Scratch && !targets.Contains(r.Model)).ToList();
        return bases.Select(r => (r.Lr, Math.Round(r.InitScale, 9))).Distinct().Count() == 1 ? (bases[0].Lr, bases[0].InitScale) : null;
    }

    public static List<TuneCell> Grid(ResultTables results)
    {
        var runs = results.Runs;
        var targets = Targets(runs).Where(Pairing.Usable).ToList();
        var def = Default(runs);
        var (_, kept) = Selection.BestPerConfiguration(results);
        var cells = new List<TuneCell>();
        // One grid per method and growth factor (each g grows from its own base); scratch has one.
        foreach (var config in targets.GroupBy(r => (r.Method, G: r.Method == Method.Scratch ? double.NaN : Pairing.GKey(r.G)))
                     .OrderBy(c => c.Key.Method == Method.Scratch ? 0 : 1).ThenBy(c => c.Key.Method).ThenBy(c => c.Key.G))
        {
            var mine = config.ToList();
            var atDefault = def is { } d ? mine.Where(r => Same(r, d)).ToDictionary(r => r.Seed) : [];
            var settings = mine.GroupBy(r => (r.Lr, Scale: Math.Round(r.InitScale, 9))).OrderBy(g => g.Key.Lr).ThenBy(g => g.Key.Scale).ToList();
            var chosen = kept.FirstOrDefault(k => k.Method == config.Key.Method && k.Model == mine[0].Model
                                                  && (config.Key.Method == Method.Scratch || Math.Abs(k.BaseParams - Math.Round(mine[0].BaseParams, 3)) < 1e-9));
            foreach (var s in settings)
            {
                var diff = Stats.TInterval(s.Where(r => atDefault.ContainsKey(r.Seed)).Select(r => r.FinalValLoss - atDefault[r.Seed].FinalValLoss));
                cells.Add(new TuneCell(config.Key.Method, s.Key.Lr, s.Key.Scale, s.Count(), s.Average(r => r.FinalValLoss), Stats.Mean(s.Select(r => r.SelectionValLoss)),
                    diff.Value, diff.Lo, diff.Hi, def is { } dd && Same(s.First(), dd), chosen is not null && Same(s.First(), (chosen.Lr, chosen.InitScale)),
                    config.Key.Method == Method.Scratch ? double.NaN : s.First().G));
            }
        }
        return cells;
    }

    /// <summary>
    /// Each method's kept setting over every growth factor tuned (<see cref="KeptSetting"/>): the setting with the
    /// lowest held-out loss averaged over the g's, among the settings tried at all of them; ties go to the setting
    /// nearer the default. Methods in reading order: scratch first.
    /// </summary>
    public static List<KeptSetting> Kept(ResultTables results)
    {
        var grid = Grid(results);
        var def = Default(results.Runs);
        var sigma = results.Runs.Where(Pairing.Usable).GroupBy(r => r.Method)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Sigma).Distinct().ToList() is [var only] ? only : double.NaN);
        var kept = new List<KeptSetting>();
        foreach (var method in grid.Select(c => c.Method).Distinct())
        {
            var mine = grid.Where(c => c.Method == method).ToList();
            int gs = mine.Select(c => c.G).Distinct().Count();
            // Without held-out batches (an older study) the only score left is the final loss itself.
            bool onHeldOut = mine.Any(c => double.IsFinite(c.SelectionLoss));
            Func<TuneCell, double> score = onHeldOut ? c => c.SelectionLoss : c => c.FinalLoss;
            var scored = mine.Where(c => double.IsFinite(score(c))).GroupBy(c => (c.Lr, c.InitScale))
                .Where(s => s.Count() == gs)
                .Select(s => (s.Key.Lr, s.Key.InitScale, Score: s.Average(score)))
                .OrderBy(s => s.Score)
                .ThenBy(s => def is { } d ? Math.Abs(Math.Log(s.Lr / d.Lr)) + Math.Abs(Math.Log(s.InitScale / d.InitScale)) : 0).ToList();
            if (scored.Count == 0) continue;
            var best = scored[0];
            var lrs = mine.Select(c => c.Lr).Distinct().ToList();
            var scales = mine.Select(c => c.InitScale).Distinct().ToList();
            kept.Add(new KeptSetting(method, best.Lr, best.InitScale, best.Score, scored.Count, gs,
                lrs.Any(v => v < best.Lr) && lrs.Any(v => v > best.Lr), scales.Any(v => v < best.InitScale) && scales.Any(v => v > best.InitScale),
                sigma.GetValueOrDefault(method, double.NaN), onHeldOut));
        }
        return kept;
    }

    static bool Same(RunRow r, (double Lr, double InitScale) d) => r.Lr == d.Lr && Math.Abs(r.InitScale - d.InitScale) < 1e-9;

    /// <summary>
    /// The reading: each method's kept setting and how far it moved the method's loss from the default, then each warm
    /// method − scratch with every method at its kept setting, paired by seed (t interval over seeds).
    /// </summary>
    public static string Reading(ResultTables results)
    {
        var grid = Grid(results);
        if (grid.Count == 0) return "No tuning grid in these results.";
        var text = new List<string>();
        // One sentence per method: its kept setting, whether the grid brackets it, and what it is worth against the
        // default setting (at a single g; over several g's the held-out score it was kept on).
        foreach (var k in Kept(results))
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
        var (selected, _) = Selection.BestPerConfiguration(results);
        var runs = Targets(selected.Runs).Where(Pairing.Usable).ToList();
        var pairs = Pairing.WithScratch(runs, runs.Where(r => r.Method != Method.Scratch)).GroupBy(p => (p.Warm.Method, G: Pairing.GKey(p.Warm.G))).ToList();
        foreach (var g in pairs.OrderBy(g => g.Key.Method).ThenBy(g => g.Key.G))
        {
            var diffs = g.Select(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss).ToList();
            var e = Stats.TInterval(diffs);
            bool severalG = pairs.Count(x => x.Key.Method == g.Key.Method) > 1;
            text.Add($"At the kept settings, {g.Key.Method}{(severalG ? $" (g = {Numbers.Number(g.First().Warm.G)})" : "")} − scratch = {Numbers.Interval(e.Value, e.Lo, e.Hi)} " +
                     $"({diffs.Count(d => d < 0)} of {e.N} seeds below scratch{(e.N < 2 ? "; one seed: no interval" : "")}).");
        }
        return string.Join(" ", text);
    }

    /// <summary>A markdown table of the grid, then the reading.</summary>
    public static string Markdown(ResultTables results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| method | g | LR | init scale | seeds | held-out loss | final loss | Δ vs default [95%] | |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var c in Grid(results))
            sb.AppendLine($"| {c.Method} | {(double.IsNaN(c.G) ? "" : Numbers.Number(c.G))} | {c.Lr:g3} | {c.InitScale:0.##} | {c.N} | {Numbers.Number(c.SelectionLoss)} | {c.FinalLoss:0.000} | {(c.IsDefault ? "default" : Numbers.Interval(c.VsDefault, c.VsDefaultLo, c.VsDefaultHi))} | {(c.Best ? "**kept**" : "")} |");
        sb.AppendLine();
        sb.AppendLine(Reading(results));
        return sb.ToString();
    }
}
