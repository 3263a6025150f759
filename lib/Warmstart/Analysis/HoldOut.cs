using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// One line of claim 5's out-of-sample table (analysis/holdout.csv): for one hold-out, one predictor's mean absolute
/// error on the held-out ΔL cells, as the mean over seeds with its 95% t interval (nats); or, on the row named
/// <see cref="HoldOut.LawMinusBest"/>, the per-seed difference between the law's error and the best baseline's, which
/// is what claim 5's verdict reads. <c>Cells</c>: held-out (target, budget) cells; <c>Seeds</c>: seeds with every one
/// of them; <c>Note</c>: a parameter at its bound, or why the hold-out has no error (then the values are NaN).
/// </summary>
public sealed record HoldOutRow(string HoldOut, string Predictor, int Cells, int Seeds, double Value, double Lo, double Hi, string Note);

/// <summary>
/// One hold-out of claim 5, per seed: the scaling laws' mean absolute error on the held-out cells and each budget-aware
/// baseline's that applies to every seed (<see cref="Baselines"/>, in the order tried; <see cref="Skipped"/> names
/// those that do not apply, and why). <see cref="Refused"/> says why there is no error (no cell to hold out or none
/// left to fit on, a refused fit, no seed with every held-out cell), else null.
/// </summary>
public sealed record HoldOutErrors(string Name, int Cells, IReadOnlyList<string> AtBounds, string? Refused,
    IReadOnlyList<double> Law, IReadOnlyList<(string Name, IReadOnlyList<double> PerSeed)> Baselines,
    IReadOnlyList<(string Name, string Why)> Skipped)
{
    /// <summary>
    /// The baseline with the lower mean error; the first tried where the two agree to rounding (they can be equal in
    /// exact arithmetic, and the last bits must not choose the label a reader sees).
    /// </summary>
    public (string Name, IReadOnlyList<double> PerSeed) Best
    {
        get
        {
            var best = Baselines[0];
            foreach (var b in Baselines.Skip(1))
            {
                double m = b.PerSeed.Average(), bestMean = best.PerSeed.Average();
                if (m < bestMean - 1e-12 * Math.Max(Math.Abs(m), Math.Abs(bestMean))) best = b;
            }
            return best;
        }
    }

    /// <summary>Law − best baseline, per seed, with its 95% t interval.</summary>
    public Estimate Difference => Stats.TInterval(Law.Zip(Best.PerSeed, (l, b) => l - b));
}

/// <summary>Claim 5's two hold-outs on one study, and whether the observed ΔL take both signs (a zero contour within the data).</summary>
public sealed record HoldOutComparison(IReadOnlyList<HoldOutErrors> HoldOuts, bool BothSigns)
{
    /// <summary>The table a report writes: per hold-out the law, each baseline, and law − best baseline.</summary>
    public List<HoldOutRow> Rows()
    {
        var rows = new List<HoldOutRow>();
        foreach (var h in HoldOuts)
        {
            string bounds = string.Join("; ", h.AtBounds);
            if (h.Refused is not null)
            {
                rows.Add(new(h.Name, HoldOut.Law, h.Cells, 0, double.NaN, double.NaN, double.NaN, string.Join("; ", new[] { bounds, h.Refused }.Where(s => s.Length > 0))));
                continue;
            }
            int seeds = h.Law.Count;
            var law = Stats.TInterval(h.Law);
            rows.Add(new(h.Name, HoldOut.Law, h.Cells, seeds, law.Value, law.Lo, law.Hi, bounds));
            foreach (var (name, perSeed) in h.Baselines)
            {
                var e = Stats.TInterval(perSeed);
                rows.Add(new(h.Name, name, h.Cells, seeds, e.Value, e.Lo, e.Hi, ""));
            }
            foreach (var (name, why) in h.Skipped)
                rows.Add(new(h.Name, name, h.Cells, 0, double.NaN, double.NaN, double.NaN, "does not apply: " + why));
            var d = h.Difference;
            rows.Add(new(h.Name, $"{HoldOut.LawMinusBest} ({h.Best.Name})", h.Cells, seeds, d.Value, d.Lo, d.Hi, ""));
        }
        return rows;
    }
}

/// <summary>
/// Claim 5 out of sample: the scaling laws of scratch and the warm method are fitted without the largest target size
/// (and, apart, without the largest budget), once, on every seed's runs; each predicts ΔL = L_warm − L_scratch at the
/// held-out (target, budget) cells. Baselines, per seed, from the kept cells' observed ΔL: the per-budget mean (only
/// where a kept cell has the held-out cell's budget) and ΔL = a + b·ln TPP by least squares. Per seed, each
/// predictor's mean absolute error over the held-out cells against that seed's observed ΔL (the mean over g of the
/// paired differences). The law has no g term: it predicts ΔL per (N, D), pooled over g.
/// </summary>
public static class HoldOut
{
    public const string Law = "scaling law";
    public const string PerBudgetMean = "per-budget mean";
    public const string LogLinear = "log-linear in TPP";
    public const string LawMinusBest = "law − best baseline";

    /// <summary>
    /// The comparison on a study's results as its verdicts read them (one setting per configuration, usable runs); null
    /// where claim 5 does not apply (no warm method, or a single budget).
    /// </summary>
    public static HoldOutComparison? Of(ResultTables results)
    {
        var runs = Selection.BestPerConfiguration(results).Selected.Runs.Where(Pairing.Usable).ToList();
        var rivals = Verdicts.Rivals.Of(runs);
        return Applies(runs, rivals.Warm) ? Compare(runs, rivals) : null;
    }

    /// <summary>Whether claim 5 can be asked of these runs: the warm method trained, at two budgets or more.</summary>
    public static bool Applies(IReadOnlyCollection<RunRow> runs, Method warm) =>
        runs.Any(r => r.Method == warm) && runs.Select(r => r.Tpp).Distinct().Count() >= 2;

    /// <summary>Both hold-outs on these runs (already selected and usable), for the rivals' warm method.</summary>
    public static HoldOutComparison Compare(List<RunRow> runs, Verdicts.Rivals rivals)
    {
        var warm = rivals.Warm;
        var cells = ObservedCells(runs, warm);
        var perSeed = SeedCells(runs, warm);
        double maxN = cells.Count == 0 ? double.NaN : cells.Max(c => c.N), maxTpp = cells.Count == 0 ? double.NaN : cells.Max(c => c.Tpp);
        var holdOuts = new (string Name, Func<RunRow, bool> Held)[]
        {
            ("without the largest target", r => r.Params == maxN),
            ("without the largest budget", r => r.Tpp == maxTpp),
        };
        var results = holdOuts.Select(h => ErrorsWithout(h.Name, h.Held, runs, rivals, cells, perSeed)).ToList();
        bool bothSigns = cells.Any(c => c.Delta.Value < 0) && cells.Any(c => c.Delta.Value > 0);
        return new HoldOutComparison(results, bothSigns);
    }

    /// <summary>One hold-out: the cells <paramref name="held"/> picks are predicted by laws fitted on the other runs.</summary>
    static HoldOutErrors ErrorsWithout(string name, Func<RunRow, bool> held, List<RunRow> runs, Verdicts.Rivals rivals, List<DeltaCell> cells,
        Dictionary<double, Dictionary<(double N, double Tpp), double>> perSeed)
    {
        var warm = rivals.Warm;
        var test = cells.Where(c => held(c.Example)).ToList();
        var train = cells.Where(c => !held(c.Example)).ToList();
        HoldOutErrors NoError(string why, IReadOnlyList<string>? bounds = null) => new(name, test.Count, bounds ?? [], why, [], [], []);
        if (test.Count == 0) return NoError("refused: no cell to hold out");
        if (train.Count == 0) return NoError("refused: no cell left to fit on");
        var fitted = runs.Where(r => !held(r)).ToList();
        ScalingFit warmFit, scratchFit;
        try
        {
            warmFit = ScalingLaw.Fit(fitted.Where(r => r.Method == warm).Select(r => new LossPoint(r.Params, r.Tokens, r.FinalValLoss)).ToList());
            scratchFit = ScalingLaw.Fit(fitted.Where(r => r.Method == Method.Scratch).Select(r => new LossPoint(r.Params, r.Tokens, r.FinalValLoss)).ToList());
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return NoError(e.Message.StartsWith("refused", StringComparison.Ordinal) ? e.Message : "refused: " + e.Message);
        }
        var bounds = ScalingLaw.AtBounds(warmFit).Select(b => $"{rivals.WarmName}'s {b}").Concat(ScalingLaw.AtBounds(scratchFit).Select(b => $"scratch's {b}")).ToList();
        var law = test.ToDictionary(c => (c.N, c.Tpp), c => warmFit.Predict(c.N, c.D) - scratchFit.Predict(c.N, c.D));
        var lawErr = new List<double>();
        var baselineErr = new List<(string Name, List<double> PerSeed)> { (PerBudgetMean, []), (LogLinear, []) };
        var seeds = perSeed.Keys.Where(sd => test.All(c => perSeed[sd].ContainsKey((c.N, c.Tpp)))).Order().ToList();
        bool perBudgetApplies = test.All(c => train.Any(t => t.Tpp == c.Tpp));
        foreach (var seed in seeds)
        {
            var mine = perSeed[seed];
            var kept = train.Where(c => mine.ContainsKey((c.N, c.Tpp))).ToList();
            double Observed(DeltaCell c) => mine[(c.N, c.Tpp)];
            lawErr.Add(test.Average(c => Math.Abs(law[(c.N, c.Tpp)] - Observed(c))));
            if (perBudgetApplies)
                baselineErr[0].PerSeed.Add(test.Average(c => Math.Abs(kept.Where(t => t.Tpp == c.Tpp).Select(Observed).DefaultIfEmpty(double.NaN).Average() - Observed(c))));
            var (a, b) = LeastSquares(kept.Select(c => Math.Log(c.Tpp)).ToList(), kept.Select(Observed).ToList());
            baselineErr[1].PerSeed.Add(test.Average(c => Math.Abs(a + b * Math.Log(c.Tpp) - Observed(c))));
        }
        var candidates = baselineErr.Where(b => b.PerSeed.Count == seeds.Count && b.PerSeed.Count > 0 && b.PerSeed.All(double.IsFinite))
            .Select(b => (b.Name, (IReadOnlyList<double>)b.PerSeed)).ToList();
        if (seeds.Count == 0 || candidates.Count == 0) return NoError("no seed has every held-out cell", bounds);
        var skipped = perBudgetApplies ? new List<(string, string)>() : [(PerBudgetMean, "no fitted cell has the held-out budget")];
        return new HoldOutErrors(name, test.Count, bounds, null, lawErr, candidates, skipped);
    }

    /// <summary>y = a + b·x by least squares (b = 0 where every x is the same).</summary>
    static (double A, double B) LeastSquares(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx));
        double b = sxx == 0 ? 0 : x.Zip(y, (u, v) => (u - mx) * (v - my)).Sum() / sxx;
        return (my - b * mx, b);
    }

    /// <summary>Per seed, per (target N, budget): the observed ΔL = warm − scratch, the mean over g of the paired differences.</summary>
    static Dictionary<double, Dictionary<(double N, double Tpp), double>> SeedCells(List<RunRow> runs, Method warm) =>
        Pairing.WithScratch(runs, runs.Where(r => r.Method == warm)).GroupBy(p => p.Warm.Seed)
            .ToDictionary(s => s.Key, s => s.GroupBy(p => (p.Warm.Params, p.Warm.Tpp))
                .ToDictionary(c => c.Key, c => c.Average(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss)));

    /// <summary>One (target, budget) cell of warm − scratch: N, the warm runs' tokens, the observed ΔL over seeds, and one of its runs.</summary>
    sealed record DeltaCell(double N, double Tpp, double D, Estimate Delta, RunRow Example);

    /// <summary>Per (target, budget): ΔL per seed (mean over g of the paired differences), with its t interval over seeds.</summary>
    static List<DeltaCell> ObservedCells(List<RunRow> runs, Method warm) =>
        Pairing.WithScratch(runs, runs.Where(r => r.Method == warm)).GroupBy(p => (p.Warm.Params, p.Warm.Tpp))
            .Select(g => new DeltaCell(g.Key.Params, g.Key.Tpp, g.Average(p => p.Warm.Tokens),
                Stats.TInterval(g.GroupBy(p => p.Warm.Seed).Select(s => s.Average(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss))), g.First().Warm))
            .OrderBy(c => c.N).ThenBy(c => c.Tpp).ToList();
}
