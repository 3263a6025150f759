using Warmstart.Experiments;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>One claim's verdict: the statistic, its 95% interval and n, and the rule that decided it.</summary>
public sealed record VerdictRow(string Claim, Verdict Verdict, string Statistic, double Value, double Lo, double Hi, int N,
    string Study, string Detail, string Rule);

/// <summary>
/// The paper's five claims (docs/research.md), decided from the results, never typed by hand.
/// Every verdict is <see cref="Outcome.Reproduced"/>, <see cref="Outcome.NotReproduced"/>, <see cref="Outcome.Inconclusive"/>, or for claim 3
/// "not observed up to g = G" (<see cref="Outcome.NotObserved"/>), a state of its own: no bound in the range tried is not
/// evidence against a bound beyond it. The general rule: REPRODUCED when the 95% interval of the claim's statistic
/// lies on the paper's side of the null value (or within an equivalence margin stated in advance, for an "as good"
/// claim); NOT REPRODUCED when it lies on the other side; INCONCLUSIVE otherwise — including one seed (no interval),
/// too few configurations, or a refused fit. "Best of several" is decided by paired contrasts with Holm's correction,
/// never by comparing interval ends, and a fitted law is judged on cells it was not fitted on. The per-claim rules
/// are written beside each method below and repeated in the <c>rule</c> column.
/// All statistics are paired by seed (<see cref="Pairing"/>) and computed on the selected tables
/// (<see cref="Selection"/>: one setting per configuration, chosen on held-out batches).
/// Which study decides which claim in <see cref="Gather"/> is each <see cref="Study"/>'s <c>Decides</c>: 1 ← ablation;
/// 2, 3 ← the growth study; 4a, 4b, 5 ← budget.
/// Claims 3, 4a and 5 and the controls follow the rules registered on 2026-12-07 (docs/research.md).
/// </summary>
public static class Verdicts
{
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


    /// <summary>
    /// The methods a study's claims compare: SZP and the function-preserving rival — across width (SZP, fp) or, in a
    /// study that grows depth, on depth (SZP on depth, identity blocks) — and the names the verdicts give them.
    /// </summary>
    public sealed record Rivals(Method Warm, Method Preserving, string WarmName, string PreservingName)
    {
        public static readonly Rivals Width = new(Method.Szp, Method.Fp, "SZP", "fp");
        public static readonly Rivals Depth = new(Method.SzpDepth, Method.Identity, "SZP on depth", "identity");

        /// <summary>The comparison a study's runs make: on depth where SZP grew depth, across width otherwise.</summary>
        public static Rivals Of(IEnumerable<RunRow> runs) => runs.Any(r => r.Method == Method.SzpDepth) ? Depth : Width;
    }

    /// <summary>
    /// Every claim this study's data can address (selection applied first), on width or on depth (<see cref="Rivals"/>).
    /// Claim 5 reads <paramref name="holdOut"/> where the caller has computed it (<see cref="HoldOut.Of"/> on the same
    /// results; its four fits take up to a minute of CPU), otherwise computes it.
    /// </summary>
    public static List<VerdictRow> ForStudy(ResultTables results, string study, HoldOutComparison? holdOut = null)
    {
        var (selected, _) = Selection.BestPerConfiguration(results);
        var runs = selected.Runs.Where(Pairing.Usable).ToList();
        var c = Rivals.Of(runs);
        var rows = new List<VerdictRow>();
        bool hasSzp = runs.Any(r => r.Method == c.Warm), hasFp = runs.Any(r => r.Method == c.Preserving);
        if (hasSzp && hasFp) { rows.Add(Claim1(runs, study, c)); rows.Add(Claim2(runs, study, c)); }
        if (hasSzp)
        {
            if (Claim3(selected, runs, study, c) is { } c3) rows.Add(c3);
            if (Claim4a(runs, study, c) is { } c4a) rows.Add(c4a);
            if (Claim4b(runs, study, c) is { } c4b) rows.Add(c4b);
            if (HoldOut.Applies(runs, c.Warm)) rows.Add(Claim5(holdOut ?? HoldOut.Compare(runs, c), study));
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
            // The studies that decide the claim (Studies.Deciding), first choice first; a study folder is matched by its
            // preset name ("budget-quick"). Failing those, any study that addresses it.
            VerdictRow? pick = Studies.Deciding(claim)
                .SelectMany(study => perStudy.Where(s => Studies.OfPreset(s.Study)?.Study == study))
                .SelectMany(s => s.Rows).FirstOrDefault(r => r.Claim == claim);
            pick ??= perStudy.SelectMany(s => s.Rows).FirstOrDefault(r => r.Claim == claim);
            chosen.Add(pick ?? new VerdictRow(claim, Verdict.Inconclusive, "no study addresses this claim", double.NaN, double.NaN, double.NaN, 0, "", "", ""));
        }
        var a = chosen.Single(r => r.Claim == "4a");
        var b = chosen.Single(r => r.Claim == "4b");
        var combined = a.Verdict == Verdict.Reproduced && b.Verdict == Verdict.Reproduced ? Verdict.Reproduced
            : a.Verdict == Verdict.NotReproduced || b.Verdict == Verdict.NotReproduced ? Verdict.NotReproduced : Verdict.Inconclusive;
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
    static VerdictRow Claim1(List<RunRow> runs, string study, Rivals c)
    {
        var d = PerSeedMethodDifference(runs, c.Warm, c.Preserving);
        var byId = runs.ToDictionary(r => r.RunId);
        var gap = Stats.TInterval(runs.Where(r => r.Method == c.Warm).GroupBy(r => r.Seed).Select(g =>
            g.Select(r => byId.TryGetValue(r.BaseId, out var b) ? r.InitialValLoss - b.FinalValLoss : double.NaN).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()));
        string rule = $"precondition: {c.WarmName}'s loss right after growth − base loss has a 95% interval > 0; reproduced if ΔL({c.WarmName} − {c.PreservingName}) 95% interval < 0; " +
                      "not reproduced if > 0; inconclusive otherwise";
        var verdict = d.Hi < 0 && gap.Lo > 0 ? Verdict.Reproduced : d.Lo > 0 ? Verdict.NotReproduced : Verdict.Inconclusive;
        string detail = $"{c.WarmName} starts {Numbers.Interval(gap.Value, gap.Lo, gap.Hi)} nats above the base's loss (n = {gap.N})" +
                        (gap.Lo > 0 ? "" : gap.N < 2 ? "; one seed: no interval" : "; not clearly above: precondition unmet");
        return new VerdictRow("1", verdict, $"ΔL final ({c.WarmName} − {c.PreservingName}), paired by seed", d.Value, d.Lo, d.Hi, d.N, study, detail, rule);
    }

    // ---- Claim 2 -----------------------------------------------------------------------------------------------
    // Statistic: as claim 1 (per seed, mean over every configuration of SZP − fp final loss), over all g of the study.
    // REPRODUCED: interval below 0. NOT REPRODUCED: above 0. INCONCLUSIVE otherwise.
    static VerdictRow Claim2(List<RunRow> runs, string study, Rivals c)
    {
        var d = PerSeedMethodDifference(runs, c.Warm, c.Preserving);
        var perG = runs.Where(r => r.Method == c.Warm).Select(r => Pairing.GKey(r.G)).Distinct().OrderBy(g => g)
            .Select(g => (g, e: Stats.TInterval(Pairing.Methods(runs, c.Warm, c.Preserving).Where(p => Pairing.GKey(p.A.G) == g).Select(p => p.A.FinalValLoss - p.B.FinalValLoss))))
            .Select(t => $"g {t.g:0.##}: {Numbers.Interval(t.e.Value, t.e.Lo, t.e.Hi)}");
        return new VerdictRow("2", d.Hi < 0 ? Verdict.Reproduced : d.Lo > 0 ? Verdict.NotReproduced : Verdict.Inconclusive,
            $"ΔL final ({c.WarmName} − {c.PreservingName}), per-seed mean over g", d.Value, d.Lo, d.Hi, d.N, study, string.Join("; ", perG),
            "reproduced if the 95% interval < 0; not reproduced if > 0; inconclusive otherwise");
    }

    // ---- Claim 3 -----------------------------------------------------------------------------------------------
    // Statistic: per g (main target and budget), the paired ΔL(SZP − scratch) with its 90% t interval over seeds (the
    // two one-sided tests at 5%). The margin δ is the loss difference worth a 5% token speedup, read off the data:
    // the mean over seeds of scratch's L(D / 1.05) − L(D) on its learning curve (ClaimThreeMargin).
    // REPRODUCED: at some tested g the interval's lower end lies above −δ — scratch is as good as SZP there, within
    // δ; the statistic is the smallest such g. NOT OBSERVED UP TO g = G: at every tested g the upper end lies below −δ
    // — SZP still wins by more than δ at the largest g tried, which says nothing about larger g. INCONCLUSIVE
    // otherwise (including fewer than two seeds at a g). The detail names the smallest SZP advantage the data rule
    // out at the largest g, and the iso-FLOP g_upper (its bootstrap interval only from Stats.MinBootstrapSeeds seeds).
    static VerdictRow? Claim3(ResultTables selected, List<RunRow> runs, string study, Rivals c)
    {
        var (model, tpp) = MainTarget(runs, c.Warm);
        var perG = DeltaBySeedAndG(runs, model, tpp, c.Warm).ToDictionary(kv => kv.Key, kv => Stats.TInterval(kv.Value.Values, TostLevel));
        if (perG.Count < 2) return null;
        var (delta, deltaSeeds) = ClaimThreeMargin(selected, runs, model, tpp);
        double gMax = perG.Keys.Max();
        const string rule = "per g, ΔL(SZP − scratch) paired by seed with its 90% interval (two one-sided tests); δ = the loss worth a 5% token " +
                            "speedup, mean over seeds of scratch's L(D/1.05) − L(D); reproduced if at some g the interval's lower end > −δ (scratch as " +
                            "good within δ); not observed up to the largest g if every g's upper end < −δ; inconclusive otherwise";
        if (!double.IsFinite(delta))
            return new VerdictRow("3", Verdict.Inconclusive, $"ΔL final ({c.WarmName} − scratch), 90% interval", double.NaN, double.NaN, double.NaN, 0, study,
                "no scratch learning curve to derive δ from", rule);
        var equivalent = perG.Where(kv => kv.Value.N >= 2 && kv.Value.Lo > -delta).Select(kv => kv.Key).OrderBy(g => g).ToList();
        bool allBeyond = perG.Values.All(e => e.N >= 2 && e.Hi < -delta);
        var verdict = equivalent.Count > 0 ? Verdict.Reproduced : allBeyond ? Verdict.NotObservedUpTo(gMax) : Verdict.Inconclusive;
        double gShown = equivalent.Count > 0 ? equivalent[0] : gMax;
        var e = perG[gShown];
        var last = perG[gMax];
        string detail = $"δ = {Numbers.Number(delta)} nats (scratch's L(D/1.05) − L(D), mean over {deltaSeeds} seeds); " +
                        string.Join("; ", perG.OrderBy(kv => kv.Key).Select(kv => $"g {kv.Key:0.##}: {Numbers.Interval(kv.Value.Value, kv.Value.Lo, kv.Value.Hi)}")) +
                        (last.N >= 2 ? $"; at g = {gMax:0.##} the data rule out an SZP advantage larger than {Numbers.Number(-last.Lo)} nats" : "") +
                        $"; {GUpperDetail(selected, model, tpp, c.Warm)}; target {model}, {tpp:0.#} TPP";
        string statistic = equivalent.Count > 0 ? $"ΔL final ({c.WarmName} − scratch) at g = {gShown:0.##}, the smallest g within δ, 90% interval"
            : $"ΔL final ({c.WarmName} − scratch) at the largest g = {gShown:0.##}, 90% interval";
        return new VerdictRow("3", verdict, statistic, e.Value, e.Lo, e.Hi, e.N, study, detail, rule);
    }

    /// <summary>The confidence level of claim 3's two one-sided tests (each at 5%): a 90% interval.</summary>
    public const double TostLevel = 0.90;

    /// <summary>How much sooner, as a factor on tokens, counts as a practical speedup for claim 3's margin: 5%.</summary>
    public const double PracticalSpeedup = 1.05;

    /// <summary>
    /// Claim 3's margin δ: the loss worth a 5% token speedup — per scratch run of the target, its learning curve's
    /// loss at D / 1.05 minus at D (linear interpolation in tokens), averaged over seeds; and how many seeds it averages.
    /// </summary>
    public static (double Delta, int Seeds) ClaimThreeMargin(ResultTables selected, List<RunRow> runs, string model, double tpp)
    {
        var curves = selected.Curves.GroupBy(c => c.RunId).ToDictionary(g => g.Key, g => g.OrderBy(c => c.Tokens).ToList());
        var drops = runs.Where(r => r.Method == Method.Scratch && r.Model == model && r.Tpp == tpp && curves.ContainsKey(r.RunId))
            .Select(r =>
            {
                var curve = curves[r.RunId];
                double end = curve[^1].Tokens;
                return Curves.ValueAt(curve.Select(c => c.Tokens).ToList(), curve.Select(c => c.ValLoss).ToList(), end / PracticalSpeedup) - curve[^1].ValLoss;
            }).Where(double.IsFinite).ToList();
        return (drops.Count == 0 ? double.NaN : drops.Average(), drops.Count);
    }

    /// <summary>The iso-FLOP g_upper at full compute, as a detail: its state, and its bootstrap interval where there are enough seeds.</summary>
    static string GUpperDetail(ResultTables selected, string model, double tpp, Method warm)
    {
        var (_, fits) = IsoFlop.Compute(selected, warm, withBaseCompute: false);
        if (IsoFlop.ForTarget(IsoFlop.AtFullCompute(fits), model, tpp).FirstOrDefault() is not { } full) return "g_upper: no iso-FLOP fit";
        string value = full.GUpperState == GUpperState.Value ? $"{full.GUpper:0.##}" : Csv.Spelling(full.GUpperState);
        string interval = full.Seeds < Stats.MinBootstrapSeeds ? $"too few seeds ({full.Seeds} < {Stats.MinBootstrapSeeds}) for a bootstrap interval"
            : $"bootstrap 95% [{Numbers.Number(full.GUpperLo)}, {Numbers.Number(full.GUpperHi)}]";
        return $"iso-FLOP g_upper at full compute: {value} ({interval})";
    }

    // ---- Claim 4a ----------------------------------------------------------------------------------------------
    // Statistics: per budget and seed, the mean over target sizes of ΔL(SZP − scratch) at each target's g nearest 2
    // (within ×1.5), and the contrasts of that against the mean over targets at each target's other g's (the first and
    // second larger g of each); a t interval over seeds for each, and a two-sided t test for each contrast; all
    // contrasts of every budget corrected together with Holm's method (α = 0.05).
    // NOT REPRODUCED: some other g's gain is significantly larger (a contrast > 0 after Holm) — the verdict names it —
    // or g ≈ 2's interval lies above 0 at some budget. REPRODUCED: g ≈ 2's interval is below 0 at every budget and no
    // other g does significantly better. INCONCLUSIVE otherwise. The detail says where g ≈ 2 is significantly better
    // than a larger g ("best only where the contrasts show it").
    static VerdictRow? Claim4a(List<RunRow> runs, string study, Rivals c)
    {
        var (_, mainTpp) = MainTarget(runs, c.Warm);
        var budgets = runs.Where(r => r.Method == c.Warm).Select(r => r.Tpp).Distinct().OrderBy(t => t).ToList();
        var gains = new List<(double Tpp, int Targets, Estimate Gain)>();
        var contrasts = new List<(double Tpp, int Rank, string Gs, Estimate Contrast, double P)>();
        foreach (var tpp in budgets)
        {
            // Per target: ΔL by seed at its g ≈ 2 and at its other g's in ascending order.
            var perTarget = new List<(double[] Gs, List<Dictionary<double, double>> BySeed)>();
            foreach (var model in runs.Where(r => r.Method == c.Warm && r.Tpp == tpp).Select(r => r.Model).Distinct().OrderBy(m => m, StringComparer.Ordinal))
            {
                var bySeed = DeltaBySeedAndG(runs, model, tpp, c.Warm);
                var gs = bySeed.Keys.OrderBy(g => g).ToList();
                if (gs.Count < 2) continue;
                double g2 = gs.OrderBy(g => Math.Abs(Math.Log(g / 2))).First();
                if (Math.Abs(Math.Log(g2 / 2)) > Math.Log(1.5)) continue;
                var ordered = new[] { g2 }.Concat(gs.Where(g => g > g2)).ToArray();
                perTarget.Add((ordered, ordered.Select(g => bySeed[g]).ToList()));
            }
            if (perTarget.Count == 0) continue;
            var seeds = perTarget.Select(t => (IEnumerable<double>)t.BySeed[0].Keys).Aggregate((a, b) => a.Intersect(b)).Order().ToList();
            double MeanOverTargets(int rank, double seed) => perTarget.Average(t => t.BySeed[rank][seed]);
            gains.Add((tpp, perTarget.Count, Stats.TInterval(seeds.Select(sd => MeanOverTargets(0, sd)))));
            int ranks = perTarget.Min(t => t.Gs.Length);
            for (int k = 1; k < ranks; k++)
            {
                var shared = seeds.Where(sd => perTarget.All(t => t.BySeed[k].ContainsKey(sd))).ToList();
                var diffs = shared.Select(sd => MeanOverTargets(0, sd) - MeanOverTargets(k, sd)).ToList();
                string gsText = string.Join("/", perTarget.Select(t => $"{t.Gs[k]:0.##}"));
                contrasts.Add((tpp, k, gsText, Stats.TInterval(diffs), Stats.TTestP(diffs)));
            }
        }
        if (gains.Count == 0) return null;
        var adjusted = Stats.Holm(contrasts.Select(c => c.P).ToList());
        const double alpha = 1 - Stats.Level;
        var better = contrasts.Select((c, i) => (c, p: adjusted[i])).Where(x => x.p <= alpha && x.c.Contrast.Value > 0).ToList();
        var worse = contrasts.Select((c, i) => (c, p: adjusted[i])).Where(x => x.p <= alpha && x.c.Contrast.Value < 0).ToList();
        bool severalBudgets = gains.Count > 1;
        string At(double tpp) => severalBudgets ? $" at {tpp:0.#} TPP" : "";
        string Larger(int rank) => rank switch { 1 => "the next larger g", 2 => "the second larger g", 3 => "the third larger g", _ => $"the {rank}th larger g" };
        var verdict = better.Count > 0 || gains.Any(x => x.Gain.Lo > 0) ? Verdict.NotReproduced
            : gains.All(x => x.Gain.N >= 2 && x.Gain.Hi < 0) ? Verdict.Reproduced : Verdict.Inconclusive;
        var main = gains.OrderBy(x => Math.Abs(x.Tpp - mainTpp)).First();
        var parts = new List<string>();
        if (better.Count > 0) parts.Add("does better than g ≈ 2: " + string.Join(", ", better.Select(x => $"{Larger(x.c.Rank)} (g = {x.c.Gs}){At(x.c.Tpp)}")));
        parts.Add(gains.All(x => x.Gain.N >= 2 && x.Gain.Hi < 0) ? "g ≈ 2 helps at every budget" : "g ≈ 2 does not clearly help at every budget");
        parts.Add(worse.Count == 0 ? "it is not shown better than any larger g"
            : "it is shown better than " + string.Join(", ", worse.Select(x => $"{Larger(x.c.Rank)} (g = {x.c.Gs}){At(x.c.Tpp)}")) +
              (worse.Count < contrasts.Count ? " only" : ""));
        foreach (var (tpp, targets, gain) in gains)
            parts.Add($"{tpp:0.#} TPP ({targets} target sizes): ΔL at g ≈ 2 {Numbers.Interval(gain.Value, gain.Lo, gain.Hi)}; " + string.Join(", ", contrasts.Select((c, i) => (c, i))
                .Where(x => x.c.Tpp == tpp).Select(x => $"− {Larger(x.c.Rank)}: {Numbers.Interval(x.c.Contrast.Value, x.c.Contrast.Lo, x.c.Contrast.Hi)} (Holm p {Numbers.Number(adjusted[x.i])})")));
        return new VerdictRow("4a", verdict, $"ΔL final ({c.WarmName} − scratch) at g ≈ 2, per-seed mean over target sizes{At(main.Tpp)}", main.Gain.Value, main.Gain.Lo,
            main.Gain.Hi, main.Gain.N, study, string.Join("; ", parts),
            "per budget, ΔL(SZP − scratch) at each target's g ≈ 2 averaged over targets per seed, and its paired contrasts with each larger g " +
            "(averaged over targets), Holm-corrected over every budget; reproduced if g ≈ 2's interval is < 0 at every budget and no other g's gain " +
            "is significantly larger; not reproduced if one is (named) or g ≈ 2's interval is > 0; inconclusive otherwise");
    }

    // ---- Claim 4b ----------------------------------------------------------------------------------------------
    // Statistic: for each cell (target, g, seed) with SZP runs at the study's smallest and largest budget, the
    // contrast ΔL(largest TPP) − ΔL(smallest TPP), ΔL = SZP − scratch of the same seed; averaged over the cells of
    // each seed, then a t interval over seeds (cells of one seed share its noise, so they are not replicates: one
    // seed gives no interval). A positive contrast means the gain shrinks as the budget grows.
    // REPRODUCED: interval > 0. NOT REPRODUCED: interval < 0 (gains grow with budget). INCONCLUSIVE otherwise.
    static VerdictRow? Claim4b(List<RunRow> runs, string study, Rivals c)
    {
        var szp = runs.Where(r => r.Method == c.Warm).ToList();
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
        return new VerdictRow("4b", e.Lo > 0 ? Verdict.Reproduced : e.Hi < 0 ? Verdict.NotReproduced : Verdict.Inconclusive,
            $"ΔL({tMax:0.#} TPP) − ΔL({tMin:0.#} TPP), {c.WarmName} − scratch, per-seed mean over (target, g)", e.Value, e.Lo, e.Hi, e.N, study,
            string.Join("; ", perBudget) + $"; over the {cells.N} (target, g, seed) cells: {Numbers.Interval(cells.Value, cells.Lo, cells.Hi)} (not seed replicates)",
            "reproduced if the 95% interval over seeds > 0 (gain shrinks with budget); not reproduced if < 0; inconclusive otherwise");
    }

    // ---- Claim 5 -----------------------------------------------------------------------------------------------
    // Statistic: out of sample, against budget-aware baselines (HoldOut: the laws fitted without the largest target and,
    // apart, without the largest budget; per seed, each predictor's mean absolute error on the held-out ΔL cells).
    // The statistic is law − best baseline (the baseline with the lower mean error), per seed, with its 95% t
    // interval. REPRODUCED: below 0 in both hold-outs. NOT REPRODUCED: above 0 in both, or the law's mean error is not
    // below the best baseline's in either. INCONCLUSIVE otherwise, or no held-out cell, or a refused fit (fewer than 3
    // distinct N or D). A fitted parameter at its bound is named. The law has no g term: it predicts ΔL per (N, D)
    // pooled over g, and a zero contour only where the observed ΔL take both signs.
    static VerdictRow Claim5(HoldOutComparison comparison, string study)
    {
        const string rule = "fit the laws without the largest target, and apart without the largest budget, on every seed's runs; per seed, the " +
                            "law's mean absolute error on the held-out ΔL cells minus the best budget-aware baseline's (per-budget mean; log-linear " +
                            "in TPP); reproduced if that difference's 95% interval is < 0 in both hold-outs; not reproduced if > 0 in both or the " +
                            "law's mean error is not below the best baseline's in either; inconclusive otherwise or if a fit is refused";
        const string statistic = "held-out |error|, law − best budget-aware baseline, per seed (nats)";
        var notes = new List<string>();
        var decided = new List<HoldOutErrors>();
        foreach (var h in comparison.HoldOuts)
        {
            if (h.AtBounds.Count > 0) notes.Add($"{h.Name}: at a bound: {string.Join("; ", h.AtBounds)}");
            if (h.Refused is not null) { notes.Add($"{h.Name}: {h.Refused}"); continue; }
            decided.Add(h);
            var best = h.Best;
            var diff = h.Difference;
            notes.Add($"{h.Name}: law {h.Law.Average():0.0000} vs {best.Name} {best.PerSeed.Average():0.0000}" +
                      string.Concat(h.Baselines.Where(b => b.Name != best.Name).Select(b => $" (and {b.Name} {b.PerSeed.Average():0.0000})")) +
                      $", mean |error| over {h.Cells} held-out cell(s) and {h.Law.Count} seeds; law − best {Numbers.Interval(diff.Value, diff.Lo, diff.Hi)}");
        }
        notes.Add(comparison.BothSigns ? "the observed ΔL take both signs, so a zero contour is within the data" : "every observed ΔL has one sign: no zero contour is within the data, so the law cannot place one");
        string detail = string.Join("; ", notes);
        if (decided.Count < comparison.HoldOuts.Count)
            return new VerdictRow("5", Verdict.Inconclusive, statistic, double.NaN, double.NaN, double.NaN, 0, study, detail, rule);
        var verdict = decided.All(h => h.Difference.N >= 2 && h.Difference.Hi < 0) ? Verdict.Reproduced
            : decided.All(h => h.Difference.N >= 2 && h.Difference.Lo > 0) || decided.All(h => h.Law.Average() >= h.Best.PerSeed.Average()) ? Verdict.NotReproduced
            : Verdict.Inconclusive;
        var shown = decided.MaxBy(h => h.Difference.Value)!;
        var d = shown.Difference;
        return new VerdictRow("5", verdict, $"{statistic}, {shown.Name}", d.Value, d.Lo, d.Hi, d.N, study, detail, rule);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>The target and budget most runs of SZP use, preferring 20 TPP and the largest target.</summary>
    static (string Model, double Tpp) MainTarget(List<RunRow> runs, Method warm)
    {
        var szp = runs.Where(r => r.Method == warm).ToList();
        double tpp = szp.Select(r => r.Tpp).Distinct().OrderBy(t => Math.Abs(t - 20)).First();
        string model = szp.Where(r => r.Tpp == tpp).OrderByDescending(r => r.Params).First().Model;
        return (model, tpp);
    }

    /// <summary>Per g (key) and seed, ΔL = SZP − scratch of the same seed, for one target and budget.</summary>
    static Dictionary<double, Dictionary<double, double>> DeltaBySeedAndG(List<RunRow> runs, string model, double tpp, Method warm) =>
        Pairing.WithScratch(runs, runs.Where(r => r.Method == warm && r.Model == model && r.Tpp == tpp))
            .GroupBy(p => Pairing.GKey(p.Warm.G))
            .ToDictionary(g => g.Key, g => g.GroupBy(p => p.Warm.Seed).ToDictionary(s => s.Key, s => s.Average(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss)));

    /// <summary>Per g, the t interval over seeds of ΔL = SZP − scratch, for one target and budget.</summary>
    static Dictionary<double, Estimate> DeltaByG(List<RunRow> runs, string model, double tpp, Method warm) =>
        DeltaBySeedAndG(runs, model, tpp, warm).ToDictionary(kv => kv.Key, kv => Stats.TInterval(kv.Value.Values));

    /// <summary>Per seed, the mean over configurations of final loss(a) − final loss(b); t interval over seeds.</summary>
    static Estimate PerSeedMethodDifference(List<RunRow> runs, Method a, Method b) =>
        Stats.TInterval(Pairing.Methods(runs, a, b).GroupBy(p => p.A.Seed).Select(g => g.Average(p => p.A.FinalValLoss - p.B.FinalValLoss)));
}
