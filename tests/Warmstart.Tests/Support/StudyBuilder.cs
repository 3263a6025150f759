using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Tests.Analysis;

/// <summary>
/// The one way tests build a small study by hand. Every run's curve is linear in tokens from its initial to its final
/// loss unless its points are given.
/// </summary>
static class Sweep
{
    public sealed class Builder
    {
        readonly List<RunRow> runs = [];
        readonly List<CurveRow> curves = [];

        /// <summary>
        /// Adds a run; its curve has evaluations at 0, ¼, ½, ¾ and all of its tokens (default 1000), or at the given
        /// token counts <paramref name="at"/> with the given <paramref name="loss"/> values.
        /// </summary>
        public Builder Run(string id, Method method, double seed, double final, double initial = 5.5, double g = double.NaN,
            double tpp = 20, string model = "M100", double n = 100, string baseId = "", double lambda = 0.4, double lr = 0.01,
            double[]? loss = null, double baseFlops = 0, double selection = double.NaN, double tokens = 1000, double widthUnits = 4,
            double[]? at = null, double baseParams = double.NaN)
        {
            runs.Add(new RunRow(id, method, method == Method.Scratch ? 0 : lambda, 1, model, n, 2, widthUnits, baseId,
                method == Method.Scratch ? double.NaN : double.IsNaN(baseParams) ? n / g : baseParams,
                method == Method.Scratch ? double.NaN : g, tpp, seed, lr, tokens, 6 * n * tokens, baseFlops, final, initial, false, RunStatus.Finished,
                SelectionValLoss: selection));
            at ??= [0, tokens / 4, tokens / 2, 3 * tokens / 4, tokens];
            loss ??= at.Select(t => initial + (final - initial) * t / tokens).ToArray();
            for (int i = 0; i < at.Length; i++) curves.Add(new CurveRow(id, i, at[i], 6 * n * at[i], loss[i]));
            return this;
        }

        public ResultTables Build() => new(runs.ToList(), curves.ToList());
    }
}
