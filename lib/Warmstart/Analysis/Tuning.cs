using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// One setting of a tuning grid for one method on the target: its mean final loss over seeds, its mean loss on the
/// held-out selection batches, and its paired difference (same seed) in final loss to the method's default setting —
/// the LR and init scale the bases were trained with — with a 95% t interval. <c>Kept</c> marks the method's kept
/// setting (<see cref="Tuning.Kept"/>: one over all its growth factors, the one every later study trains), on every g's
/// row; <c>BestAtG</c> the lowest mean held-out loss at this g alone, which can differ from the kept one and sit on
/// the grid's edge where the kept one does not.
/// </summary>
public sealed record TuneCell(Method Method, double Lr, double InitScale, int N, double FinalLoss, double SelectionLoss,
    double VsDefault, double VsDefaultLo, double VsDefaultHi, bool IsDefault, bool Kept, bool BestAtG, double G = double.NaN);

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
/// Is scratch at its best on the seeds that are reported? Scratch's target at its kept setting (in the growth study)
/// − the same target at the former default setting (in the scratch-default study), paired by seed: below 0 means the
/// tuning helped scratch, and a fair comparison needed it. <c>Below</c> counts the seeds where the kept setting ended lower.
/// </summary>
public sealed record ScratchAtBest(string Model, double Tpp, double KeptLr, double KeptInitScale, double DefaultLr, double DefaultInitScale,
    Estimate KeptMinusDefault, int Below);

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

    /// <summary>The grid per method and g, each cell marked whether it is the method's kept setting and whether it is its g's best.</summary>
    public static List<TuneCell> Grid(ResultTables results)
    {
        var cells = Cells(results);
        var kept = KeptFrom(cells, Default(results.Runs), results.Runs);
        return cells.Select(c => c with { Kept = kept.Any(k => k.Method == c.Method && k.Lr == c.Lr && Math.Abs(k.InitScale - c.InitScale) < 1e-9) }).ToList();
    }

    /// <summary>The grid's cells with <c>Kept</c> still unset (it needs every cell of the method).</summary>
    static List<TuneCell> Cells(ResultTables results)
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
                    diff.Value, diff.Lo, diff.Hi, def is { } dd && Same(s.First(), dd), false, chosen is not null && Same(s.First(), (chosen.Lr, chosen.InitScale)),
                    config.Key.Method == Method.Scratch ? double.NaN : s.First().G));
            }
        }
        return cells;
    }

    /// <summary>
    /// Each method's kept setting over every growth factor tuned (<see cref="KeptSetting"/>): the setting with the
    /// lowest held-out loss averaged over the g's, among the settings tried at all of them, where the most seeds
    /// finished without diverging (a setting that lost seeds never wins on the loss of the survivors, as in
    /// <see cref="Selection"/>); ties go to the setting nearer the default. Methods in reading order: scratch first.
    /// </summary>
    public static List<KeptSetting> Kept(ResultTables results) => KeptFrom(Cells(results), Default(results.Runs), results.Runs);

    static List<KeptSetting> KeptFrom(List<TuneCell> grid, (double Lr, double InitScale)? def, IReadOnlyList<RunRow> runs)
    {
        var sigma = runs.Where(Pairing.Usable).GroupBy(r => r.Method)
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
                .Select(s => (s.Key.Lr, s.Key.InitScale, Seeds: s.Min(c => c.N), Score: s.Average(score)))
                .OrderByDescending(s => s.Seeds).ThenBy(s => s.Score)
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

    /// <summary>
    /// <see cref="ScratchAtBest"/> from the growth study's results and the scratch-default study's, per target model and
    /// budget the two share; empty where no seed has both. Each side must hold one setting per target (it is a study of
    /// kept settings, not a grid): otherwise an ArgumentException says which.
    /// </summary>
    public static List<ScratchAtBest> ScratchAtKeptVsDefault(ResultTables growth, ResultTables atDefault)
    {
        static Dictionary<(string Model, double Tpp), List<RunRow>> Scratch(ResultTables t, string which)
        {
            var cells = t.Runs.Where(r => r.Method == Method.Scratch && Pairing.Usable(r)).GroupBy(r => (r.Model, r.Tpp)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (cell, runs) in cells)
                if (runs.Select(r => (r.Lr, Math.Round(r.InitScale, 9))).Distinct().Count() > 1)
                    throw new ArgumentException($"{which} trains scratch's {cell.Model} at {cell.Tpp:0.#} TPP at more than one setting: a grid, not one kept setting");
            return cells;
        }
        var kept = Scratch(growth, "the growth study");
        var defaults = Scratch(atDefault, "the scratch-default study");
        var rows = new List<ScratchAtBest>();
        foreach (var (cell, mine) in kept.Where(c => defaults.ContainsKey(c.Key)).OrderBy(c => c.Key.Model, StringComparer.Ordinal).ThenBy(c => c.Key.Tpp))
        {
            var bySeed = defaults[cell].ToDictionary(r => r.Seed);
            var diffs = mine.Where(r => bySeed.ContainsKey(r.Seed)).Select(r => r.FinalValLoss - bySeed[r.Seed].FinalValLoss).ToList();
            if (diffs.Count == 0) continue;
            rows.Add(new ScratchAtBest(cell.Model, cell.Tpp, mine[0].Lr, mine[0].InitScale, defaults[cell][0].Lr, defaults[cell][0].InitScale,
                Stats.TInterval(diffs), diffs.Count(d => d < 0)));
        }
        return rows;
    }

    /// <summary>
    /// Each warm method − scratch with every method at its kept setting (<see cref="Kept"/>: the one setting a later
    /// study trains at every g), per method and g, paired by seed (t interval over seeds); <c>Below</c> counts the seeds
    /// where the warm run ended lower.
    /// </summary>
    public static List<(Method Method, double G, Estimate WarmMinusScratch, int Below)> AtKept(ResultTables results)
    {
        var kept = Kept(results).ToDictionary(k => k.Method);
        var runs = Targets(results.Runs).Where(Pairing.Usable)
            .Where(r => kept.TryGetValue(r.Method, out var k) && Same(r, (k.Lr, k.InitScale))).ToList();
        return Pairing.WithScratch(runs, runs.Where(r => r.Method != Method.Scratch))
            .GroupBy(p => (p.Warm.Method, G: Pairing.GKey(p.Warm.G))).OrderBy(g => g.Key.Method).ThenBy(g => g.Key.G)
            .Select(g =>
            {
                var diffs = g.Select(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss).ToList();
                return (g.Key.Method, g.First().Warm.G, Stats.TInterval(diffs), diffs.Count(d => d < 0));
            }).ToList();
    }

    static bool Same(RunRow r, (double Lr, double InitScale) d) => r.Lr == d.Lr && Math.Abs(r.InitScale - d.InitScale) < 1e-9;
}
