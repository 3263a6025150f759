using System.Text.Json.Serialization;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// One warm run against the scratch run of the same target, budget and seed. <c>speedup_bound</c> says what the
/// speedup columns are: exact; lower (below at start: the warm run was already at the target at its first
/// evaluation, so it needed at most one evaluation interval — the speedup is at least scratch tokens / that
/// interval, never ∞); or upper (not reached: it is below scratch tokens / the warm run's whole budget).
/// delta_loss = warm final − scratch final (paired when <c>paired</c>, i.e. same seed).
/// </summary>
public sealed record SpeedupRow(
    string RunId, Method Method, string Model, double G, double Tpp, double Lambda, double Sigma, double Seed, string ScratchId, bool Paired,
    double WarmLoss, double ScratchLoss, double DeltaLoss, double TargetLoss, double ScratchTokens, double WarmTokens, SpeedupState State,
    SpeedupBound SpeedupBound, double SpeedupTokens, double SpeedupFlops, double SpeedupFlopsWithBase, bool Reached);

/// <summary>Where a warm run's curve meets scratch's final loss.</summary>
public enum SpeedupState
{
    [JsonStringEnumMemberName("reached")] Reached,
    /// <summary>Already at or below it at the first evaluation (right after growth).</summary>
    [JsonStringEnumMemberName("below at start")] BelowAtStart,
    /// <summary>Never within its budget.</summary>
    [JsonStringEnumMemberName("not reached")] NotReached,
}

/// <summary>What a speedup row's speedups are: exact, a lower bound (below at start) or an upper bound (not reached).</summary>
public enum SpeedupBound { Exact, Lower, Upper }

/// <summary>What a configuration's speedup mean is, under the censoring rules of <see cref="Speedup.Summary"/>.</summary>
public enum SpeedupEstimate
{
    /// <summary>Every seed reached the target after training started: the geometric mean with its interval.</summary>
    [JsonStringEnumMemberName("geometric mean")] GeometricMean,
    /// <summary>Every seed reached it, some below at start: the same mean over their bounds is itself a lower bound.</summary>
    [JsonStringEnumMemberName("lower bound")] LowerBound,
    /// <summary>Some seed never reached it: no mean (NaN), never one over only the seeds that did.</summary>
    [JsonStringEnumMemberName("not estimable")] NotEstimable,
}

/// <summary>What a configuration's median speedup is: exact, or a bound where a censored seed sits in the middle.</summary>
public enum MedianKind
{
    [JsonStringEnumMemberName("median")] Median,
    /// <summary>A not-reached seed is in the middle.</summary>
    [JsonStringEnumMemberName("upper bound")] UpperBound,
    /// <summary>A below-at-start seed is in the middle.</summary>
    [JsonStringEnumMemberName("lower bound")] LowerBound,
    /// <summary>No seeds.</summary>
    [JsonStringEnumMemberName("none")] None,
}

/// <summary>
/// How much sooner a warm run reaches what scratch reaches. The target is the scratch run's final validation loss
/// (same model, budget and seed); tokens-to-target are read off each learning curve by linear interpolation between
/// evaluations. Speedups are ratios scratch / warm: &gt; 1 means warm-starting saved compute. "With base" adds the
/// base model's own training compute (6·N_b·D_b) to the warm run's, the switch the paper's plots offer.
/// </summary>
public static class Speedup
{
    public static List<SpeedupRow> Compute(ResultTables results)
    {
        var runs = results.Runs;
        var curves = results.CurveByRun();
        var rows = new List<SpeedupRow>();
        foreach (var warm in runs.Where(r => r.Method != Method.Scratch && r.IsFinished && !r.Diverged))
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
            var state = double.IsNaN(warmTokens) ? SpeedupState.NotReached : warmTokens <= wt[0] ? SpeedupState.BelowAtStart : SpeedupState.Reached;
            var bound = SpeedupBound.Exact;
            if (state == SpeedupState.BelowAtStart)
            {
                // Already at the target before training: it needed at most the first evaluation interval.
                warmTokens = wt.Length > 1 ? wt[1] - wt[0] : double.NaN;
                bound = SpeedupBound.Lower;
            }
            else if (state == SpeedupState.NotReached)
            {
                // Did not get there within its budget: the speedup is below scratch tokens / the whole budget.
                warmTokens = wt[^1];
                bound = SpeedupBound.Upper;
            }
            // Same model on both sides, so the FLOP ratio equals the token ratio (C = 6·N·D) until base compute is added.
            double scratchFlops = 6 * scratch.Params * scratchTokens;
            double warmFlops = 6 * warm.Params * warmTokens;
            rows.Add(new SpeedupRow(warm.RunId, warm.Method, warm.Model, warm.G, warm.Tpp, warm.Lambda, warm.Sigma, warm.Seed, scratch.RunId,
                scratch.Seed == warm.Seed, warm.FinalValLoss, scratch.FinalValLoss, warm.FinalValLoss - scratch.FinalValLoss, target,
                scratchTokens, warmTokens, state, bound, scratchTokens / warmTokens, scratchFlops / warmFlops,
                scratchFlops / (warmFlops + warm.BaseFlops), state != SpeedupState.NotReached));
        }
        return rows;
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
    public static List<SpeedupSummaryRow> Summary(IReadOnlyList<SpeedupRow> speedups) =>
        speedups.GroupBy(r => (r.Method, r.Model, G: Math.Round(r.G, 6), r.Tpp, Lambda: Math.Round(r.Lambda, 6), Sigma: Math.Round(r.Sigma, 6)))
            .OrderBy(k => k.Key.Method).ThenBy(k => k.Key.Model).ThenBy(k => k.Key.Tpp).ThenBy(k => k.Key.G).ThenBy(k => k.Key.Lambda).ThenBy(k => k.Key.Sigma)
            .Select(k =>
            {
                var seeds = k.ToList();
                int n = seeds.Count, below = seeds.Count(r => r.State == SpeedupState.BelowAtStart), notReached = seeds.Count(r => r.State == SpeedupState.NotReached);
                var d = Stats.TInterval(seeds.Where(r => r.Paired).Select(r => r.DeltaLoss));
                var (sMean, sLo, sHi, sKind, sStd) = Censored(seeds.Select(r => (r.SpeedupTokens, r.State)).ToList());
                var (bMean, bLo, bHi, _, bStd) = Censored(seeds.Select(r => (r.SpeedupFlopsWithBase, r.State)).ToList());
                var (median, medianKind) = CensoredMedian(seeds.Select(r => (r.SpeedupTokens, r.State)).ToList());
                int reached = n - notReached;
                string statement = $"{reached} of {n} reached" + (below > 0 ? $" ({below} below at start)" : "") + "; " +
                    (sKind == SpeedupEstimate.NotEstimable ? $"speedup not estimable, median {MedianText(median, medianKind)}"
                     : $"speedup {(sKind == SpeedupEstimate.LowerBound ? "≥ " : "")}{Numbers.Interval(sMean, sLo, sHi)}") +
                    $"; ΔL {Numbers.Interval(d.Value, d.Lo, d.Hi)} (n = {d.N})";
                return new SpeedupSummaryRow(k.Key.Method, k.Key.Model, k.Key.G, k.Key.Tpp, n, reached, sMean, sStd, bMean, bStd)
                {
                    Lambda = k.Key.Lambda, Sigma = k.Key.Sigma, BelowAtStart = below, Paired = d.N,
                    DeltaLossMean = d.Value, DeltaLossLo = d.Lo, DeltaLossHi = d.Hi,
                    SpeedupKind = sKind, SpeedupLo = sLo, SpeedupHi = sHi, SpeedupWithBaseLo = bLo, SpeedupWithBaseHi = bHi,
                    SpeedupMedian = median, SpeedupMedianKind = medianKind, Statement = statement,
                };
            }).ToList();

    static string MedianText(double median, MedianKind kind) => kind switch
    {
        MedianKind.UpperBound => $"< {Numbers.Number(median)}",
        MedianKind.LowerBound => $"≥ {Numbers.Number(median)}",
        _ => Numbers.Number(median),
    };

    /// <summary>The speedup estimate of one configuration under the censoring rules of <see cref="Summary"/>.</summary>
    public static (double Mean, double Lo, double Hi, SpeedupEstimate Kind, double Std) Censored(IReadOnlyList<(double Value, SpeedupState State)> seeds)
    {
        if (seeds.Count == 0 || seeds.Any(s => s.State == SpeedupState.NotReached) || seeds.Any(s => !(s.Value > 0) || !double.IsFinite(s.Value)))
            return (double.NaN, double.NaN, double.NaN, SpeedupEstimate.NotEstimable, double.NaN);
        var e = Stats.LogTInterval(seeds.Select(s => s.Value));
        double std = Stats.Std(seeds.Select(s => s.Value));
        return seeds.Any(s => s.State == SpeedupState.BelowAtStart)
            ? (e.Value, e.Lo, double.NaN, SpeedupEstimate.LowerBound, double.NaN)
            : (e.Value, e.Lo, e.Hi, SpeedupEstimate.GeometricMean, std);
    }

    /// <summary>The median over all seeds with not-reached seeds ranked lowest and below-at-start ones by their bound.</summary>
    public static (double Median, MedianKind Kind) CensoredMedian(IReadOnlyList<(double Value, SpeedupState State)> seeds)
    {
        if (seeds.Count == 0) return (double.NaN, MedianKind.None);
        // Rank: not reached (value = its upper bound) below everything; the rest by value (a lower bound for below-at-start).
        var sorted = seeds.OrderBy(s => s.State == SpeedupState.NotReached ? 0 : 1).ThenBy(s => s.Value).ToList();
        var middle = seeds.Count % 2 == 1 ? new[] { sorted[seeds.Count / 2] } : new[] { sorted[seeds.Count / 2 - 1], sorted[seeds.Count / 2] };
        if (middle.Any(s => s.State == SpeedupState.NotReached)) return (middle.Max(s => s.Value), MedianKind.UpperBound);
        if (middle.Any(s => s.State == SpeedupState.BelowAtStart)) return (middle.Min(s => s.Value), MedianKind.LowerBound);
        return (middle.Average(s => s.Value), MedianKind.Median);
    }
}

/// <summary>
/// One configuration's summary. speedup_mean is the geometric mean over all seeds (NaN when not estimable; what it
/// is says speedup_kind), speedup_std the sample std of the speedups (NaN for one seed or when not estimable).
/// </summary>
public sealed record SpeedupSummaryRow(Method Method, string Model, double G, double Tpp, int Runs, int Reached,
    double SpeedupMean, double SpeedupStd, double SpeedupWithBaseMean, double SpeedupWithBaseStd)
{
    public double Lambda { get; init; } = double.NaN;
    public double Sigma { get; init; } = double.NaN;
    public int BelowAtStart { get; init; }
    public int Paired { get; init; }
    public double DeltaLossMean { get; init; } = double.NaN;
    public double DeltaLossLo { get; init; } = double.NaN;
    public double DeltaLossHi { get; init; } = double.NaN;
    public SpeedupEstimate SpeedupKind { get; init; }
    public double SpeedupLo { get; init; } = double.NaN;
    public double SpeedupHi { get; init; } = double.NaN;
    public double SpeedupWithBaseLo { get; init; } = double.NaN;
    public double SpeedupWithBaseHi { get; init; } = double.NaN;
    public double SpeedupMedian { get; init; } = double.NaN;
    public MedianKind SpeedupMedianKind { get; init; }
    public string Statement { get; init; } = "";
}
