using System.Text;
using Microsoft.Data.Analysis;

namespace Warmstart.Analysis;

/// <summary>
/// One setting of a tuning grid for one method on the target: its mean final loss over seeds, and its paired
/// difference (same seed) to the method's default setting — the LR and init scale the bases were trained with —
/// with a 95% t interval. <c>Best</c> marks the setting with the lowest mean final loss of its method.
/// </summary>
public sealed record TuneCell(string Method, double Lr, double InitScale, int N, double FinalLoss,
    double VsDefault, double VsDefaultLo, double VsDefaultHi, bool IsDefault, bool Best);

/// <summary>
/// Is the scratch baseline at its best? (issue 12, item 2.) Reads a study that trains the target over a grid of
/// learning rate × init scale for scratch and for SZP from one base per seed (the <c>tune</c> preset): per method the
/// grid of mean final losses, each setting against the default one (the bases' own setting, i.e. the LR and init
/// every other study uses), the winner, and — the question that matters — SZP − scratch with each method at its own
/// best setting of the same seed, the authors' "best curve per configuration" comparison.
/// </summary>
public static class Tuning
{
    /// <summary>
    /// Whether these results hold a tuning grid: the target trained at more than one (LR, init scale) from bases that
    /// all share one setting (the default).
    /// A study whose bases are gridded too (the LR-transfer study) is not one: it has no single default setting.
    /// </summary>
    public static bool Applies(ResultTables results) =>
        results.RunRows() is var runs && Default(runs) is not null &&
        Targets(runs).Where(r => r.Method == "scratch").Select(r => (r.Lr, r.InitScale)).Distinct().Count() > 1;

    /// <summary>Finished target runs (the model the warm runs grow into), scratch and warm.</summary>
    static List<RunRow> Targets(IReadOnlyList<RunRow> runs)
    {
        var target = runs.Where(r => r.BaseId.Length > 0).Select(r => r.Model).FirstOrDefault();
        return target is null ? [] : runs.Where(r => r.Model == target && r.Status == "finished").ToList();
    }

    /// <summary>The default setting: the LR and init scale the bases (scratch runs of a smaller model) were trained with.</summary>
    static (double Lr, double InitScale)? Default(IReadOnlyList<RunRow> runs)
    {
        var targets = Targets(runs).Select(r => r.Model).ToHashSet();
        var bases = runs.Where(r => r.Method == "scratch" && !targets.Contains(r.Model)).ToList();
        return bases.Select(r => (r.Lr, Math.Round(r.InitScale, 9))).Distinct().Count() == 1 ? (bases[0].Lr, bases[0].InitScale) : null;
    }

    public static List<TuneCell> Grid(ResultTables results)
    {
        var runs = results.RunRows();
        var targets = Targets(runs).Where(r => !r.Diverged && double.IsFinite(r.FinalValLoss)).ToList();
        var def = Default(runs);
        var cells = new List<TuneCell>();
        foreach (var method in targets.Select(r => r.Method).Distinct().OrderBy(m => m == "scratch" ? "" : m, StringComparer.Ordinal))
        {
            var mine = targets.Where(r => r.Method == method).ToList();
            var atDefault = def is { } d ? mine.Where(r => Same(r, d)).ToDictionary(r => r.Seed) : [];
            var settings = mine.GroupBy(r => (r.Lr, Scale: Math.Round(r.InitScale, 9))).OrderBy(g => g.Key.Lr).ThenBy(g => g.Key.Scale).ToList();
            double bestLoss = settings.Min(g => g.Average(r => r.FinalValLoss));
            foreach (var s in settings)
            {
                var diff = Stats.TInterval(s.Where(r => atDefault.ContainsKey(r.Seed)).Select(r => r.FinalValLoss - atDefault[r.Seed].FinalValLoss));
                double mean = s.Average(r => r.FinalValLoss);
                cells.Add(new TuneCell(method, s.Key.Lr, s.Key.Scale, s.Count(), mean, diff.Value, diff.Lo, diff.Hi,
                    def is { } dd && Same(s.First(), dd), mean == bestLoss));
            }
        }
        return cells;
    }

    static bool Same(RunRow r, (double Lr, double InitScale) d) => r.Lr == d.Lr && Math.Abs(r.InitScale - d.InitScale) < 1e-9;

    /// <summary>
    /// The reading: each method's winning setting and how far it moved the method's loss from the default, then
    /// SZP − scratch at each method's best setting per seed (t interval over seeds).
    /// </summary>
    public static string Reading(ResultTables results)
    {
        var grid = Grid(results);
        if (grid.Count == 0) return "No tuning grid in these results.";
        var text = new List<string>();
        foreach (var method in grid.Select(c => c.Method).Distinct())
        {
            var best = grid.First(c => c.Method == method && c.Best);
            var def = grid.FirstOrDefault(c => c.Method == method && c.IsDefault);
            string moved = def is null ? "no default setting in the grid"
                : best.IsDefault ? "the default setting is the best"
                : $"{Display.Interval(best.VsDefault, best.VsDefaultLo, best.VsDefaultHi)} nats against the default (LR {def.Lr:g3}, init × {def.InitScale:0.##}; n = {best.N}{(best.N < 2 ? ", one seed: no interval" : "")})";
            text.Add($"{method}: best at LR {best.Lr:g3}, init × {best.InitScale:0.##} (mean final loss {best.FinalLoss:0.000}; {moved}).");
        }
        var runs = Targets(results.RunRows()).Where(r => !r.Diverged && double.IsFinite(r.FinalValLoss)).ToList();
        var perSeed = runs.Where(r => r.Method != "scratch").Select(r => r.Method).Distinct().SelectMany(m =>
            runs.Select(r => r.Seed).Distinct().Select(seed =>
            {
                var w = runs.Where(r => r.Method == m && r.Seed == seed).Select(r => r.FinalValLoss).DefaultIfEmpty(double.NaN).Min();
                var s = runs.Where(r => r.Method == "scratch" && r.Seed == seed).Select(r => r.FinalValLoss).DefaultIfEmpty(double.NaN).Min();
                return (Method: m, Diff: w - s);
            })).Where(x => double.IsFinite(x.Diff)).GroupBy(x => x.Method);
        foreach (var g in perSeed)
        {
            var e = Stats.TInterval(g.Select(x => x.Diff));
            text.Add($"At each method's best setting per seed, {g.Key} − scratch = {Display.Interval(e.Value, e.Lo, e.Hi)} " +
                     $"({g.Count(x => x.Diff < 0)} of {e.N} seeds below scratch{(e.N < 2 ? "; one seed: no interval" : "")}).");
        }
        return string.Join(" ", text);
    }

    public static DataFrame ToFrame(IEnumerable<TuneCell> cells) => Frames.FromRecords(cells);

    /// <summary>A markdown table of the grid, then the reading.</summary>
    public static string Markdown(ResultTables results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| method | LR | init scale | seeds | final loss | Δ vs default [95%] | |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var c in Grid(results))
            sb.AppendLine($"| {c.Method} | {c.Lr:g3} | {c.InitScale:0.##} | {c.N} | {c.FinalLoss:0.000} | {(c.IsDefault ? "default" : Display.Interval(c.VsDefault, c.VsDefaultLo, c.VsDefaultHi))} | {(c.Best ? "**best**" : "")} |");
        sb.AppendLine();
        sb.AppendLine(Reading(results));
        return sb.ToString();
    }
}
