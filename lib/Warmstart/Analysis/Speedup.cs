using Microsoft.Data.Analysis;

namespace Warmstart.Analysis;

public sealed record SpeedupRow(
    string RunId, string Method, string Model, double G, double Tpp, double Seed, string ScratchId, double TargetLoss,
    double ScratchTokens, double WarmTokens, double SpeedupTokens, double SpeedupFlops, double SpeedupFlopsWithBase, bool Reached);

/// <summary>
/// How much sooner a warm run reaches what scratch reaches. The target is the scratch run's final validation loss
/// (same model, budget and seed); tokens-to-target are read off each learning curve by linear interpolation between
/// evaluations. Speedups are ratios scratch / warm: &gt; 1 means warm-starting saved compute. "With base" adds the
/// base model's own training compute (6·N_b·D_b) to the warm run's, the switch the paper's plots offer.
/// </summary>
public static class Speedup
{
    public static DataFrame Compute(ResultTables results)
    {
        var runs = results.RunRows();
        var curves = results.CurveByRun();
        var rows = new List<SpeedupRow>();
        foreach (var warm in runs.Where(r => r.Method != "scratch" && r.Status == "finished" && !r.Diverged))
        {
            var scratch = MatchingScratch(runs, warm);
            if (scratch is null || !curves.ContainsKey(warm.RunId) || !curves.ContainsKey(scratch.RunId)) continue;
            double target = scratch.FinalValLoss;
            var (st, _, sl) = curves[scratch.RunId];
            var (wt, _, wl) = curves[warm.RunId];
            double scratchTokens = Curves.FirstCrossing(st, sl, target);
            double warmTokens = Curves.FirstCrossing(wt, wl, target);
            bool reached = !double.IsNaN(warmTokens);
            // Same model on both sides, so the FLOP ratio equals the token ratio (C = 6·N·D) until base compute is added.
            double scratchFlops = 6 * scratch.Params * scratchTokens;
            double warmFlops = 6 * warm.Params * warmTokens;
            rows.Add(new SpeedupRow(warm.RunId, warm.Method, warm.Model, warm.G, warm.Tpp, warm.Seed, scratch.RunId, target,
                scratchTokens, warmTokens, scratchTokens / warmTokens, scratchFlops / warmFlops,
                scratchFlops / (warmFlops + warm.BaseFlops), reached));
        }
        return Frames.FromRecords(rows);
    }

    /// <summary>The scratch run of the same model and budget, preferring the same seed.</summary>
    public static RunRow? MatchingScratch(IReadOnlyList<RunRow> runs, RunRow warm)
    {
        var candidates = runs.Where(r => r.Method == "scratch" && r.Status == "finished" && !r.Diverged
                                         && r.Model == warm.Model && r.Tpp == warm.Tpp && r.Lr == warm.Lr).ToList();
        return candidates.FirstOrDefault(r => r.Seed == warm.Seed) ?? candidates.FirstOrDefault();
    }

    /// <summary>Mean and spread over seeds per (method, target model, budget, g).</summary>
    public static DataFrame Summary(DataFrame speedups)
    {
        if (speedups.Rows.Count == 0) return Frames.FromRecords(Array.Empty<SpeedupSummaryRow>());
        var method = Frames.Strings(speedups, "method");
        var model = Frames.Strings(speedups, "model");
        var g = Frames.Doubles(speedups, "g");
        var tpp = Frames.Doubles(speedups, "tpp");
        var st = Frames.Doubles(speedups, "speedup_tokens");
        var sb = Frames.Doubles(speedups, "speedup_flops_with_base");
        var rows = Enumerable.Range(0, method.Length)
            .GroupBy(i => (Method: method[i], Model: model[i], G: Math.Round(g[i], 6), Tpp: tpp[i]))
            .OrderBy(k => k.Key.Method).ThenBy(k => k.Key.Model).ThenBy(k => k.Key.Tpp).ThenBy(k => k.Key.G)
            .Select(k => new SpeedupSummaryRow(k.Key.Method, k.Key.Model, k.Key.G, k.Key.Tpp, k.Count(),
                k.Count(i => !double.IsNaN(st[i])),
                Stats.Mean(k.Select(i => st[i])), Stats.Std(k.Select(i => st[i])),
                Stats.Mean(k.Select(i => sb[i])), Stats.Std(k.Select(i => sb[i]))));
        return Frames.FromRecords(rows);
    }
}

public sealed record SpeedupSummaryRow(string Method, string Model, double G, double Tpp, int Runs, int Reached,
    double SpeedupMean, double SpeedupStd, double SpeedupWithBaseMean, double SpeedupWithBaseStd);

/// <summary>Mean and sample standard deviation that ignore NaN entries (NaN when nothing is left).</summary>
public static class Stats
{
    public static double Mean(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToList();
        return v.Count == 0 ? double.NaN : v.Average();
    }

    public static double Std(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToList();
        if (v.Count < 2) return v.Count == 1 ? 0 : double.NaN;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }
}
