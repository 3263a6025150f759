using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// Which hyperparameter setting won one configuration: the setting, how many settings and seeds competed, the mean
/// selection loss of the winner and of the runner-up, what that loss was measured on, and the winner's mean final
/// loss (the number the analyses report).
/// </summary>
public sealed record BestSettingRow(Method Method, string Model, double BaseParams, double Tpp, double Lambda, double Sigma,
    int Settings, int Seeds, double Lr, double InitScale, string ChosenOn, double SelectionLoss, double RunnerUpSelectionLoss, double FinalValLoss);

/// <summary>
/// The authors' selection step, applied once before every analysis: a sweep may carry several settings per
/// configuration (a grid of learning rate × init scale). For each configuration — method, target model, base size,
/// budget, λ, σ; every seed together — ONE setting is kept for all seeds: the one with the lowest mean loss over seeds
/// on the held-out selection batches (<c>selection_val_loss</c>), which no analysis reports. Choosing per seed, or on
/// the batches whose losses are then reported, would hand the winner the luck of its own evaluation noise (a winner's
/// curse that grows with the grid). Runs written before selection batches existed are chosen on their final loss,
/// and <c>chosen_on</c> says so. Settings where fewer seeds finished rank after those where more did (a setting that
/// diverges on some seeds is not the reliable one). Scratch runs of base models are configurations of their own;
/// unfinished runs are kept (they only feed the notes). A configuration with a single setting is left as it is.
/// </summary>
public static class Selection
{
    public const string HeldOut = "held-out batches", Reported = "the reported batches (no held-out losses)";

    public static (ResultTables Selected, List<BestSettingRow> BestSettings) BestPerConfiguration(ResultTables results)
    {
        var runs = results.Runs;
        var drop = new HashSet<string>();
        var rows = new List<BestSettingRow>();
        foreach (var config in runs.Where(r => r.IsFinished)
                     .GroupBy(r => (r.Method, r.Model, BaseParams: r.Method == Method.Scratch ? 0 : Math.Round(r.BaseParams, 3), r.Tpp, r.Lambda, r.Sigma))
                     .OrderBy(g => g.Key.Method == Method.Scratch ? 0 : 1).ThenBy(g => g.Key.Method).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
                     .ThenBy(g => g.Key.Tpp).ThenBy(g => g.Key.BaseParams).ThenBy(g => g.Key.Lambda).ThenBy(g => g.Key.Sigma))
        {
            var settings = config.GroupBy(r => (r.Lr, Scale: Math.Round(r.InitScale, 9))).Select(s =>
            {
                var usable = s.Where(Pairing.Usable).ToList();
                bool heldOut = usable.Count > 0 && usable.All(r => double.IsFinite(r.SelectionValLoss));
                double score = usable.Count == 0 ? double.NaN : usable.Average(r => heldOut ? r.SelectionValLoss : r.FinalValLoss);
                return (s.Key, Runs: s.ToList(), Seeds: usable.Count, Score: score, HeldOut: heldOut,
                        Final: usable.Count == 0 ? double.NaN : usable.Average(r => r.FinalValLoss));
            }).OrderByDescending(s => s.Seeds).ThenBy(s => double.IsNaN(s.Score) ? double.PositiveInfinity : s.Score)
              // Settings that score exactly alike trained the same model (fp's σ = 0 never reads the init scale): keep the
              // unscaled init rather than whichever the table lists first.
              .ThenBy(s => Math.Abs(Math.Log(s.Key.Scale))).ToList();
            var best = settings[0];
            if (best.Seeds == 0) continue; // every run diverged: left to the analyses to drop
            foreach (var other in settings.Skip(1)) foreach (var r in other.Runs) drop.Add(r.RunId);
            rows.Add(new BestSettingRow(config.Key.Method, config.Key.Model, config.Key.BaseParams, config.Key.Tpp, config.Key.Lambda,
                config.Key.Sigma, settings.Count, best.Seeds, best.Key.Lr, best.Key.Scale, best.HeldOut ? HeldOut : Reported, best.Score,
                settings.Count > 1 ? settings[1].Score : double.NaN, best.Final));
        }
        return (results with { Runs = runs.Where(r => !drop.Contains(r.RunId)).ToList() }, rows);
    }

    /// <summary>True when some configuration was run at more than one setting (so the selection changed something).</summary>
    public static bool HasGrid(IEnumerable<BestSettingRow> bestSettings) => bestSettings.Any(s => s.Settings > 1);
}
