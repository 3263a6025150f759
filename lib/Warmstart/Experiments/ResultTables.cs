using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>
/// One row per run of a sweep (runs.csv). Scratch runs have method scratch and no base; warm runs name their base
/// run and the realised g = N_target / N_base. base_flops is the base's own training compute (6·N_b·D_b).
/// </summary>
public sealed record RunRow(
    string RunId, Method Method, double Lambda, double Sigma, string Model, double Params, double Layers, double Heads,
    string BaseId, double BaseParams, double G, double Tpp, double Seed, double Lr, double Tokens, double Flops,
    double BaseFlops, double FinalValLoss, double InitialValLoss, bool Diverged, RunStatus Status,
    double InitScale = 1, string InitScheme = "gpt2", // the target's init (a tuning grid's second axis); "he" for MLPs
    double FinalValLossSe = double.NaN,   // the final loss's standard error over its validation batches
    double SelectionValLoss = double.NaN) // the loss on held-out batches that only chooses settings (NaN: none)
{
    /// <summary>Finished: its summary was read (it may still have diverged, see <see cref="Diverged"/>).</summary>
    public bool IsFinished => Status == RunStatus.Finished;
}

/// <summary>
/// What runs.csv records of a run: finished (its summary read), missing (not run yet, or still running), failed (its
/// failure recorded), or invalid (finished, but its curve could not be read: kept and named, not dropped). Unlike the
/// store's live <c>RunState</c> it has no "running": a table is a snapshot of the files, not of the processes.
/// </summary>
public enum RunStatus { Finished, Missing, Failed, Invalid }

/// <summary>One validation point of a run's learning curve (curves.csv): step 0 is the loss before training.</summary>
public sealed record CurveRow(string RunId, double Step, double Tokens, double Flops, double ValLoss, double ValLossSe = double.NaN);

/// <summary>
/// What a sweep produced, as the two tables every analysis starts from: <see cref="ResultStore.Load"/> builds them
/// from the run folders, and a results folder keeps them as runs.csv and curves.csv for when the folders are not at hand.
/// </summary>
public sealed record ResultTables(IReadOnlyList<RunRow> Runs, IReadOnlyList<CurveRow> Curves)
{
    public const string RunsFile = "runs.csv", CurvesFile = "curves.csv";

    /// <summary>runs.csv and curves.csv of a results folder.</summary>
    public static ResultTables Read(string folder) =>
        new(Csv.Read<RunRow>(Path.Combine(folder, RunsFile)), Csv.Read<CurveRow>(Path.Combine(folder, CurvesFile)));

    /// <summary>Writes runs.csv and curves.csv into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        Csv.Write(Path.Combine(folder, RunsFile), Runs);
        Csv.Write(Path.Combine(folder, CurvesFile), Curves);
    }

    /// <summary>Whether <paramref name="folder"/> holds both tables.</summary>
    public static bool Exist(string folder) => File.Exists(Path.Combine(folder, RunsFile)) && File.Exists(Path.Combine(folder, CurvesFile));

    /// <summary>Each run's validation curve as (tokens, flops, loss) arrays in step order.</summary>
    public IReadOnlyDictionary<string, (double[] Tokens, double[] Flops, double[] Loss)> CurveByRun() =>
        Curves.GroupBy(c => c.RunId).ToDictionary(g => g.Key, g =>
        {
            var points = g.OrderBy(c => c.Step).ToArray();
            return (points.Select(c => c.Tokens).ToArray(), points.Select(c => c.Flops).ToArray(), points.Select(c => c.ValLoss).ToArray());
        });
}
