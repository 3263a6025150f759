using Microsoft.Data.Analysis;

namespace Warmstart.Analysis;

/// <summary>
/// One row per run of a sweep (runs.csv). Scratch runs have method "scratch" and no base; warm runs name their base
/// run and the realised g = N_target / N_base. base_flops is the base's own training compute (6·N_b·D_b).
/// </summary>
public sealed record RunRow(
    string RunId, string Method, double Lambda, double Sigma, string Model, double Params, double Layers, double Heads,
    string BaseId, double BaseParams, double G, double Tpp, double Seed, double Lr, double Tokens, double Flops,
    double BaseFlops, double FinalValLoss, double InitialValLoss, bool Diverged, string Status,
    double InitScale = 1, string InitScheme = "gpt2", // the target's init (a tuning grid's second axis); "he" for MLPs
    double FinalValLossSe = double.NaN,   // the final loss's standard error over its validation batches
    double SelectionValLoss = double.NaN); // the loss on held-out batches that only chooses settings (NaN: none)

/// <summary>One validation point of a run's learning curve (curves.csv): step 0 is the loss before training.</summary>
public sealed record CurveRow(string RunId, double Step, double Tokens, double Flops, double ValLoss, double ValLossSe = double.NaN);

/// <summary>The two tables every analysis starts from.</summary>
public sealed record ResultTables(DataFrame Runs, DataFrame Curves)
{
    /// <summary>Runs as records (numeric columns read as doubles).</summary>
    public IReadOnlyList<RunRow> RunRows()
    {
        var f = Runs;
        int n = (int)f.Rows.Count;
        var s = (string c) => Frames.Strings(f, c);
        var d = (string c) => Frames.Doubles(f, c);
        var (id, method, model, baseId, status) = (s("run_id"), s("method"), s("model"), s("base_id"), s("status"));
        var (lambda, sigma, p, layers, heads, bp, g, tpp, seed, lr, tokens, flops, bf, fin, init) =
            (d("lambda"), d("sigma"), d("params"), d("layers"), d("heads"), d("base_params"), d("g"), d("tpp"), d("seed"), d("lr"),
             d("tokens"), d("flops"), d("base_flops"), d("final_val_loss"), d("initial_val_loss"));
        var diverged = Frames.Bools(f, "diverged");
        bool Has(string c) => f.Columns.Any(col => col.Name == c); // absent in runs.csv written before the init columns
        var initScale = Has("init_scale") ? d("init_scale") : Enumerable.Repeat(1.0, n).ToArray();
        var initScheme = Has("init_scheme") ? s("init_scheme") : Enumerable.Repeat("gpt2", n).ToArray();
        double[] Optional(string c) => Has(c) ? d(c) : Enumerable.Repeat(double.NaN, n).ToArray(); // absent before the lean evaluation
        var (finSe, selection) = (Optional("final_val_loss_se"), Optional("selection_val_loss"));
        return Enumerable.Range(0, n).Select(i => new RunRow(id[i], method[i], lambda[i], sigma[i], model[i], p[i], layers[i], heads[i],
            baseId[i], bp[i], g[i], tpp[i], seed[i], lr[i], tokens[i], flops[i], bf[i], fin[i], init[i], diverged[i], status[i],
            initScale[i], initScheme[i], finSe[i], selection[i])).ToList();
    }

    /// <summary>Each run's validation curve as (tokens, flops, loss) arrays in step order.</summary>
    public IReadOnlyDictionary<string, (double[] Tokens, double[] Flops, double[] Loss)> CurveByRun()
    {
        var ids = Frames.Strings(Curves, "run_id");
        var steps = Frames.Doubles(Curves, "step");
        var tokens = Frames.Doubles(Curves, "tokens");
        var flops = Frames.Doubles(Curves, "flops");
        var loss = Frames.Doubles(Curves, "val_loss");
        return Enumerable.Range(0, ids.Length).GroupBy(i => ids[i]).ToDictionary(g => g.Key, g =>
        {
            var rows = g.OrderBy(i => steps[i]).ToArray();
            return (rows.Select(i => tokens[i]).ToArray(), rows.Select(i => flops[i]).ToArray(), rows.Select(i => loss[i]).ToArray());
        });
    }
}
