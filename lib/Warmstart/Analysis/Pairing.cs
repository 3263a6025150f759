using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// The one rule that pairs runs across methods, used by every analysis: the same target model, budget and seed (and,
/// between two warm methods, the same g). A run whose partner is missing has no pair — it is never matched with another
/// seed, so a "paired" difference always shares its seed's data order and initialisation.
/// </summary>
public static class Pairing
{
    /// <summary>The grouping key of a realised growth factor (runs of one g differ only by float noise).</summary>
    public static double GKey(double g) => Math.Round(g, 6);

    /// <summary>A finished run that did not diverge and has a final loss.</summary>
    public static bool Usable(RunRow r) => r.IsFinished && !r.Diverged && double.IsFinite(r.FinalValLoss);

    /// <summary>
    /// The scratch run of the warm run's target, budget and seed (in an unselected grid, the one at the same LR first),
    /// or null.
    /// </summary>
    public static RunRow? ScratchOf(IReadOnlyList<RunRow> runs, RunRow warm)
    {
        RunRow? any = null;
        foreach (var r in runs)
        {
            if (r.Method != Method.Scratch || !Usable(r) || r.Model != warm.Model || r.Tpp != warm.Tpp || r.Seed != warm.Seed) continue;
            if (r.Lr == warm.Lr) return r;
            any ??= r;
        }
        return any;
    }

    /// <summary>Each warm run with its scratch run (<see cref="ScratchOf"/>); warm runs without one are left out.</summary>
    public static IEnumerable<(RunRow Warm, RunRow Scratch)> WithScratch(IReadOnlyList<RunRow> runs, IEnumerable<RunRow> warms)
    {
        foreach (var w in warms)
            if (ScratchOf(runs, w) is { } s) yield return (w, s);
    }

    /// <summary>Runs of method <paramref name="a"/> with the run of method <paramref name="b"/> at the same target, budget, g and seed.</summary>
    public static IEnumerable<(RunRow A, RunRow B)> Methods(IReadOnlyList<RunRow> runs, Method a, Method b) =>
        from x in runs.Where(r => r.Method == a && Usable(r))
        let y = runs.FirstOrDefault(r => r.Method == b && Usable(r) && r.Model == x.Model && r.Tpp == x.Tpp && GKey(r.G) == GKey(x.G) && r.Seed == x.Seed)
        where y is not null
        select (x, y);
}
