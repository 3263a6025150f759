using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

public sealed record AblationRow(Method Method, double Lambda, double Sigma, double G, double Tpp, int Runs,
    double BaseLoss, double GrownLossMean, double GrownLossStd, double FinalLossMean, double FinalLossStd);

public sealed record LambdaRow(Method Method, string Model, double Params, double Tpp, double Lambda, double Sigma, int Runs,
    double FinalLossMean, double FinalLossStd, double ScratchLossMean);

public sealed record LrRow(double Lr, double Seed, double BaseLoss, double ScratchLoss, double WarmLoss, Method WarmMethod);

public sealed record RankCorrelationRow(string Between, int Points, double Spearman);

/// <summary>Per-operator and per-λ tables behind the ablation and shrinking figures (mean ± sample std over seeds).</summary>
public static class Summaries
{
    /// <summary>
    /// For each operator setting: the base's loss, the loss right after growth (step 0 of the warm run) and the final
    /// loss — the three numbers behind "does preserving the base function matter?". Scratch appears with its own
    /// initial and final loss.
    /// </summary>
    public static List<AblationRow> Ablation(ResultTables results)
    {
        var runs = results.Runs.Where(r => r.IsFinished && !r.Diverged).ToList();
        var byId = results.Runs.ToDictionary(r => r.RunId);
        return runs
            .Where(r => r.Method == Method.Scratch ? runs.Any(w => w.Method != Method.Scratch && w.Model == r.Model && w.Tpp == r.Tpp) : true)
            .GroupBy(r => (r.Method, r.Lambda, r.Sigma, G: Math.Round(r.G, 6), r.Tpp))
            .OrderBy(g => g.Key.Tpp).ThenBy(g => g.Key.G).ThenBy(g => g.Key.Method == Method.Scratch ? 0 : 1).ThenBy(g => g.Key.Method).ThenBy(g => g.Key.Lambda)
            .Select(g => new AblationRow(g.Key.Method, g.Key.Lambda, g.Key.Sigma, g.Key.G, g.Key.Tpp, g.Count(),
                Stats.Mean(g.Select(r => byId.TryGetValue(r.BaseId, out var b) ? b.FinalValLoss : double.NaN)),
                Stats.Mean(g.Select(r => r.InitialValLoss)), Stats.Std(g.Select(r => r.InitialValLoss)),
                Stats.Mean(g.Select(r => r.FinalValLoss)), Stats.Std(g.Select(r => r.FinalValLoss)))).ToList();
    }

    /// <summary>Final loss against λ for each target size and budget, with the scratch loss for reference.</summary>
    public static List<LambdaRow> LambdaSweep(ResultTables results)
    {
        var runs = results.Runs.Where(r => r.IsFinished && !r.Diverged).ToList();
        return runs.Where(r => r.Method != Method.Scratch)
            .GroupBy(r => (r.Method, r.Model, r.Params, r.Tpp, r.Lambda, r.Sigma))
            .OrderBy(g => g.Key.Params).ThenBy(g => g.Key.Tpp).ThenBy(g => g.Key.Method).ThenBy(g => g.Key.Sigma).ThenBy(g => g.Key.Lambda)
            .Select(g => new LambdaRow(g.Key.Method, g.Key.Model, g.Key.Params, g.Key.Tpp, g.Key.Lambda, g.Key.Sigma, g.Count(),
                Stats.Mean(g.Select(r => r.FinalValLoss)), Stats.Std(g.Select(r => r.FinalValLoss)),
                Stats.Mean(runs.Where(s => s.Method == Method.Scratch && s.Model == g.Key.Model && s.Tpp == g.Key.Tpp).Select(s => s.FinalValLoss)))).ToList();
    }

    /// <summary>
    /// LR transfer: for each LR of the grid (and seed), the base's, the scratch target's and the warm target's final
    /// losses, plus Spearman rank correlations across the grid — if µP transfers the base's tuned LR, the LRs rank the
    /// same at both sizes (ρ near 1).
    /// </summary>
    public static (List<LrRow> Table, List<RankCorrelationRow> Spearman) LrTransfer(ResultTables results)
    {
        var runs = results.Runs.Where(r => r.IsFinished).ToList();
        var byId = runs.ToDictionary(r => r.RunId);
        var rows = new List<LrRow>();
        foreach (var warm in runs.Where(r => r.Method != Method.Scratch && byId.ContainsKey(r.BaseId)))
        {
            var scratch = Pairing.ScratchOf(runs, warm);
            rows.Add(new LrRow(warm.Lr, warm.Seed, byId[warm.BaseId].FinalValLoss, scratch?.FinalValLoss ?? double.NaN, warm.FinalValLoss, warm.Method));
        }
        rows = rows.OrderBy(r => r.WarmMethod).ThenBy(r => r.Seed).ThenBy(r => r.Lr).ToList();
        double Rho(Func<LrRow, double> a, Func<LrRow, double> b)
        {
            var pairs = rows.Where(r => double.IsFinite(a(r)) && double.IsFinite(b(r))).ToList();
            return pairs.Count < 3 ? double.NaN : MathNet.Numerics.Statistics.Correlation.Spearman(pairs.Select(a), pairs.Select(b));
        }
        int n = rows.Count(r => double.IsFinite(r.BaseLoss));
        List<RankCorrelationRow> spearman =
        [
            new RankCorrelationRow("base vs scratch target", n, Rho(r => r.BaseLoss, r => r.ScratchLoss)),
            new RankCorrelationRow("base vs warm target", n, Rho(r => r.BaseLoss, r => r.WarmLoss)),
            new RankCorrelationRow("scratch vs warm target", n, Rho(r => r.ScratchLoss, r => r.WarmLoss)),
        ];
        return (rows, spearman);
    }
}
