using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// One noise scale σ of the function-preserving rival at one growth factor: seeds, the mean loss on the held-out
/// selection batches (what chooses σ), the mean final loss, and the final-loss difference to scratch paired by seed.
/// <c>Kept</c> marks the σ the choice keeps (the same at every g).
/// </summary>
public sealed record NoiseCell(double Sigma, double G, int Seeds, double SelectionLoss, double FinalLoss,
    double VsScratch, double VsScratchLo, double VsScratchHi, bool Kept);

/// <summary>
/// Which symmetry-breaking noise makes the function-preserving rival strongest. Cloned units start identical and,
/// with identical gradients, stay copies unless noise breaks the tie (Net2Net adds it; σ = 0 is the exact clone). The
/// kept σ has the lowest held-out loss averaged over the growth factors studied, each g weighing the same; a tie keeps
/// the smaller σ (closer to preserving the function). It is a choice, so it is made on the selection seeds and batches
/// only, and every later study trains the rival at it.
/// </summary>
public static class FpNoise
{
    /// <summary>Whether these results compare the function-preserving rival at more than one σ.</summary>
    public static bool Applies(ResultTables results) =>
        results.Runs.Where(r => r.Method == Method.Fp && Pairing.Usable(r)).Select(r => r.Sigma).Distinct().Count() > 1;

    /// <summary>The kept σ, or null where no σ has a held-out loss at every growth factor.</summary>
    public static double? Kept(ResultTables results)
    {
        var cells = Cells(results);
        int gs = cells.Select(c => c.G).Distinct().Count();
        var scored = cells.GroupBy(c => c.Sigma)
            .Where(s => s.Count() == gs && s.All(c => double.IsFinite(c.SelectionLoss)))
            .Select(s => (Sigma: s.Key, Score: s.Average(c => c.SelectionLoss)))
            .OrderBy(s => s.Score).ThenBy(s => s.Sigma).ToList();
        return scored.Count == 0 ? null : scored[0].Sigma;
    }

    /// <summary>True when the kept σ is below the largest σ tried: more noise was tried and lost, so the optimum is bracketed.</summary>
    public static bool Bracketed(ResultTables results) =>
        Kept(results) is { } kept && kept < Cells(results).Max(c => c.Sigma);

    public static List<NoiseCell> Table(ResultTables results)
    {
        var kept = Kept(results);
        return Cells(results).Select(c => c with { Kept = kept is { } k && c.Sigma == k }).ToList();
    }

    static List<NoiseCell> Cells(ResultTables results)
    {
        var runs = results.Runs.Where(Pairing.Usable).ToList();
        return runs.Where(r => r.Method == Method.Fp)
            .GroupBy(r => (r.Sigma, G: Pairing.GKey(r.G))).OrderBy(c => c.Key.Sigma).ThenBy(c => c.Key.G)
            .Select(c =>
            {
                var vs = Stats.TInterval(Pairing.WithScratch(runs, c).Select(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss));
                return new NoiseCell(c.Key.Sigma, c.First().G, c.Count(), Stats.Mean(c.Select(r => r.SelectionValLoss)),
                    c.Average(r => r.FinalValLoss), vs.Value, vs.Lo, vs.Hi, false);
            }).ToList();
    }
}
