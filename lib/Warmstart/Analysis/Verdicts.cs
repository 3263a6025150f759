using System.Text;
using Microsoft.Data.Analysis;

namespace Warmstart.Analysis;

/// <summary>One claim's verdict: the statistic, its 95% interval and n, and the rule that decided it.</summary>
public sealed record VerdictRow(string Claim, string Verdict, string Statistic, double Value, double Lo, double Hi, int N,
    string Study, string Detail, string Rule);

/// <summary>
/// The paper's five claims (BRIEF "Claims to reproduce"), decided from the results, never typed by hand.
/// Every verdict is one of <see cref="Reproduced"/>, <see cref="NotReproduced"/>, <see cref="Inconclusive"/>, and the
/// general rule is: REPRODUCED when the 95% interval of the claim's statistic excludes the null value on the paper's
/// side; NOT REPRODUCED when it excludes it on the other side (or the data contradict the paper's statement);
/// INCONCLUSIVE otherwise — including one seed (no interval), too few configurations, or a refused fit. The per-claim
/// rules are written beside each method below and repeated in the <c>rule</c> column.
/// All statistics are paired by seed (warm − scratch, or SZP − function-preserving, of the same seed, target, budget
/// and g) and computed on the selected tables (<see cref="Selection"/>: best setting per configuration).
/// Which study feeds which claim in <see cref="Gather"/>: 1 ← ablation; 2, 3, 4a ← quick; 4b, 5 ← budget.
/// </summary>
public static class Verdicts
{
    public const string Reproduced = "reproduced", NotReproduced = "not reproduced", Inconclusive = "inconclusive";
    public const string Szp = "szp", Fp = "fp";

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
        var runs = selected.RunRows().Where(r => r.Status == "finished" && !r.Diverged && double.IsFinite(r.FinalValLoss)).ToList();
        var rows = new List<VerdictRow>();
        bool hasSzp = runs.Any(r => r.Method == Szp), hasFp = runs.Any(r => r.Method == Fp);
        if (hasSzp && hasFp) { rows.Add(Claim1(runs, study)); rows.Add(Claim2(runs, study)); }
        if (hasSzp)
        {
            if (Claim3(selected, runs, study) is { } c3) rows.Add(c3);
            if (Claim4a(runs, study) is { } c4a) rows.Add(c4a);
            if (Claim4b(runs, study) is { } c4b) rows.Add(c4b);
            if (runs.Select(r => r.Tpp).Distinct().Count() >= 2) rows.Add(Claim5(selected, runs, study));
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
            .Where(dir => File.Exists(Path.Combine(dir, "runs.csv")) && File.Exists(Path.Combine(dir, "curves.csv")))
            .Select(dir => (Path.GetFileName(dir), new ResultTables(Frames.Load(Path.Combine(dir, "runs.csv")), Frames.Load(Path.Combine(dir, "curves.csv")))))
            .ToList();

    /// <summary>The same, for study folders already loaded.</summary>
    public static List<VerdictRow> Gather(IReadOnlyList<(string Study, ResultTables Tables)> studies)
    {
        var perStudy = studies.Select(s => (s.Study, Rows: ForStudy(s.Tables, s.Study))).ToList();
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
            string.Join(" + ", new[] { a.Study, b.Study }.Where(s => s.Length > 0).Distinct()), $"4a: {a.Verdict}; 4b: {b.Verdict}",
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
        var d = PerSeedMethodDifference(runs, Szp, Fp);
        var byId = runs.ToDictionary(r => r.RunId);
        var gap = Stats.TInterval(runs.Where(r => r.Method == Szp).GroupBy(r => r.Seed).Select(g =>
            g.Select(r => byId.TryGetValue(r.BaseId, out var b) ? r.InitialValLoss - b.FinalValLoss : double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()));
        string rule = "precondition: SZP's loss right after growth − base loss has a 95% interval > 0; reproduced if ΔL(SZP − fp) 95% interval < 0; " +
                      "not reproduced if > 0; inconclusive otherwise";
        string verdict = d.Hi < 0 && gap.Lo > 0 ? Reproduced : d.Lo > 0 ? NotReproduced : Inconclusive;
        string detail = $"SZP starts {Display.Interval(gap.Value, gap.Lo, gap.Hi)} nats above the base's loss (n = {gap.N})" +
                        (gap.Lo > 0 ? "" : gap.N < 2 ? "; one seed: no interval" : "; not clearly above: precondition unmet");
        return new VerdictRow("1", verdict, "ΔL final (SZP − fp), paired by seed", d.Value, d.Lo, d.Hi, d.N, study, detail, rule);
    }

    // ---- Claim 2 -----------------------------------------------------------------------------------------------
    // Statistic: as claim 1 (per seed, mean over every configuration of SZP − fp final loss), over all g of the study.
    // REPRODUCED: interval below 0. NOT REPRODUCED: above 0. INCONCLUSIVE otherwise.
    static VerdictRow Claim2(List<RunRow> runs, string study)
    {
        var d = PerSeedMethodDifference(runs, Szp, Fp);
        var perG = runs.Where(r => r.Method == Szp).Select(r => Math.Round(r.G, 2)).Distinct().OrderBy(g => g)
            .Select(g => (g, e: Stats.TInterval(Pairs(runs, Szp, Fp).Where(p => Math.Round(p.A.G, 2) == g).Select(p => p.A.FinalValLoss - p.B.FinalValLoss))))
            .Select(t => $"g {t.g:0.##}: {Display.Interval(t.e.Value, t.e.Lo, t.e.Hi)}");
        return new VerdictRow("2", d.Hi < 0 ? Reproduced : d.Lo > 0 ? NotReproduced : Inconclusive,
            "ΔL final (SZP − fp), per-seed mean over g", d.Value, d.Lo, d.Hi, d.N, study, string.Join("; ", perG),
            "reproduced if the 95% interval < 0; not reproduced if > 0; inconclusive otherwise");
    }

    // ---- Claim 3 -----------------------------------------------------------------------------------------------
    // Statistics: the iso-FLOP g_upper of SZP at full compute (paper view: base compute excluded, scratch not a
    // point), with its bootstrap interval over seeds; and the paired ΔL(SZP − scratch) at the largest g studied.
    // REPRODUCED: scratch is as good or better at the largest g (ΔL interval > 0), or the fit gives an upper bound
    // (a value or "below the smallest g") in ≥ 97.5% of bootstrap resamples (interval's upper end finite).
    // NOT REPRODUCED: SZP still beats scratch at the largest g (ΔL interval < 0) — no bound within the studied range.
    // INCONCLUSIVE otherwise.
    static VerdictRow? Claim3(ResultTables selected, List<RunRow> runs, string study)
    {
        var (model, tpp) = MainTarget(runs);
        var szp = runs.Where(r => r.Method == Szp && r.Model == model && r.Tpp == tpp).ToList();
        if (szp.Select(r => Math.Round(r.G, 6)).Distinct().Count() < 3) return null;
        var (_, fits) = IsoFlop.Compute(selected, Szp, withBaseCompute: false);
        var full = IsoFlop.ForTarget(IsoFlop.AtFullCompute(fits), model, tpp);
        if (full.Rows.Count == 0) return null;
        double gUpper = Frames.Doubles(full, "g_upper")[0], lo = Frames.Doubles(full, "g_upper_lo")[0], hi = Frames.Doubles(full, "g_upper_hi")[0];
        string state = Frames.Strings(full, "g_upper_state")[0];
        bool interpolation = Frames.Bools(full, "interpolation")[0];
        double gMax = szp.Max(r => r.G);
        var last = Stats.TInterval(PairsWithScratch(runs, szp.Where(r => Math.Abs(r.G - gMax) < 1e-6)).Select(p => p.A.FinalValLoss - p.B.FinalValLoss));
        string verdict = last.Lo > 0 || (state is IsoFlop.Value or IsoFlop.BelowSmallest && double.IsFinite(hi)) ? Reproduced
            : last.Hi < 0 ? NotReproduced : Inconclusive;
        string detail = $"g_upper state: {state}{(interpolation ? " (interpolation: < 4 distinct g)" : "")}; " +
                        $"ΔL(SZP − scratch) at the largest g = {gMax:0.##}: {Display.Interval(last.Value, last.Lo, last.Hi)} (n = {last.N}); " +
                        $"target {model}, {tpp:0.#} TPP";
        int seeds = szp.Select(r => r.Seed).Distinct().Count();
        return new VerdictRow("3", verdict, $"g_upper (SZP, full compute){(state == IsoFlop.Value ? "" : $": {state}")}", gUpper, lo, hi, seeds, study, detail,
            "reproduced if ΔL(SZP − scratch) at the largest g has a 95% interval > 0, or g_upper's bootstrap 97.5% end is finite; " +
            "not reproduced if ΔL at the largest g has an interval < 0; inconclusive otherwise");
    }

    // ---- Claim 4a ----------------------------------------------------------------------------------------------
    // Statistic: paired ΔL(SZP − scratch) per g (main target and budget); the g nearest 2 is "g ≈ 2" (within ×1.5).
    // REPRODUCED: g ≈ 2's interval is below 0 and its upper end is the lowest of all g (the most reliably negative).
    // NOT REPRODUCED: g ≈ 2's interval is above 0, or another g's interval is below 0 while g ≈ 2's is not.
    // INCONCLUSIVE otherwise.
    static VerdictRow? Claim4a(List<RunRow> runs, string study)
    {
        var (model, tpp) = MainTarget(runs);
        var szp = runs.Where(r => r.Method == Szp && r.Model == model && r.Tpp == tpp).ToList();
        var gs = szp.Select(r => Math.Round(r.G, 6)).Distinct().OrderBy(g => g).ToList();
        if (gs.Count < 2) return null;
        double g2 = gs.OrderBy(g => Math.Abs(Math.Log(g / 2))).First();
        if (Math.Abs(Math.Log(g2 / 2)) > Math.Log(1.5)) return null;
        var perG = gs.ToDictionary(g => g, g => Stats.TInterval(PairsWithScratch(runs, szp.Where(r => Math.Round(r.G, 6) == g))
            .Select(p => p.A.FinalValLoss - p.B.FinalValLoss)));
        var e = perG[g2];
        bool lowestUpper = perG.Where(kv => kv.Key != g2).All(kv => !(kv.Value.Hi < e.Hi));
        bool otherBetter = perG.Any(kv => kv.Key != g2 && kv.Value.Hi < 0) && !(e.Hi < 0);
        string verdict = e.Hi < 0 && lowestUpper ? Reproduced : e.Lo > 0 || otherBetter ? NotReproduced : Inconclusive;
        string detail = string.Join("; ", perG.Select(kv => $"g {kv.Key:0.##}: {Display.Interval(kv.Value.Value, kv.Value.Lo, kv.Value.Hi)}"))
                        + $"; target {model}, {tpp:0.#} TPP";
        return new VerdictRow("4a", verdict, $"ΔL final (SZP − scratch) at g = {g2:0.##}", e.Value, e.Lo, e.Hi, e.N, study, detail,
            "reproduced if ΔL at g ≈ 2 has a 95% interval < 0 with the lowest upper end of all g; not reproduced if it is > 0 or " +
            "another g has an interval < 0 while g ≈ 2 has not; inconclusive otherwise");
    }

    // ---- Claim 4b ----------------------------------------------------------------------------------------------
    // Statistic: for each cell (target, g, seed) with SZP runs at the study's smallest and largest budget, the
    // contrast ΔL(largest TPP) − ΔL(smallest TPP), ΔL = SZP − scratch of the same seed; averaged over the cells of
    // each seed, then a t interval over seeds (cells of one seed share its noise, so they are not replicates: one
    // seed gives no interval). A positive contrast means the gain shrinks as the budget grows.
    // REPRODUCED: interval > 0. NOT REPRODUCED: interval < 0 (gains grow with budget). INCONCLUSIVE otherwise.
    static VerdictRow? Claim4b(List<RunRow> runs, string study)
    {
        var szp = runs.Where(r => r.Method == Szp).ToList();
        var budgets = szp.Select(r => r.Tpp).Distinct().OrderBy(t => t).ToList();
        if (budgets.Count < 2) return null;
        double tMin = budgets[0], tMax = budgets[^1];
        var delta = PairsWithScratch(runs, szp).ToDictionary(p => p.A.RunId, p => p.A.FinalValLoss - p.B.FinalValLoss);
        var contrasts = szp.Where(r => r.Tpp == tMax && delta.ContainsKey(r.RunId)).Select(hiRun =>
        {
            var loRun = szp.FirstOrDefault(r => r.Tpp == tMin && r.Model == hiRun.Model && Math.Abs(r.G - hiRun.G) < 1e-6 && r.Seed == hiRun.Seed && delta.ContainsKey(r.RunId));
            return (hiRun.Seed, Contrast: loRun is null ? double.NaN : delta[hiRun.RunId] - delta[loRun.RunId]);
        }).Where(c => double.IsFinite(c.Contrast)).ToList();
        var e = Stats.TInterval(contrasts.GroupBy(c => c.Seed).Select(g => g.Average(c => c.Contrast)));
        var cells = Stats.TInterval(contrasts.Select(c => c.Contrast));
        var perBudget = budgets.Select(t => (t, Stats.TInterval(szp.Where(r => r.Tpp == t && delta.ContainsKey(r.RunId)).Select(r => delta[r.RunId]))))
            .Select(x => $"{x.t:0.#} TPP: ΔL {Display.Interval(x.Item2.Value, x.Item2.Lo, x.Item2.Hi)} (n = {x.Item2.N})");
        return new VerdictRow("4b", e.Lo > 0 ? Reproduced : e.Hi < 0 ? NotReproduced : Inconclusive,
            $"ΔL({tMax:0.#} TPP) − ΔL({tMin:0.#} TPP), SZP − scratch, per-seed mean over (target, g)", e.Value, e.Lo, e.Hi, e.N, study,
            string.Join("; ", perBudget) + $"; over the {cells.N} (target, g, seed) cells: {Display.Interval(cells.Value, cells.Lo, cells.Hi)} (not seed replicates)",
            "reproduced if the 95% interval over seeds > 0 (gain shrinks with budget); not reproduced if < 0; inconclusive otherwise");
    }

    // ---- Claim 5 -----------------------------------------------------------------------------------------------
    // Statistic: with the scaling laws of scratch and SZP fitted on this study, the fraction of observed
    // configurations (target, budget) whose predicted sign of ΔL = L_SZP − L_scratch matches the observed sign of
    // the mean paired ΔL; Clopper–Pearson interval. INCONCLUSIVE when either law is refused (< 3 distinct N or D,
    // too few points or budgets) or has a parameter at its bound (not identified). REPRODUCED: the interval's lower
    // end > 0.5. NOT REPRODUCED: its upper end < 0.5. INCONCLUSIVE otherwise. (An in-sample check: the same runs fit
    // the laws; a held-out check needs more budgets.)
    static VerdictRow Claim5(ResultTables selected, List<RunRow> runs, string study)
    {
        const string rule = "inconclusive if a law is refused or has a parameter at a bound; else reproduced if the Clopper–Pearson 95% " +
                            "interval of sign agreement (predicted vs observed ΔL per target and budget) has lower end > 0.5, not reproduced if upper end < 0.5";
        ScalingFit scratch, warm;
        try { warm = ScalingLaw.Fit(ScalingLaw.PointsFor(selected, Szp)); scratch = ScalingLaw.Fit(ScalingLaw.PointsFor(selected, "scratch")); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return new VerdictRow("5", Inconclusive, "sign agreement of fitted vs observed ΔL", double.NaN, double.NaN, double.NaN, 0, study, e.Message, rule);
        }
        var bounds = ScalingLaw.AtBounds(scratch).Select(b => "scratch " + b).Concat(ScalingLaw.AtBounds(warm).Select(b => "szp " + b)).ToList();
        var configs = PairsWithScratch(runs, runs.Where(r => r.Method == Szp)).GroupBy(p => (p.A.Params, p.A.Tpp))
            .Select(g => (Observed: g.Average(p => p.A.FinalValLoss - p.B.FinalValLoss),
                          Predicted: warm.Predict(g.Key.Params, g.First().A.Tokens) - scratch.Predict(g.Key.Params, g.First().A.Tokens))).ToList();
        int k = configs.Count(c => Math.Sign(c.Observed) == Math.Sign(c.Predicted)), n = configs.Count;
        var (lo, hi) = Stats.ClopperPearson(k, n);
        string verdict = bounds.Count > 0 ? Inconclusive : lo > 0.5 ? Reproduced : hi < 0.5 ? NotReproduced : Inconclusive;
        string detail = $"{k} of {n} (target, budget) configurations agree in sign" + (bounds.Count > 0 ? "; not identified: " + string.Join("; ", bounds) : "");
        return new VerdictRow("5", verdict, "sign agreement of fitted vs observed ΔL", n == 0 ? double.NaN : (double)k / n, lo, hi, n, study, detail, rule);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>The target and budget most runs of SZP use, preferring 20 TPP and the largest target.</summary>
    static (string Model, double Tpp) MainTarget(List<RunRow> runs)
    {
        var szp = runs.Where(r => r.Method == Szp).ToList();
        double tpp = szp.Select(r => r.Tpp).Distinct().OrderBy(t => Math.Abs(t - 20)).First();
        string model = szp.Where(r => r.Tpp == tpp).OrderByDescending(r => r.Params).First().Model;
        return (model, tpp);
    }

    /// <summary>Runs of methods a and b at the same target, budget, g and seed.</summary>
    static IEnumerable<(RunRow A, RunRow B)> Pairs(List<RunRow> runs, string a, string b) =>
        from x in runs.Where(r => r.Method == a)
        from y in runs.Where(r => r.Method == b)
        where x.Model == y.Model && x.Tpp == y.Tpp && Math.Abs(x.G - y.G) < 1e-6 && x.Seed == y.Seed
        select (x, y);

    /// <summary>Warm runs with the scratch run of the same target, budget and seed (unpaired ones are left out).</summary>
    static IEnumerable<(RunRow A, RunRow B)> PairsWithScratch(List<RunRow> runs, IEnumerable<RunRow> warms) =>
        from w in warms
        let s = runs.FirstOrDefault(r => r.Method == "scratch" && r.Model == w.Model && r.Tpp == w.Tpp && r.Seed == w.Seed)
        where s is not null
        select (w, s);

    /// <summary>Per seed, the mean over configurations of final loss(a) − final loss(b); t interval over seeds.</summary>
    static Estimate PerSeedMethodDifference(List<RunRow> runs, string a, string b) =>
        Stats.TInterval(Pairs(runs, a, b).GroupBy(p => p.A.Seed).Select(g => g.Average(p => p.A.FinalValLoss - p.B.FinalValLoss)));

    public static DataFrame ToFrame(IEnumerable<VerdictRow> rows) => Frames.FromRecords(rows);

    /// <summary>A markdown table: claim, verdict, statistic, value [95% interval], n, study — then the rules.</summary>
    public static string Markdown(IReadOnlyList<VerdictRow> rows, bool withRules = true)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| claim | verdict | statistic | value [95% interval] | n | study | detail |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            string claim = Claims.TryGetValue(r.Claim, out var text) ? $"{r.Claim}. {text}" : r.Claim;
            sb.AppendLine($"| {Esc(claim)} | **{r.Verdict}** | {Esc(r.Statistic)} | {Display.Interval(r.Value, r.Lo, r.Hi)} | {r.N} | {Esc(r.Study)} | {Esc(r.Detail)} |");
        }
        if (withRules)
        {
            sb.AppendLine();
            sb.AppendLine("Rules (95% intervals; paired by seed; best setting per configuration):");
            foreach (var r in rows.Where(r => r.Rule.Length > 0)) sb.AppendLine($"- {r.Claim}: {r.Rule}");
        }
        return sb.ToString();
        static string Esc(string s) => s.Replace("|", "\\|").Replace("\n", " ");
    }
}
