using Microsoft.Data.Analysis;

namespace Warmstart.Analysis;

/// <summary>
/// One warm run against the scratch run of the same target, budget and seed. <c>state</c> is one of
/// <see cref="Speedup.Reached"/>, <see cref="Speedup.BelowAtStart"/>, <see cref="Speedup.NotReached"/>;
/// <c>speedup_bound</c> says what the speedup columns are: "exact", "lower" (below at start: the warm run was
/// already at the target at its first evaluation, so it needed at most one evaluation interval — the speedup is at
/// least scratch tokens / that interval, never ∞) or "upper" (not reached: it is below scratch tokens / the warm
/// run's whole budget). delta_loss = warm final − scratch final (paired when <c>paired</c>, i.e. same seed).
/// </summary>
public sealed record SpeedupRow(
    string RunId, string Method, string Model, double G, double Tpp, double Lambda, double Sigma, double Seed, string ScratchId, bool Paired,
    double WarmLoss, double ScratchLoss, double DeltaLoss, double TargetLoss, double ScratchTokens, double WarmTokens, string State,
    string SpeedupBound, double SpeedupTokens, double SpeedupFlops, double SpeedupFlopsWithBase, bool Reached);

/// <summary>
/// How much sooner a warm run reaches what scratch reaches. The target is the scratch run's final validation loss
/// (same model, budget and seed); tokens-to-target are read off each learning curve by linear interpolation between
/// evaluations. Speedups are ratios scratch / warm: &gt; 1 means warm-starting saved compute. "With base" adds the
/// base model's own training compute (6·N_b·D_b) to the warm run's, the switch the paper's plots offer.
/// </summary>
public static class Speedup
{
    public const string Reached = "reached", BelowAtStart = "below at start", NotReached = "not reached";

    public static DataFrame Compute(ResultTables results)
    {
        var runs = results.RunRows();
        var curves = results.CurveByRun();
        var rows = new List<SpeedupRow>();
        foreach (var warm in runs.Where(r => r.Method != "scratch" && r.Status == "finished" && !r.Diverged))
        {
            var scratch = Pairing.ScratchOf(runs, warm);
            if (scratch is null || !curves.ContainsKey(warm.RunId) || !curves.ContainsKey(scratch.RunId)) continue;
            var (st, _, sl) = curves[scratch.RunId];
            var (wt, _, wl) = curves[warm.RunId];
            // Scratch's last point on its curve: both curves are read on the same validation batches, while the
            // final loss (more batches) is the ΔL statistic's.
            double target = sl[^1];
            double scratchTokens = Curves.FirstCrossing(st, sl, target);
            double warmTokens = Curves.FirstCrossing(wt, wl, target);
            string state = double.IsNaN(warmTokens) ? NotReached : warmTokens <= wt[0] ? BelowAtStart : Reached;
            string bound = "exact";
            if (state == BelowAtStart)
            {
                // Already at the target before training: it needed at most the first evaluation interval.
                warmTokens = wt.Length > 1 ? wt[1] - wt[0] : double.NaN;
                bound = "lower";
            }
            else if (state == NotReached)
            {
                // Did not get there within its budget: the speedup is below scratch tokens / the whole budget.
                warmTokens = wt[^1];
                bound = "upper";
            }
            // Same model on both sides, so the FLOP ratio equals the token ratio (C = 6·N·D) until base compute is added.
            double scratchFlops = 6 * scratch.Params * scratchTokens;
            double warmFlops = 6 * warm.Params * warmTokens;
            rows.Add(new SpeedupRow(warm.RunId, warm.Method, warm.Model, warm.G, warm.Tpp, warm.Lambda, warm.Sigma, warm.Seed, scratch.RunId,
                scratch.Seed == warm.Seed, warm.FinalValLoss, scratch.FinalValLoss, warm.FinalValLoss - scratch.FinalValLoss, target,
                scratchTokens, warmTokens, state, bound, scratchTokens / warmTokens, scratchFlops / warmFlops,
                scratchFlops / (warmFlops + warm.BaseFlops), state != NotReached));
        }
        return Frames.FromRecords(rows);
    }


    /// <summary>
    /// Per configuration (method, target, budget, g, λ, σ), over all n seeds:
    /// <list type="bullet">
    /// <item>paired ΔL (warm − scratch of the same seed) with its t interval (unpaired runs are left out of it);</item>
    /// <item>reached k of n (below-at-start counts as reached) and how many were below at start;</item>
    /// <item>the speedup, censoring-aware. When every seed reached the target after training started, the
    /// geometric mean with the t interval of ln(speedup) (<c>speedup_kind</c> "geometric mean"). When all reached but
    /// some were below at start, the same computed with their finite lower bounds is itself a lower bound
    /// ("lower bound": the interval's upper end is NaN). When k &lt; n the mean is not estimable
    /// ("not estimable": NaN) — it is never averaged over only the seeds that reached;</item>
    /// <item>the median over all n seeds, ordering not-reached seeds below every reached one (their speedup is
    /// below scratch tokens / their budget, ≤ 1) and below-at-start seeds by their lower bound: "median" when the
    /// middle seeds are exact, "upper bound" when a not-reached seed is in the middle, "lower bound" when a
    /// below-at-start seed is.</item>
    /// </list>
    /// A single seed has no spread: its intervals and std are NaN.
    /// </summary>
    public static DataFrame Summary(DataFrame speedups)
    {
        if (speedups.Rows.Count == 0) return Frames.FromRecords(Array.Empty<SpeedupSummaryRow>());
        var method = Frames.Strings(speedups, "method");
        var model = Frames.Strings(speedups, "model");
        var g = Frames.Doubles(speedups, "g");
        var tpp = Frames.Doubles(speedups, "tpp");
        bool hasLambda = Frames.Has(speedups, "lambda");
        var lambda = hasLambda ? Frames.Doubles(speedups, "lambda") : new double[method.Length];
        var sigma = hasLambda ? Frames.Doubles(speedups, "sigma") : new double[method.Length];
        var state = Frames.Has(speedups, "state") ? Frames.Strings(speedups, "state")
            : Frames.Bools(speedups, "reached").Select(r => r ? Reached : NotReached).ToArray();
        var paired = Frames.Has(speedups, "paired") ? Frames.Bools(speedups, "paired") : new bool[method.Length];
        var delta = Frames.Has(speedups, "delta_loss") ? Frames.Doubles(speedups, "delta_loss") : Enumerable.Repeat(double.NaN, method.Length).ToArray();
        var st = Frames.Doubles(speedups, "speedup_tokens");
        var sb = Frames.Doubles(speedups, "speedup_flops_with_base");
        var rows = Enumerable.Range(0, method.Length)
            .GroupBy(i => (Method: method[i], Model: model[i], G: Math.Round(g[i], 6), Tpp: tpp[i], Lambda: Math.Round(lambda[i], 6), Sigma: Math.Round(sigma[i], 6)))
            .OrderBy(k => k.Key.Method).ThenBy(k => k.Key.Model).ThenBy(k => k.Key.Tpp).ThenBy(k => k.Key.G).ThenBy(k => k.Key.Lambda).ThenBy(k => k.Key.Sigma)
            .Select(k =>
            {
                var idx = k.ToArray();
                int n = idx.Length, below = idx.Count(i => state[i] == BelowAtStart), notReached = idx.Count(i => state[i] == NotReached);
                var d = Stats.TInterval(idx.Where(i => paired[i]).Select(i => delta[i]));
                var (sMean, sLo, sHi, sKind, sStd) = Censored(idx.Select(i => (st[i], state[i])).ToList());
                var (bMean, bLo, bHi, _, bStd) = Censored(idx.Select(i => (sb[i], state[i])).ToList());
                var (median, medianKind) = CensoredMedian(idx.Select(i => (st[i], state[i])).ToList());
                int reached = n - notReached;
                string statement = $"{reached} of {n} reached" + (below > 0 ? $" ({below} below at start)" : "") + "; " +
                    (sKind == "not estimable" ? $"speedup not estimable, median {MedianText(median, medianKind)}"
                     : $"speedup {(sKind == "lower bound" ? "≥ " : "")}{Display.Interval(sMean, sLo, sHi)}") +
                    $"; ΔL {Display.Interval(d.Value, d.Lo, d.Hi)} (n = {d.N})";
                return new SpeedupSummaryRow(k.Key.Method, k.Key.Model, k.Key.G, k.Key.Tpp, n, reached, sMean, sStd, bMean, bStd)
                {
                    Lambda = k.Key.Lambda, Sigma = k.Key.Sigma, BelowAtStart = below, Paired = d.N,
                    DeltaLossMean = d.Value, DeltaLossLo = d.Lo, DeltaLossHi = d.Hi,
                    SpeedupKind = sKind, SpeedupLo = sLo, SpeedupHi = sHi, SpeedupWithBaseLo = bLo, SpeedupWithBaseHi = bHi,
                    SpeedupMedian = median, SpeedupMedianKind = medianKind, Statement = statement,
                };
            });
        return Frames.FromRecords(rows);
    }

    static string MedianText(double median, string kind) => kind switch
    {
        "upper bound" => $"< {Display.Number(median)}",
        "lower bound" => $"≥ {Display.Number(median)}",
        _ => Display.Number(median),
    };

    /// <summary>The speedup estimate of one configuration under the censoring rules of <see cref="Summary"/>.</summary>
    public static (double Mean, double Lo, double Hi, string Kind, double Std) Censored(IReadOnlyList<(double Value, string State)> seeds)
    {
        if (seeds.Count == 0 || seeds.Any(s => s.State == NotReached) || seeds.Any(s => !(s.Value > 0) || !double.IsFinite(s.Value)))
            return (double.NaN, double.NaN, double.NaN, "not estimable", double.NaN);
        var e = Stats.LogTInterval(seeds.Select(s => s.Value));
        double std = Stats.Std(seeds.Select(s => s.Value));
        return seeds.Any(s => s.State == BelowAtStart)
            ? (e.Value, e.Lo, double.NaN, "lower bound", double.NaN)
            : (e.Value, e.Lo, e.Hi, "geometric mean", std);
    }

    /// <summary>The median over all seeds with not-reached seeds ranked lowest and below-at-start ones by their bound.</summary>
    public static (double Median, string Kind) CensoredMedian(IReadOnlyList<(double Value, string State)> seeds)
    {
        if (seeds.Count == 0) return (double.NaN, "none");
        // Rank: not reached (value = its upper bound) below everything; the rest by value (a lower bound for below-at-start).
        var sorted = seeds.OrderBy(s => s.State == NotReached ? 0 : 1).ThenBy(s => s.Value).ToList();
        var middle = seeds.Count % 2 == 1 ? new[] { sorted[seeds.Count / 2] } : new[] { sorted[seeds.Count / 2 - 1], sorted[seeds.Count / 2] };
        if (middle.Any(s => s.State == NotReached)) return (middle.Max(s => s.Value), "upper bound");
        if (middle.Any(s => s.State == BelowAtStart)) return (middle.Min(s => s.Value), "lower bound");
        return (middle.Average(s => s.Value), "median");
    }
}

/// <summary>
/// One configuration's summary. The first ten columns keep their earlier names (charts read them):
/// speedup_mean is now the geometric mean over all seeds (NaN when not estimable), speedup_std the sample std of the
/// speedups (NaN for one seed or when not estimable).
/// </summary>
public sealed record SpeedupSummaryRow(string Method, string Model, double G, double Tpp, int Runs, int Reached,
    double SpeedupMean, double SpeedupStd, double SpeedupWithBaseMean, double SpeedupWithBaseStd)
{
    public double Lambda { get; init; } = double.NaN;
    public double Sigma { get; init; } = double.NaN;
    public int BelowAtStart { get; init; }
    public int Paired { get; init; }
    public double DeltaLossMean { get; init; } = double.NaN;
    public double DeltaLossLo { get; init; } = double.NaN;
    public double DeltaLossHi { get; init; } = double.NaN;
    public string SpeedupKind { get; init; } = "";
    public double SpeedupLo { get; init; } = double.NaN;
    public double SpeedupHi { get; init; } = double.NaN;
    public double SpeedupWithBaseLo { get; init; } = double.NaN;
    public double SpeedupWithBaseHi { get; init; } = double.NaN;
    public double SpeedupMedian { get; init; } = double.NaN;
    public string SpeedupMedianKind { get; init; } = "";
    public string Statement { get; init; } = "";
}
