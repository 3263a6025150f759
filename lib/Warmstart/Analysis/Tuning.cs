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
    double VsDefault, double VsDefaultLo, double VsDefaultHi, bool IsDefault, bool Best);

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
        foreach (var method in targets.Select(r => r.Method).Distinct().OrderBy(m => m == Method.Scratch ? 0 : 1).ThenBy(m => m))
        {
            var mine = targets.Where(r => r.Method == method).ToList();
            var atDefault = def is { } d ? mine.Where(r => Same(r, d)).ToDictionary(r => r.Seed) : [];
            var settings = mine.GroupBy(r => (r.Lr, Scale: Math.Round(r.InitScale, 9))).OrderBy(g => g.Key.Lr).ThenBy(g => g.Key.Scale).ToList();
            var chosen = kept.FirstOrDefault(k => k.Method == method && k.Model == mine[0].Model);
            foreach (var s in settings)
            {
                var diff = Stats.TInterval(s.Where(r => atDefault.ContainsKey(r.Seed)).Select(r => r.FinalValLoss - atDefault[r.Seed].FinalValLoss));
                cells.Add(new TuneCell(method, s.Key.Lr, s.Key.Scale, s.Count(), s.Average(r => r.FinalValLoss), Stats.Mean(s.Select(r => r.SelectionValLoss)),
                    diff.Value, diff.Lo, diff.Hi, def is { } dd && Same(s.First(), dd), chosen is not null && Same(s.First(), (chosen.Lr, chosen.InitScale))));
            }
        }
        return cells;
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
        foreach (var method in grid.Select(c => c.Method).Distinct())
        {
            var best = grid.FirstOrDefault(c => c.Method == method && c.Best);
            if (best is null) continue;
            var def = grid.FirstOrDefault(c => c.Method == method && c.IsDefault);
            string moved = def is null ? "no default setting in the grid"
                : best.IsDefault ? "the default setting"
                : $"{Numbers.Interval(best.VsDefault, best.VsDefaultLo, best.VsDefaultHi)} nats of final loss against the default (LR {def.Lr:g3}, init × {def.InitScale:0.##}; n = {best.N}{(best.N < 2 ? ", one seed: no interval" : "")})";
            string on = double.IsFinite(best.SelectionLoss) ? $"chosen on held-out batches, mean {best.SelectionLoss:0.000}" : "chosen on the final loss: no held-out batches";
            text.Add($"{method}: kept LR {best.Lr:g3}, init × {best.InitScale:0.##} ({on}; mean final loss {best.FinalLoss:0.000}; {moved}).");
        }
        var (selected, _) = Selection.BestPerConfiguration(results);
        var runs = Targets(selected.Runs).Where(Pairing.Usable).ToList();
        foreach (var g in Pairing.WithScratch(runs, runs.Where(r => r.Method != Method.Scratch)).GroupBy(p => p.Warm.Method).OrderBy(g => g.Key))
        {
            var diffs = g.Select(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss).ToList();
            var e = Stats.TInterval(diffs);
            text.Add($"At the kept settings, {g.Key} − scratch = {Numbers.Interval(e.Value, e.Lo, e.Hi)} " +
                     $"({diffs.Count(d => d < 0)} of {e.N} seeds below scratch{(e.N < 2 ? "; one seed: no interval" : "")}).");
        }
        return string.Join(" ", text);
    }

    /// <summary>A markdown table of the grid, then the reading.</summary>
    public static string Markdown(ResultTables results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| method | LR | init scale | seeds | held-out loss | final loss | Δ vs default [95%] | |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var c in Grid(results))
            sb.AppendLine($"| {c.Method} | {c.Lr:g3} | {c.InitScale:0.##} | {c.N} | {Numbers.Number(c.SelectionLoss)} | {c.FinalLoss:0.000} | {(c.IsDefault ? "default" : Numbers.Interval(c.VsDefault, c.VsDefaultLo, c.VsDefaultHi))} | {(c.Best ? "**kept**" : "")} |");
        sb.AppendLine();
        sb.AppendLine(Reading(results));
        return sb.ToString();
    }
}
