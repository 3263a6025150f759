using Microsoft.Data.Analysis;

namespace Warmstart.Analysis;

/// <summary>Which hyperparameter setting won one configuration (and by how much over the runner-up).</summary>
public sealed record BestSettingRow(string Method, string Model, double BaseParams, double Tpp, double Lambda, double Sigma, double Seed,
    int Settings, string RunId, double Lr, double InitScale, double FinalValLoss, double RunnerUpLoss);

/// <summary>
/// The authors' selection step, applied once before speedup, iso-FLOP, ablation and scaling-law analyses: a sweep may
/// carry several settings per configuration (a grid of learning rate × init scale; columns <c>lr</c> and, where
/// present, <c>init_scale</c> — a missing column counts as one setting). For each configuration
/// (method, target model, base size, budget, λ, σ, seed) only the finished, non-diverged run with the lowest final
/// validation loss is kept, so every method — scratch included — is compared at its best setting. Scratch runs of
/// base models are configurations of their own. Unfinished runs are kept (they only feed the notes). Where a
/// configuration has a single setting nothing changes.
/// </summary>
public static class Selection
{
    public static (ResultTables Selected, DataFrame BestSettings) BestPerConfiguration(ResultTables results)
    {
        var runs = results.RunRows();
        var initScale = Frames.Has(results.Runs, "init_scale") ? Frames.Doubles(results.Runs, "init_scale") : Enumerable.Repeat(double.NaN, runs.Count).ToArray();
        var index = runs.Select((r, i) => (r, i)).ToDictionary(t => t.r.RunId, t => t.i);
        var keep = new HashSet<string>(runs.Where(r => r.Status != "finished").Select(r => r.RunId));
        var rows = new List<BestSettingRow>();
        foreach (var config in runs.Where(r => r.Status == "finished")
                     .GroupBy(r => (r.Method, r.Model, BaseParams: r.Method == "scratch" ? 0 : Math.Round(r.BaseParams, 3), r.Tpp,
                                    r.Lambda, r.Sigma, r.Seed))
                     .OrderBy(g => g.Key.Method == "scratch" ? "" : g.Key.Method).ThenBy(g => g.Key.Model).ThenBy(g => g.Key.Tpp)
                     .ThenBy(g => g.Key.BaseParams).ThenBy(g => g.Key.Lambda).ThenBy(g => g.Key.Seed))
        {
            var ranked = config.Where(r => !r.Diverged && double.IsFinite(r.FinalValLoss)).OrderBy(r => r.FinalValLoss).ToList();
            if (ranked.Count == 0) { foreach (var r in config) keep.Add(r.RunId); continue; } // all diverged: left to the analyses to drop
            var best = ranked[0];
            keep.Add(best.RunId);
            int settings = config.Select(r => (r.Lr, Math.Round(initScale[index[r.RunId]], 9))).Distinct().Count();
            rows.Add(new BestSettingRow(config.Key.Method, config.Key.Model, config.Key.BaseParams, config.Key.Tpp, config.Key.Lambda,
                config.Key.Sigma, config.Key.Seed, settings, best.RunId, best.Lr, initScale[index[best.RunId]], best.FinalValLoss,
                ranked.Count > 1 ? ranked[1].FinalValLoss : double.NaN));
        }
        var ids = Frames.Strings(results.Runs, "run_id");
        var selected = new ResultTables(Frames.Where(results.Runs, i => keep.Contains(ids[i])), results.Curves);
        return (selected, Frames.FromRecords(rows));
    }

    /// <summary>True when some configuration was run at more than one setting (so the selection changed something).</summary>
    public static bool HasGrid(DataFrame bestSettings) =>
        bestSettings.Rows.Count > 0 && Frames.Doubles(bestSettings, "settings").Any(s => s > 1);
}
