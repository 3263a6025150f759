using System.Text;
using Warmstart.Experiments;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>One claim's verdict: the statistic, its 95% interval and n, and the rule that decided it.</summary>
public sealed record VerdictRow(string Claim, string Verdict, string Statistic, double Value, double Lo, double Hi, int N,
    string Study, string Detail, string Rule);

/// <summary>
/// The paper's five claims (docs/research.md), decided from the results, never typed by hand.
/// Every verdict is <see cref="Reproduced"/>, <see cref="NotReproduced"/>, <see cref="Inconclusive"/>, or for claim 3
/// "not observed up to g = G" (<see cref="NotObserved"/>), a state of its own: no bound in the range tried is not
/// evidence against a bound beyond it. The general rule: REPRODUCED when the 95% interval of the claim's statistic
/// lies on the paper's side of the null value (or within an equivalence margin stated in advance, for an "as good"
/// claim); NOT REPRODUCED when it lies on the other side; INCONCLUSIVE otherwise — including one seed (no interval),
/// too few configurations, or a refused fit. "Best of several" is decided by paired contrasts with Holm's correction,
/// never by comparing interval ends, and a fitted law is judged on cells it was not fitted on. The per-claim rules
/// are written beside each method below and repeated in the <c>rule</c> column.
/// All statistics are paired by seed (<see cref="Pairing"/>) and computed on the selected tables
/// (<see cref="Selection"/>: one setting per configuration, chosen on held-out batches).
/// Which study feeds which claim in <see cref="Gather"/>: 1 ← ablation; 2, 3, 4a ← quick; 4b, 5 ← budget.
/// </summary>
public static class Verdicts
{
    public const string Reproduced = "reproduced", NotReproduced = "not reproduced", Inconclusive = "inconclusive", NotObserved = "not observed";
    /// <summary>
    /// Claim 3's equivalence margin, in nats per token, fixed before looking at the data: scratch counts as "as good"
    /// at a g when SZP's paired advantage there is credibly smaller than this. 0.02 nats is about a third of SZP's gain
    /// at g ≈ 2 in the CPU studies and about 1% of their final loss: a difference a reader would call negligible.
    /// </summary>
    public const double EquivalenceMargin = 0.02;

    public static readonly IReadOnlyDictionary<string, string> Claims = new Dictionary<string, string>
    {
        ["1"] = "Preserving the base's function after growth is not needed for good final loss",
        ["2"] = "SZP beats the function-preserving operator",
        ["3"] = "There is an upper bound on g beyond which scratch is as good or better",
        ["4"] = "g ≈ 2 is the most reliable; gains are largest at ≤ 20 TPP and shrink as the budget grows",
        ["4a"] = "g ≈ 2 is the most reliable growth factor",
        ["4b"] = "Gains shrink as the budget (TPP) grows",
        ["5"] = "Scaling-law fits predict when growth pays off",
    };

    /// <summary>The study (by folder name prefix) that feeds each claim, in order of preference.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Sources = new Dictionary<string, string[]>
    {
        ["1"] = ["ablation"], ["2"] = ["quick", "ablation"], ["3"] = ["quick"], ["4a"] = ["quick"], ["4b"] = ["budget"], ["5"] = ["budget"],
    };

    /// <summary>Every claim this study's data can address (selection applied first).</summary>
    public static List<VerdictRow> ForStudy(ResultTables results, string study)
    {
        var (selected, _) = Selection.BestPerConfiguration(results);
        var runs = selected.Runs.Where(Pairing.Usable).ToList();
        var rows = new List<VerdictRow>();
        bool hasSzp = runs.Any(r => r.Method == Method.Szp), hasFp = runs.Any(r => r.Method == Method.Fp);
        if (hasSzp && hasFp) { rows.Add(Claim1(runs, study)); rows.Add(Claim2(runs, study)); }
        if (hasSzp)
        {
            if (Claim3(selected, runs, study) is { } c3) rows.Add(c3);
            if (Claim4a(runs, study) is { } c4a) rows.Add(c4a);
            if (Claim4b(runs, study) is { } c4b) rows.Add(c4b);
            if (runs.Select(r => r.Tpp).Distinct().Count() >= 2) rows.Add(Claim5(runs, study));
        }
        return rows;
    }

    /// <summary>
    /// Gathers the verdicts across the study folders under <paramref name="resultsRoot"/> (each with a runs.csv): per
    /// claim the row from its designated study (<see cref="Sources"/>), else from any study that addresses it, plus
    /// claim 4 combined from 4a and 4b (reproduced if both are, not reproduced if either is not, else inconclusive).
    /// </summary>
    public static List<VerdictRow> Gather(string resultsRoot) => Gather(StudyFolders(resultsRoot));

    /// <summary>Every study folder under <paramref name="resultsRoot"/> that holds runs.csv and curves.csv, by name, loaded once.</summary>
    public static List<(string Study, ResultTables Tables)> StudyFolders(string resultsRoot) =>
        Directory.GetDirectories(resultsRoot).OrderBy(d => d, StringComparer.Ordinal)
            .Where(ResultTables.Exist)
            .Select(dir => (Path.GetFileName(dir), ResultTables.Read(dir)))
            .ToList();

    /// <summary>The same, for study folders already loaded.</summary>
    public static List<VerdictRow> Gather(IReadOnlyList<(string Study, ResultTables Tables)> studies) =>
        Choose(studies.Select(s => (s.Study, ForStudy(s.Tables, s.Study))).ToList());

    /// <summary>
    /// The README's verdicts from each study's own (<see cref="ForStudy"/>, already decided): per claim the study
    /// named for it, and claim 4 from 4a and 4b.
    /// </summary>
    public static List<VerdictRow> Choose(IReadOnlyList<(string Study, List<VerdictRow> Rows)> perStudy)
    {
        var chosen = new List<VerdictRow>();
        foreach (var claim in new[] { "1", "2", "3", "4a", "4b", "5" })
        {
            VerdictRow? pick = null;
            foreach (var prefix in Sources[claim])
            {
                // An exact name first ("quick"), then the first study whose name starts with it ("budget-quick").
                pick = perStudy.Where(s => s.Study == prefix).SelectMany(s => s.Rows).FirstOrDefault(r => r.Claim == claim)
                       ?? perStudy.Where(s => s.Study.StartsWith(prefix, StringComparison.Ordinal)).SelectMany(s => s.Rows).FirstOrDefault(r => r.Claim == claim);
                if (pick is not null) break;
            }
            pick ??= perStudy.SelectMany(s => s.Rows).FirstOrDefault(r => r.Claim == claim);
            chosen.Add(pick ?? new VerdictRow(claim, Inconclusive, "no study addresses this claim", double.NaN, double.NaN, double.NaN, 0, "", "", ""));
        }
        var a = chosen.Single(r => r.Claim == "4a");
        var b = chosen.Single(r => r.Claim == "4b");
        string combined = a.Verdict == Reproduced && b.Verdict == Reproduced ? Reproduced
            : a.Verdict == NotReproduced || b.Verdict == NotReproduced ? NotReproduced : Inconclusive;
        chosen.Insert(chosen.IndexOf(a), new VerdictRow("4", combined, "4a and 4b", double.NaN, double.NaN, double.NaN, Math.Min(a.N, b.N),
            string.Join(" + ", new[] { a.Study, b.Study }.Where(s => s.Length > 0).Distinct()), $"4a: {a.Verdict} (n = {a.N}); 4b: {b.Verdict} (n = {b.N})",
            "reproduced if 4a and 4b are; not reproduced if either is not; inconclusive otherwise"));
        return chosen;
    }

    // ---- Claim 1 -----------------------------------------------------------------------------------------------
    // Statistic: per seed, the mean over configurations (target, budget, g) of final loss(SZP) − final loss(fp);
    // t interval over seeds. Precondition: SZP really does not preserve the base's function — its loss right after
    // growth minus the base's final loss has an interval above 0 — otherwise the comparison says nothing about
    // preservation (inconclusive). REPRODUCED: precondition holds and the interval is below 0 (the non-preserving
    // start ends better). NOT REPRODUCED: the interval is above 0 (preserving ends better). INCONCLUSIVE otherwise.
    static VerdictRow Claim1(List<RunRow> runs, string study)
    {
        var d = PerSeedMethodDifference(runs, Method.Szp, Method.Fp);
        var byId = runs.ToDictionary(r => r.RunId);
        var gap = Stats.TInterval(runs.Where(r => r.Method == Method.Szp).GroupBy(r => r.Seed).Select(g =>
            g.Select(r => byId.TryGetValue(r.BaseId, out var b) ? r.InitialValLoss - b.FinalValLoss : double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()));
        string rule = "precondition: SZP's loss right after growth − base loss has a 95% interval > 0; reproduced if ΔL(SZP − fp) 95% interval < 0; " +
                      "not reproduced if > 0; inconclusive otherwise";
        string verdict = d.Hi < 0 && gap.Lo > 0 ? Reproduced : d.Lo > 0 ? NotReproduced : Inconclusive;
        string detail = $"SZP starts {Numbers.Interval(gap.Value, gap.Lo, gap.Hi)} nats above the base's loss (n = {gap.N})" +
                        (gap.Lo > 0 ? "" : gap.N < 2 ? "; one seed: no interval" : "; not clearly above: precondition unmet");
        return new VerdictRow("1", verdict, "ΔL final (SZP − fp), paired by seed", d.Value, d.Lo, d.Hi, d.N, study, detail, rule);
    }

    // ---- Claim 2 -----------------------------------------------------------------------------------------------
    // Statistic: as claim 1 (per seed, mean over every configuration of SZP − fp final loss), over all g of the study.
    // REPRODUCED: interval below 0. NOT REPRODUCED: above 0. INCONCLUSIVE otherwise.
    static VerdictRow Claim2(List<RunRow> runs, string study)
    {
        var d = PerSeedMethodDifference(runs, Method.Szp, Method.Fp);
        var perG = runs.Where(r => r.Method == Method.Szp).Select(r => Pairing.GKey(r.G)).Distinct().OrderBy(g => g)
            .Select(g => (g, e: Stats.TInterval(Pairing.Methods(runs, Method.Szp, Method.Fp).Where(p => Pairing.GKey(p.A.G) == g).Select(p => p.A.FinalValLoss - p.B.FinalValLoss))))
            .Select(t => $"g {t.g:0.##}: {Numbers.Interval(t.e.Value, t.e.Lo, t.e.Hi)}");
        return new VerdictRow("2", d.Hi < 0 ? Reproduced : d.Lo > 0 ? NotReproduced : Inconclusive,
            "ΔL final (SZP − fp), per-seed mean over g", d.Value, d.Lo, d.Hi, d.N, study, string.Join("; ", perG),
            "reproduced if the 95% interval < 0; not reproduced if > 0; inconclusive otherwise");
    }

    // ---- Claim 3 -----------------------------------------------------------------------------------------------
    // Statistic: per g (main target and budget), the paired ΔL(SZP − scratch) with its t interval over seeds.
    // REPRODUCED: at some tested g the interval lies above −δ (δ = EquivalenceMargin): there scratch is as good as
    // SZP, within a margin stated in advance; the statistic is the smallest such g. NOT OBSERVED UP TO g = G: every
    // tested g's interval is below 0 — SZP still wins at the largest g tried, which says nothing about larger g.
    // INCONCLUSIVE otherwise (including fewer than two seeds at a g). The iso-FLOP g_upper stays a detail, with its
    // bootstrap interval only from Stats.MinBootstrapSeeds seeds on.
    static VerdictRow? Claim3(ResultTables selected, List<RunRow> runs, string study)
    {
        var (model, tpp) = MainTarget(runs);
        var perG = DeltaByG(runs, model, tpp);
        if (perG.Count < 2) return null;
        double gMax = perG.Keys.Max();
        var equivalent = perG.Where(kv => kv.Value.N >= 2 && kv.Value.Lo > -EquivalenceMargin).Select(kv => kv.Key).OrderBy(g => g).ToList();
        bool allBelow = perG.Values.All(e => e.N >= 2 && e.Hi < 0);
        string verdict = equivalent.Count > 0 ? Reproduced : allBelow ? $"{NotObserved} up to g = {gMax:0.#}" : Inconclusive;
        double gShown = equivalent.Count > 0 ? equivalent[0] : gMax;
        var e = perG[gShown];
        string detail = string.Join("; ", perG.OrderBy(kv => kv.Key).Select(kv => $"g {kv.Key:0.##}: {Numbers.Interval(kv.Value.Value, kv.Value.Lo, kv.Value.Hi)}"))
                        + $"; {GUpperDetail(selected, model, tpp)}; target {model}, {tpp:0.#} TPP";
        string statistic = equivalent.Count > 0 ? $"ΔL final (SZP − scratch) at g = {gShown:0.##}, the smallest g within δ = {EquivalenceMargin}"
            : $"ΔL final (SZP − scratch) at the largest g = {gShown:0.##}";
        return new VerdictRow("3", verdict, statistic, e.Value, e.Lo, e.Hi, e.N, study, detail,
            $"per g, ΔL(SZP − scratch) paired by seed; reproduced if at some g its 95% interval lies above −δ (δ = {EquivalenceMargin} nats, " +
            "scratch as good within the margin); not observed up to the largest g if every g's interval is < 0; inconclusive otherwise");
    }

    /// <summary>The iso-FLOP g_upper at full compute, as a detail: its state, and its bootstrap interval where there are enough seeds.</summary>
    static string GUpperDetail(ResultTables selected, string model, double tpp)
    {
        var (_, fits) = IsoFlop.Compute(selected, Method.Szp, withBaseCompute: false);
        if (IsoFlop.ForTarget(IsoFlop.AtFullCompute(fits), model, tpp).FirstOrDefault() is not { } full) return "g_upper: no iso-FLOP fit";
        string value = full.GUpperState == GUpperState.Value ? $"{full.GUpper:0.##}" : Csv.Spelling(full.GUpperState);
        string interval = full.Seeds < Stats.MinBootstrapSeeds ? $"too few seeds ({full.Seeds} < {Stats.MinBootstrapSeeds}) for a bootstrap interval"
            : $"bootstrap 95% [{Numbers.Number(full.GUpperLo)}, {Numbers.Number(full.GUpperHi)}]";
        return $"iso-FLOP g_upper at full compute: {value} ({interval})";
    }

    // ---- Claim 4a ----------------------------------------------------------------------------------------------
    // Statistics: per budget of the main target, the paired ΔL(SZP − scratch) at g ≈ 2 (the g nearest 2, within
    // ×1.5), and the paired contrasts ΔL(g ≈ 2) − ΔL(g) against every other g, each with a two-sided t test over
    // seeds; the p-values of all contrasts (every budget) are corrected together with Holm's method.
    // NOT REPRODUCED: some other g's gain is significantly larger (a contrast > 0 after Holm) — the verdict names it —
    // or g ≈ 2's ΔL interval lies above 0 at some budget. REPRODUCED: g ≈ 2's ΔL interval is below 0 at every budget
    // and no other g does significantly better. INCONCLUSIVE otherwise.
    static VerdictRow? Claim4a(List<RunRow> runs, string study)
    {
        var (model, mainTpp) = MainTarget(runs);
        var budgets = runs.Where(r => r.Method == Method.Szp && r.Model == model).Select(r => r.Tpp).Distinct().OrderBy(t => t).ToList();
        var gains = new List<(double Tpp, double G2, Estimate Gain)>();
        var contrasts = new List<(double Tpp, double G, Estimate Contrast, double P)>();
        foreach (var tpp in budgets)
        {
            var bySeed = DeltaBySeedAndG(runs, model, tpp);
            var gs = bySeed.Keys.OrderBy(g => g).ToList();
            if (gs.Count < 2) continue;
            double g2 = gs.OrderBy(g => Math.Abs(Math.Log(g / 2))).First();
            if (Math.Abs(Math.Log(g2 / 2)) > Math.Log(1.5)) continue;
            gains.Add((tpp, g2, Stats.TInterval(bySeed[g2].Values)));
            foreach (var g in gs.Where(g => g != g2))
            {
                var c = bySeed[g2].Where(kv => bySeed[g].ContainsKey(kv.Key)).Select(kv => kv.Value - bySeed[g][kv.Key]).ToList();
                contrasts.Add((tpp, g, Stats.TInterval(c), Stats.TTestP(c)));
            }
        }
        if (gains.Count == 0) return null;
        var adjusted = Stats.Holm(contrasts.Select(c => c.P).ToList());
        const double alpha = 1 - Stats.Level;
        var better = contrasts.Select((c, i) => (c, p: adjusted[i])).Where(x => x.p <= alpha && x.c.Contrast.Value > 0).ToList();
        bool severalBudgets = gains.Count > 1;
        string At(double tpp) => severalBudgets ? $" at {tpp:0.#} TPP" : "";
        string verdict = better.Count > 0 || gains.Any(x => x.Gain.Lo > 0) ? NotReproduced
            : gains.All(x => x.Gain.N >= 2 && x.Gain.Hi < 0) ? Reproduced : Inconclusive;
        var main = gains.OrderBy(x => Math.Abs(x.Tpp - mainTpp)).First();
        var parts = new List<string>();
        if (better.Count > 0) parts.Add("does better than g ≈ 2: " + string.Join(", ", better.Select(x => $"g = {x.c.G:0.##}{At(x.c.Tpp)}")));
        foreach (var (tpp, g2, gain) in gains)
            parts.Add($"g {g2:0.##}{At(tpp)}: ΔL {Numbers.Interval(gain.Value, gain.Lo, gain.Hi)}; " + string.Join(", ", contrasts.Select((c, i) => (c, i))
                .Where(x => x.c.Tpp == tpp).Select(x => $"− g {x.c.G:0.##}: {Numbers.Interval(x.c.Contrast.Value, x.c.Contrast.Lo, x.c.Contrast.Hi)} (Holm p {Numbers.Number(adjusted[x.i])})")));
        return new VerdictRow("4a", verdict, $"ΔL final (SZP − scratch) at g = {main.G2:0.##}{At(main.Tpp)}", main.Gain.Value, main.Gain.Lo, main.Gain.Hi,
            main.Gain.N, study, string.Join("; ", parts) + $"; target {model}",
            "per budget, ΔL(SZP − scratch) at g ≈ 2 and the paired contrasts ΔL(g ≈ 2) − ΔL(g) for every other g, Holm-corrected; reproduced if " +
            "g ≈ 2's interval is < 0 at every budget and no other g's gain is significantly larger; not reproduced if one is (named) or g ≈ 2's " +
            "interval is > 0; inconclusive otherwise");
    }

    // ---- Claim 4b ----------------------------------------------------------------------------------------------
    // Statistic: for each cell (target, g, seed) with SZP runs at the study's smallest and largest budget, the
    // contrast ΔL(largest TPP) − ΔL(smallest TPP), ΔL = SZP − scratch of the same seed; averaged over the cells of
    // each seed, then a t interval over seeds (cells of one seed share its noise, so they are not replicates: one
    // seed gives no interval). A positive contrast means the gain shrinks as the budget grows.
    // REPRODUCED: interval > 0. NOT REPRODUCED: interval < 0 (gains grow with budget). INCONCLUSIVE otherwise.
    static VerdictRow? Claim4b(List<RunRow> runs, string study)
    {
        var szp = runs.Where(r => r.Method == Method.Szp).ToList();
        var budgets = szp.Select(r => r.Tpp).Distinct().OrderBy(t => t).ToList();
        if (budgets.Count < 2) return null;
        double tMin = budgets[0], tMax = budgets[^1];
        var delta = Pairing.WithScratch(runs, szp).ToDictionary(p => p.Warm.RunId, p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss);
        var contrasts = szp.Where(r => r.Tpp == tMax && delta.ContainsKey(r.RunId)).Select(hiRun =>
        {
            var loRun = szp.FirstOrDefault(r => r.Tpp == tMin && r.Model == hiRun.Model && Math.Abs(r.G - hiRun.G) < 1e-6 && r.Seed == hiRun.Seed && delta.ContainsKey(r.RunId));
            return (hiRun.Seed, Contrast: loRun is null ? double.NaN : delta[hiRun.RunId] - delta[loRun.RunId]);
        }).Where(c => double.IsFinite(c.Contrast)).ToList();
        var e = Stats.TInterval(contrasts.GroupBy(c => c.Seed).Select(g => g.Average(c => c.Contrast)));
        var cells = Stats.TInterval(contrasts.Select(c => c.Contrast));
        var perBudget = budgets.Select(t => (t, Stats.TInterval(szp.Where(r => r.Tpp == t && delta.ContainsKey(r.RunId)).Select(r => delta[r.RunId]))))
            .Select(x => $"{x.t:0.#} TPP: ΔL {Numbers.Interval(x.Item2.Value, x.Item2.Lo, x.Item2.Hi)} (n = {x.Item2.N})");
        return new VerdictRow("4b", e.Lo > 0 ? Reproduced : e.Hi < 0 ? NotReproduced : Inconclusive,
            $"ΔL({tMax:0.#} TPP) − ΔL({tMin:0.#} TPP), SZP − scratch, per-seed mean over (target, g)", e.Value, e.Lo, e.Hi, e.N, study,
            string.Join("; ", perBudget) + $"; over the {cells.N} (target, g, seed) cells: {Numbers.Interval(cells.Value, cells.Lo, cells.Hi)} (not seed replicates)",
            "reproduced if the 95% interval over seeds > 0 (gain shrinks with budget); not reproduced if < 0; inconclusive otherwise");
    }

    // ---- Claim 5 -----------------------------------------------------------------------------------------------
    // Statistic: out of sample. The laws of scratch and SZP are fitted without the largest target size (and, apart,
    // without the largest budget); each predicts ΔL = L_SZP − L_scratch at the held-out cells (target, budget), where
    // the observed ΔL is the per-seed mean over g of the paired differences, averaged over seeds (with its t
    // interval). The naive predictor is the mean observed ΔL of the cells the laws were fitted on. The statistic is
    // the law's mean absolute error over the held-out cells. REPRODUCED: the law's error is below the naive one in
    // both hold-outs. NOT REPRODUCED: it is not below in either. INCONCLUSIVE: mixed, no held-out cell, or a refused
    // fit (fewer than 3 distinct N or D, too few points). In-sample sign agreement is no test: when every cell's ΔL
    // has the same sign, any law that predicts that sign agrees everywhere.
    static VerdictRow Claim5(List<RunRow> runs, string study)
    {
        const string rule = "fit the laws without the largest target, and apart without the largest budget; reproduced if the law's mean " +
                            "absolute error on the held-out ΔL cells is below the naive predictor's (the fitted cells' mean ΔL) in both hold-outs; " +
                            "not reproduced if in neither; inconclusive if mixed or a fit is refused";
        const string statistic = "held-out |error| of the fitted ΔL (law), nats";
        var cells = ObservedCells(runs);
        double maxN = cells.Count == 0 ? double.NaN : cells.Max(c => c.N), maxTpp = cells.Count == 0 ? double.NaN : cells.Max(c => c.Tpp);
        var holdOuts = new (string Name, Func<RunRow, bool> Held)[]
        {
            ("without the largest target", r => r.Params == maxN),
            ("without the largest budget", r => r.Tpp == maxTpp),
        };
        var results = new List<(string Name, double Law, double Naive, int Cells, int Inside)>();
        var refusals = new List<string>();
        foreach (var (name, held) in holdOuts)
        {
            var fitted = runs.Where(r => !held(r)).ToList();
            var test = cells.Where(c => held(c.Example)).ToList();
            var train = cells.Where(c => !held(c.Example)).ToList();
            if (test.Count == 0 || train.Count == 0) { refusals.Add($"{name}: refused: no cell to hold out"); continue; }
            ScalingFit warm, scratch;
            try
            {
                warm = ScalingLaw.Fit(fitted.Where(r => r.Method == Method.Szp).Select(r => new LossPoint(r.Params, r.Tokens, r.FinalValLoss)).ToList());
                scratch = ScalingLaw.Fit(fitted.Where(r => r.Method == Method.Scratch).Select(r => new LossPoint(r.Params, r.Tokens, r.FinalValLoss)).ToList());
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                refusals.Add($"{name}: {(e.Message.StartsWith("refused", StringComparison.Ordinal) ? "" : "refused: ")}{e.Message}");
                continue;
            }
            double naive = train.Average(c => c.Delta.Value);
            var predicted = test.Select(c => (c, p: warm.Predict(c.N, c.D) - scratch.Predict(c.N, c.D))).ToList();
            results.Add((name, predicted.Average(x => Math.Abs(x.p - x.c.Delta.Value)), test.Average(c => Math.Abs(naive - c.Delta.Value)), test.Count,
                predicted.Count(x => x.p >= x.c.Delta.Lo && x.p <= x.c.Delta.Hi)));
        }
        string detail = string.Join("; ", results.Select(r =>
            $"{r.Name}: law {r.Law:0.0000} vs naive {r.Naive:0.0000} over {r.Cells} cell(s), {r.Inside} of {r.Cells} predictions inside the observed 95% interval")
            .Concat(refusals));
        if (refusals.Count > 0 || results.Count == 0)
            return new VerdictRow("5", Inconclusive, statistic, double.NaN, double.NaN, double.NaN, 0, study, detail, rule);
        int wins = results.Count(r => r.Law < r.Naive);
        string verdict = wins == results.Count ? Reproduced : wins == 0 ? NotReproduced : Inconclusive;
        int n = results.Sum(r => r.Cells);
        return new VerdictRow("5", verdict, statistic, results.Sum(r => r.Law * r.Cells) / n, double.NaN, double.NaN, n, study, detail, rule);
    }

    /// <summary>One (target, budget) cell of SZP − scratch: N, the SZP runs' tokens, the observed ΔL over seeds, and one of its runs.</summary>
    sealed record DeltaCell(double N, double Tpp, double D, Estimate Delta, RunRow Example);

    /// <summary>Per (target, budget): ΔL per seed (mean over g of the paired differences), with its t interval over seeds.</summary>
    static List<DeltaCell> ObservedCells(List<RunRow> runs) =>
        Pairing.WithScratch(runs, runs.Where(r => r.Method == Method.Szp)).GroupBy(p => (p.Warm.Params, p.Warm.Tpp))
            .Select(g => new DeltaCell(g.Key.Params, g.Key.Tpp, g.Average(p => p.Warm.Tokens),
                Stats.TInterval(g.GroupBy(p => p.Warm.Seed).Select(s => s.Average(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss))), g.First().Warm))
            .OrderBy(c => c.N).ThenBy(c => c.Tpp).ToList();

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>The target and budget most runs of SZP use, preferring 20 TPP and the largest target.</summary>
    static (string Model, double Tpp) MainTarget(List<RunRow> runs)
    {
        var szp = runs.Where(r => r.Method == Method.Szp).ToList();
        double tpp = szp.Select(r => r.Tpp).Distinct().OrderBy(t => Math.Abs(t - 20)).First();
        string model = szp.Where(r => r.Tpp == tpp).OrderByDescending(r => r.Params).First().Model;
        return (model, tpp);
    }

    /// <summary>Per g (key) and seed, ΔL = SZP − scratch of the same seed, for one target and budget.</summary>
    static Dictionary<double, Dictionary<double, double>> DeltaBySeedAndG(List<RunRow> runs, string model, double tpp) =>
        Pairing.WithScratch(runs, runs.Where(r => r.Method == Method.Szp && r.Model == model && r.Tpp == tpp))
            .GroupBy(p => Pairing.GKey(p.Warm.G))
            .ToDictionary(g => g.Key, g => g.GroupBy(p => p.Warm.Seed).ToDictionary(s => s.Key, s => s.Average(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss)));

    /// <summary>Per g, the t interval over seeds of ΔL = SZP − scratch, for one target and budget.</summary>
    static Dictionary<double, Estimate> DeltaByG(List<RunRow> runs, string model, double tpp) =>
        DeltaBySeedAndG(runs, model, tpp).ToDictionary(kv => kv.Key, kv => Stats.TInterval(kv.Value.Values));

    /// <summary>Per seed, the mean over configurations of final loss(a) − final loss(b); t interval over seeds.</summary>
    static Estimate PerSeedMethodDifference(List<RunRow> runs, Method a, Method b) =>
        Stats.TInterval(Pairing.Methods(runs, a, b).GroupBy(p => p.A.Seed).Select(g => g.Average(p => p.A.FinalValLoss - p.B.FinalValLoss)));

    /// <summary>
    /// A markdown table: claim, verdict, statistic, value [95% interval], n, and with <paramref name="withDetail"/> the
    /// study and the detail (every g's interval, the contrasts) — then the rules. The README keeps the short form; the
    /// notebooks and a report's verdicts.md carry the detail.
    /// </summary>
    public static string Markdown(IReadOnlyList<VerdictRow> rows, bool withRules = true, bool withDetail = true)
    {
        var sb = new StringBuilder();
        sb.AppendLine(withDetail ? "| claim | verdict | statistic | value [95% interval] | n | study | detail |" : "| claim | verdict | statistic | value [95% interval] | n |");
        sb.AppendLine(withDetail ? "|---|---|---|---|---|---|---|" : "|---|---|---|---|---|");
        foreach (var r in rows)
        {
            string claim = Claims.TryGetValue(r.Claim, out var text) ? $"{r.Claim}. {text}" : r.Claim;
            string cells = $"| {Esc(claim)}{(withDetail || r.Study.Length == 0 ? "" : $" (`{r.Study}`)")} | **{r.Verdict}** | {Esc(r.Statistic)} | {Numbers.Interval(r.Value, r.Lo, r.Hi)} | {r.N} |";
            sb.AppendLine(withDetail ? $"{cells} {Esc(r.Study)} | {Esc(r.Detail)} |" : cells);
        }
        if (withRules)
        {
            sb.AppendLine();
            sb.AppendLine("Rules (95% intervals over seeds; paired by seed; where a study tried several settings, one per configuration, chosen on held-out batches):");
            foreach (var r in rows.Where(r => r.Rule.Length > 0)) sb.AppendLine($"- {r.Claim}: {r.Rule}");
        }
        return sb.ToString();
        static string Esc(string s) => s.Replace("|", "\\|").Replace("\n", " ");
    }
}
