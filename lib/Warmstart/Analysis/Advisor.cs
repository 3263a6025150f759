using Warmstart.Training;

namespace Warmstart.Analysis;

public sealed record Advice(
    double N, double D, double Tpp, double ScratchLoss, double WarmLoss, double Delta, bool GrowthPays,
    double GOpt, double GUpper, double RecommendedBaseN, double SmallestBaseN, double BudgetUsed, string Text);

/// <summary>
/// "For a target of N parameters and D tokens, is growing worth it, and from how small a base?" — answered from the
/// fitted laws (ΔL = L_warm − L_scratch at (N, D)) and the iso-FLOP analysis at full compute for the nearest budget
/// (g_opt: the best growth factor; g_upper: beyond it scratch wins). Every number it cannot support is NaN and said so.
/// </summary>
public static class Advisor
{
    public static Advice Advise(double n, double d, ScalingFit scratch, ScalingFit warm, IReadOnlyList<IsoFlopFit> isoFlopFits, Method? method = null)
    {
        method ??= Method.Szp;
        if (!(n > 0 && d > 0)) throw new ArgumentException($"N and D must be positive, got N = {n}, D = {d}");
        double tpp = d / n;
        double ls = scratch.Predict(n, d), lw = warm.Predict(n, d), delta = lw - ls;
        bool pays = delta < 0;

        // The iso-FLOP fit at full compute (the last level) for the budget nearest to D/N, and among those the target
        // size nearest to N.
        double budget = double.NaN, gOpt = double.NaN, gUpper = double.NaN, size = double.NaN;
        string reason = "no iso-FLOP fits";
        if (isoFlopFits.Count > 0)
        {
            budget = isoFlopFits.Select(f => f.Tpp).OrderBy(b => Math.Abs(Math.Log(b / tpp))).First();
            var last = isoFlopFits.Where(f => f.Tpp == budget)
                .OrderBy(f => Math.Abs(Math.Log(f.Params / n))).ThenByDescending(f => f.Level).First();
            (gOpt, gUpper, reason, size) = (last.GOpt, last.GUpper, last.Reason, last.Params);
        }

        var text = new List<string>
        {
            $"At N = {n:0.###e0} parameters and D = {d:0.###e0} tokens ({tpp:0.#} per parameter) the fitted laws predict " +
            $"{ls:0.0000} from scratch and {lw:0.0000} warm-started with {method}: ΔL = {delta:+0.0000;-0.0000}, so growing " +
            (pays ? "is predicted to pay off." : "is not predicted to pay off."),
        };
        if (double.IsNaN(budget)) text.Add("There are no iso-FLOP fits, so no growth factor can be recommended.");
        else
        {
            string where = Math.Abs(Math.Log(budget / tpp)) > Math.Log(1.5) ? $" (the nearest studied budget, {budget:0.#} TPP, is far from {tpp:0.#}: extrapolation)" : $" (from the {budget:0.#}-TPP runs at full compute)";
            if (Math.Abs(Math.Log(size / n)) > Math.Log(1.5))
                where += $" — the nearest studied target has {size:0.###e0} parameters, so this is an extrapolation in size";
            text.Add(double.IsNaN(gOpt)
                ? $"The best growth factor is not bracketed by the data{where}: {reason}."
                : $"The best growth factor is g ≈ {gOpt:0.##}{where}: grow from a base of ≈ {n / gOpt:0.###e0} parameters.");
            text.Add(double.IsNaN(gUpper)
                ? "No upper bound on g was found in the studied range, so the smallest useful base is not known."
                : $"Beyond g ≈ {gUpper:0.##} scratch wins: do not start from a base smaller than ≈ {n / gUpper:0.###e0} parameters.");
        }
        return new Advice(n, d, tpp, ls, lw, delta, pays, gOpt, gUpper, n / gOpt, n / gUpper, budget, string.Join(" ", text));
    }
}
