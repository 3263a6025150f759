using Warmstart.Data;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>
/// Named sweeps: a study (what question) at a scale (how big). "smoke", "quick" and "paper" are the headline
/// growth-factor study; other studies are named "study-scale" (e.g. "lambda-quick"). Every study has a smoke scale
/// that trains in seconds, so each notebook can regenerate its figure headless.
/// </summary>
public static class SweepPresets
{
    /// <summary>Every preset name (<see cref="Warmstart.Experiments.Studies"/> holds the studies and their scales).</summary>
    public static IEnumerable<string> Names => Warmstart.Experiments.Studies.Presets;

    /// <summary>
    /// The init of every language-model preset: the authors' litgpt µP scheme, so that scratch — the baseline every
    /// claim is measured against — starts as the authors' did (docs/research.md, "Initialisation"). GptConfig's own
    /// default stays gpt2 so that spec.json files written before the scheme existed read back as what they were
    /// trained with; the presets name litgpt, so their ids say so ("init_scheme": "litgpt"). The committed results
    /// were regenerated with litgpt rather than migrated, since a gpt2-initialised run is a different experiment.
    /// </summary>
    public const InitScheme LanguageModelInit = InitScheme.Litgpt;

    /// <summary>
    /// Seeds that only choose settings (tuning grids, the function-preserving rival's noise): no reported run uses a
    /// seed from 100 on, so a choice never rides on the noise of the numbers it is then judged by.
    /// </summary>
    public const long FirstSelectionSeed = 100;

    /// <summary>
    /// Noise scales σ tried for the function-preserving rival (fp + σ · fresh init, Net2Net's symmetry breaking; 0 is
    /// the exact clone): a decade and a half in √10 steps below a full init, where the function is still nearly kept.
    /// </summary>
    public static readonly double[] FpNoiseScales = [0, 0.01, 0.03, 0.1, 0.3];

    /// <summary>
    /// The function-preserving rival's noise, as the fp-noise study kept it (data/results/fp-noise-quick: the lowest
    /// held-out loss averaged over g ≈ 2.2 and 9, with 0.3 tried and lost; a test holds this constant to that choice).
    /// Every study from the tuning on trains fp at it.
    /// </summary>
    public const double KeptFpNoise = 0.1;

    /// <summary>The tuning grid (docs/research.md, rules of 2026-12-07): LR in √2 steps around the former optimum 0.01 × init scale.</summary>
    public static readonly double[] TuneLearningRates = [0.005, 0.007, 0.01, 0.014, 0.02], TuneInitScales = [0.7, 1, 1.4];

    /// <summary>
    /// Each method's kept setting from the tuning study (data/results/tune-quick: the lowest held-out loss averaged over
    /// g ≈ 2.2 and 9, strictly inside the grid on both axes; a test holds these to that study). The quick-scale width
    /// studies that judge the claims train each method's target at its own setting; bases keep the preset's LR and init,
    /// as in the tuning. SZP's ablations and controls (zeros, zeros + shrink, zeros + perturb, SZP from a permuted or an
    /// untrained base, scratch rescaled to SZP's norms) train at SZP's setting, so that each differs from SZP only in its
    /// start.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, TrainSetting> KeptSettings = KeptWithSzpFamily(
        scratch: new(0.007, 0.35), szp: new(0.01, 0.5), fp: new(0.014, 1));

    static Dictionary<string, TrainSetting> KeptWithSzpFamily(TrainSetting scratch, TrainSetting szp, TrainSetting fp) => new()
    {
        ["scratch"] = scratch, ["fp"] = fp, ["szp"] = szp,
        ["zeros"] = szp, ["zeros-shrink"] = szp, ["zeros-perturb"] = szp, ["szp-permuted-base"] = szp, ["scratch-rescaled"] = szp,
    };

    /// <summary>
    /// The init scales added below the grid, in √2 steps, for the methods whose kept setting sat on its lower edge: SZP
    /// kept × 0.7, then × 0.5 with 0.35 tried and lost; scratch kept × 0.7, × 0.5 and × 0.35 in turn, so its rows reach
    /// further down; fp kept × 1, inside from the start. Each method's rows cover every LR, so that its kept setting is
    /// bracketed on both axes.
    /// </summary>
    public static readonly double[] TuneLowerInitScales = [0.5, 0.35], TuneScratchLowerInitScales = [0.25, 0.18];

    /// <summary>
    /// The CPU family with head size 8: width steps from 1 to 8 heads, so g spans ~2…23 at depth 2. Rotary covers
    /// half of each head (4 dims, as litgpt's 25% of a 16-dim head); 25% of 8 would leave 2 and costs ~0.3 nats.
    /// </summary>
    static GptConfig Cpu(int heads, int layers, int context) => RunPresets.CpuModel(heads, layers) with
    {
        HeadSize = 8, RotaryFraction = 0.5, ContextLength = context, BaseWidth = 64, InitScheme = LanguageModelInit,
    };

    sealed record Scale(
        Func<int, GptConfig> Model, int TargetHeads, int[] BudgetTargetHeads, double[] GrowthFactors, double[] Budgets,
        double BaseBudget, TrainConfig Train, string Tokenizer);

    static Scale ScaleOf(string name) => name switch
    {
        // Seconds: one block, context 64, a d = 32 target, 2 tokens per parameter.
        // Its final and selection evaluations are tiny, but present: the smoke scale exercises every code path.
        // Three budget target sizes, so that the smoke run of the scaling-law notebook fits (and draws) its laws too.
        "smoke" => new Scale(h => Cpu(h, layers: 1, context: 64), 4, [3, 4, 5], [2, 4], [2], 2,
            new TrainConfig { Lr = 1e-2, BatchSize = 8, EvalEvery = 10, EvalBatches = 2, FinalEvalBatches = 4, SelectionBatches = 2 }, "byte"),
        // Minutes on 2 cores: two blocks, context 128, a d = 64 target (133k parameters), 20 tokens per parameter.
        // Lean evaluation where only the curve's shape is read: 16 fixed batches (33k tokens) every 50 steps (~26
        // points a curve). At the last step 64 batches that start with those 16 (131k tokens, with a standard error)
        // give the final loss every verdict reads, and 32 batches drawn apart from them give the loss that chooses
        // settings, so a setting is never chosen on the numbers that are reported. Evaluating 64 batches at every
        // point cost ~29% of a run; this costs ~9%.
        // The budget study's four target sizes (d = 32, 40, 48, 64): a scaling law in N needs ≥ 3 distinct N to be
        // identified, and a fourth leaves one degree of freedom to see misfit.
        "quick" => new Scale(h => Cpu(h, layers: 2, context: 128), 8, [4, 5, 6, 8], [2, 4, 8, 16], [20], 20,
            new TrainConfig { Lr = 1e-2, BatchSize = 16, EvalEvery = 50, EvalBatches = 16, FinalEvalBatches = 64, SelectionBatches = 32, CheckpointEvery = 250 }, "byte"),
        // The authors' family on a GPU: depth 8, head size 64, GPT-2 BPE, context 1024; the 77.1M model as target.
        "paper" => new Scale(h => RunPresets.PaperModel(h), 8, [4, 5, 6, 8], [2, 4, 8], [20], 20,
            new TrainConfig { Lr = 3e-3, BatchSize = 64, EvalEvery = 25, EvalBatches = 25, FinalEvalBatches = 100, SelectionBatches = 50, CheckpointEvery = 500, Device = "auto", Bf16 = true, LogEvery = 25 }, "gpt2"),
        _ => throw new ArgumentException($"unknown scale '{name}': allowed are {string.Join(", ", Warmstart.Experiments.Studies.Growth.Scales)}"),
    };

    /// <summary>A study at a scale, checking both names first (the notebooks' parameters).</summary>
    public static Sweep Get(string study, string scale, int? seeds = null, IReadOnlyList<double>? budgets = null) =>
        Get(PresetName(study, scale), seeds, budgets);

    /// <summary>The preset name of a study at a scale ("quick", "lambda-quick", …); an error names a bad study or scale and what is allowed.</summary>
    public static string PresetName(string study, string scale)
    {
        var s = Warmstart.Experiments.Studies.Named(study);
        if (!s.Scales.Contains(scale)) throw new ArgumentException($"unknown scale '{scale}': allowed are {string.Join(", ", s.Scales)}");
        return s.Preset(scale);
    }

    /// <summary>More seeds than this is a typo: even smoke runs would take days.</summary>
    public const int MaxSeeds = 1000;

    public static Sweep Get(string name, int? seeds = null, IReadOnlyList<double>? budgets = null)
    {
        var (study, scaleName) = Split(name);
        if (seeds is { } k && (k <= 0 || k > MaxSeeds)) throw new ArgumentException($"seeds must be a positive count, at most {MaxSeeds}, got {k}");
        if (budgets is not null && budgets.Any(b => !(b > 0))) throw new ArgumentException($"budgets must be positive tokens-per-parameter, got {string.Join(", ", budgets)}");
        if (study == "mlp") return MlpStudy(name, scaleName, seeds, budgets);
        if (study == "mlp-depth") return MlpDepthStudy(name, scaleName, seeds, budgets);
        if (study == "depth") return DepthStudy(name, scaleName, seeds, budgets);
        if (study == "weights") return WeightsStudy(name, scaleName, seeds);
        bool smokeScale = scaleName == "smoke";
        var s = ScaleOf(scaleName);
        var szp = GrowthOperator.Parse("szp");
        var recipe = LanguageModelRecipe(study, name, s, smokeScale);
        int defaultSeeds = study switch { "controls" or "scratch-default" when !smokeScale => 8, "tune" or "fp-noise" when !smokeScale => 2, _ => 1 };
        // A study that only chooses settings runs on the selection seeds (100, 101, …), apart from every reported seed.
        long firstSeed = study is "fp-noise" or "tune" ? FirstSelectionSeed : 0;
        var seedList = Enumerable.Range(0, seeds ?? defaultSeeds).Select(i => firstSeed + i).ToList();
        // The quick-scale studies that judge the claims: the fused attention path, fp at its kept noise and every
        // method at its kept setting (docs/research.md, rules of 2026-12-07). The tuning and noise studies that chose
        // them, and the illustrations (lambda, lr), stay as they are.
        // scratch-default is the growth study's scratch target on the same path, at the former default setting.
        if (scaleName == "quick" && study is "growth" or "ablation" or "budget" or "controls" or "scratch-default")
            recipe = recipe with
            {
                Targets = [.. recipe.Targets.Select(t => t with { Model = ((GptConfig)t.Model) with { Attention = AttentionKernel.Fused } })],
                Operators = [.. recipe.Operators.Select(op => op.Name == "fp" ? GrowthOperator.Parse("fp", sigma: KeptFpNoise) : op)],
                MethodSettings = study == "scratch-default" ? null : KeptSettings,
            };
        recipe = recipe with { Seeds = seedList };
        if (budgets is { Count: > 0 }) recipe = recipe with { Budgets = budgets };
        // The tuning grid's lower extensions train only the methods that needed them (scratch and SZP; scratch further).
        return study == "tune" && !smokeScale
            ? recipe.Build().Union((recipe with { InitScales = TuneLowerInitScales, Operators = [szp] }).Build())
                .Union((recipe with { InitScales = TuneScratchLowerInitScales, Operators = [] }).Build())
            : recipe.Build();
    }

    /// <summary>
    /// What a language-model study trains at a scale, before seeds and the kept settings: its targets, growth factors,
    /// operators and budgets.
    /// </summary>
    static SweepRecipe LanguageModelRecipe(string study, string name, Scale s, bool smokeScale)
    {
        RunSpec Lm(GptConfig model) => new() { Model = model, Train = s.Train, Data = new CorpusData { Tokenizer = s.Tokenizer } };
        var szp = GrowthOperator.Parse("szp");
        var fp = GrowthOperator.Parse("fp");
        return study switch
        {
            "growth" => new SweepRecipe
            {
                Preset = name, Description = "scratch target vs SZP and function-preserving growth across g",
                Targets = [Lm(s.Model(s.TargetHeads))], GrowthFactors = s.GrowthFactors, Operators = [szp, fp], Train = s.Train,
                Budgets = s.Budgets, BaseBudget = s.BaseBudget,
            },
            "ablation" => new SweepRecipe
            {
                Preset = name, Description = "every width operator from one base (g ≈ 2): does preserving the function matter?",
                Targets = [Lm(s.Model(s.TargetHeads))], GrowthFactors = [2],
                Operators = [GrowthOperator.Parse("zeros"), GrowthOperator.Parse("zeros-shrink"), GrowthOperator.Parse("zeros-perturb"), szp, fp],
                Train = s.Train, Budgets = s.Budgets, BaseBudget = s.BaseBudget,
            },
            "lambda" => new SweepRecipe
            {
                Preset = name, Description = "SZP's shrink λ (σ = 1) and perturbation σ (λ = 0.4) from one base (g ≈ 2)",
                Targets = [Lm(s.Model(s.TargetHeads))], GrowthFactors = [2],
                Operators = [.. new[] { 0.0, 0.2, 0.4, 0.6, 0.8, 1.0 }.Select(l => GrowthOperator.Parse("szp", lambda: l, sigma: 1)),
                             .. new[] { 0.0, 0.5 }.Select(sg => GrowthOperator.Parse("szp", lambda: 0.4, sigma: sg))],
                Train = s.Train, Budgets = s.Budgets, BaseBudget = s.BaseBudget,
            },
            "budget" => new SweepRecipe
            {
                Preset = name, Description = $"the growth study at 10, 20 and 30 tokens per parameter, {s.BudgetTargetHeads.Length} target sizes",
                // SZP and scratch only: the budget claim (gains shrink with TPP) and the scaling laws read SZP − scratch,
                // and function-preserving growth is compared at one budget in the headline study.
                Targets = [.. s.BudgetTargetHeads.Select(h => Lm(s.Model(h)))], GrowthFactors = s.GrowthFactors.Take(3).ToList(),
                Operators = [szp], Train = s.Train,
                Budgets = smokeScale ? [1, 2, 3] : [10, 20, 30], BaseBudget = s.BaseBudget,
            },
            "lr" => new SweepRecipe
            {
                Preset = name, Description = "LR transfer under µP: an LR grid for base, scratch target and SZP target (g ≈ 2)",
                Targets = [Lm(s.Model(s.TargetHeads))], GrowthFactors = [2], Operators = [szp], Train = s.Train,
                Budgets = s.Budgets, BaseBudget = s.BaseBudget,
                LearningRates = [.. new[] { 0.1, 0.3, 1, 3 }.Select(f => f * s.Train.Lr)],
            },
            // Is every method at its best? Scratch, SZP and the function-preserving rival (at its kept noise) over LR × init
            // scale, at g ≈ 2.2 and 9, on the selection seeds: each method keeps one setting for every g, which must lie
            // inside the grid (docs/research.md, rules of 2026-12-07, item 2). The bases train once at the preset's LR
            // and init: the grid tunes the target's training.
            "tune" => new SweepRecipe
            {
                Preset = name, Description = "scratch, SZP and fp (kept noise) at g ≈ 2 and 9 over a grid of LR × init scale (init × 0.5 and 0.35 too for scratch and SZP, 0.25 and 0.18 for scratch), on selection seeds: each method at its best setting",
                Targets = [Lm(s.Model(s.TargetHeads) with { Attention = AttentionKernel.Fused })], GrowthFactors = smokeScale ? [2] : [2, 8],
                Operators = [szp, GrowthOperator.Parse("fp", sigma: KeptFpNoise)], Train = s.Train,
                Budgets = s.Budgets, BaseBudget = s.BaseBudget, GridAppliesToBase = false,
                // Smoke: the default and one other init scale at the preset LR (a grid with its default, kept short for the notebook test).
                LearningRates = smokeScale ? [1e-2] : TuneLearningRates,
                InitScales = smokeScale ? [1, 2] : TuneInitScales,
            },
            // Is scratch at its best on the seeds that are reported? The scratch target at the former default setting (the
            // preset's LR and init, which the bases keep), paired by seed with the growth study's scratch at its kept
            // setting (docs/research.md, rules of 2026-12-07, item 2). A folder of its own, so that the growth study keeps
            // one setting per method and selection never chooses on reported seeds.
            "scratch-default" => new SweepRecipe
            {
                Preset = name, Description = "the scratch target at the former default setting (LR 0.01, init × 1) on the growth study's seeds: is scratch at its best?",
                Targets = [Lm(s.Model(s.TargetHeads))], GrowthFactors = [], Operators = [],
                Train = s.Train, Budgets = s.Budgets, BaseBudget = s.BaseBudget,
            },
            // What SZP transfers — what the base learned, or the scale of its weights? Three controls beside SZP and
            // scratch (docs/research.md, "How a claim is decided").
            "controls" => new SweepRecipe
            {
                Preset = name,
                Description = "does SZP transfer what the base learned or a better starting scale? scratch, SZP, SZP from an untrained base, " +
                              "SZP from a permuted base, scratch rescaled to SZP's norms (g ≈ 2 and 9)",
                Targets = [Lm(s.Model(s.TargetHeads))], GrowthFactors = smokeScale ? [2] : [2, 8], // quick: g = 2.2 and 9.0; smoke: one g keeps the notebook test short
                Operators = [szp, GrowthOperator.Parse("szp-permuted-base"), GrowthOperator.Parse("scratch-rescaled")],
                UntrainedBaseOperators = [szp], Train = s.Train, Budgets = s.Budgets, BaseBudget = s.BaseBudget,
            },
            // Can the function-preserving rival use its new width? Cloned units get identical gradients and stay copies
            // unless something breaks the symmetry; Net2Net adds noise. fp at each σ, scored on the selection seeds only.
            "fp-noise" => new SweepRecipe
            {
                Preset = name, Description = "the function-preserving rival with symmetry-breaking noise σ (Net2Net's recipe) at g ≈ 2 and 9, on selection seeds",
                Targets = [Lm(s.Model(s.TargetHeads) with { Attention = AttentionKernel.Fused })], GrowthFactors = smokeScale ? [2] : [2, 8],
                Operators = [.. (smokeScale ? [0, 0.1] : FpNoiseScales).Select(sigma => GrowthOperator.Parse("fp", sigma: sigma))],
                Train = s.Train, Budgets = s.Budgets, BaseBudget = s.BaseBudget,
            },
            _ => throw new ArgumentException($"unknown study '{study}'"),
        };
    }

    /// <summary>
    /// The dense-MLP study (the paper's second model family): a teacher–student task, widths on a √2 ladder, SZP and
    /// function-preserving growth at g ≈ 2, 4, 8, budgets of 20, 35 and 50 samples per parameter, several seeds.
    /// </summary>
    static Sweep MlpStudy(string name, string scale, int? seeds, IReadOnlyList<double>? budgets)
    {
        bool smoke = scale == "smoke";
        var task = new TeacherConfig();
        var train = smoke
            ? new TrainConfig { Lr = 1e-2, BatchSize = 64, EvalEvery = 10, EvalBatches = 2, FinalEvalBatches = 4, SelectionBatches = 2 }
            // As the language models: a lean curve, a precise final loss, and held-out batches that choose settings.
            : new TrainConfig { Lr = 1e-2, BatchSize = 512, EvalEvery = 25, EvalBatches = 16, FinalEvalBatches = 64, SelectionBatches = 32 };
        RunSpec Mlp(int width) => new() { Model = new MlpConfig { Width = width, InputDim = task.InputDim, Classes = task.Classes }, Data = task, Train = train };
        var recipe = new SweepRecipe
        {
            Preset = name,
            Description = "dense MLPs on a teacher–student task: scratch vs SZP and function-preserving growth, √2 width ladder",
            Targets = smoke ? [Mlp(24), Mlp(32), Mlp(40)] : [Mlp(45), Mlp(64), Mlp(90)], // three sizes: the law needs ≥ 3 distinct N
            GrowthFactors = smoke ? [2, 4] : [2, 4, 8],
            Operators = [GrowthOperator.Parse("szp"), GrowthOperator.Parse("fp")],
            Train = train,
            Budgets = budgets is { Count: > 0 } ? budgets : smoke ? [3, 6] : [20, 35, 50], // smoke: two budgets, so its laws can be fitted
            BaseBudget = smoke ? 5 : 20,
            Seeds = Enumerable.Range(0, seeds ?? (smoke ? 1 : 3)).Select(i => (long)i).ToList(),
        };
        return recipe.Build();
    }

    /// <summary>
    /// The depth operators: the base's blocks repeated ([1..L, 1..L]) or in place ([1, 1, 2, 2]), identity blocks (the
    /// function-preserving rival on depth) and SZP on depth (szp-depth: the base's blocks shrunk and perturbed, fresh
    /// blocks on top; named apart from width SZP so that a study growing both never mixes them).
    /// </summary>
    static IReadOnlyList<GrowthOperator> DepthOperators() =>
        [GrowthOperator.Parse("stack"), GrowthOperator.Parse("interleave"), GrowthOperator.Parse("identity"), GrowthOperator.Parse("szp-depth")];

    /// <summary>
    /// Depth growth of the language model, on the fast attention path: a 4-block target (d = 64 in 8 heads of 8) grown
    /// from 1 and 2 blocks by every depth operator, against scratch; and deeper vs wider vs both at one g — the
    /// same target reached from a narrower 4-block base (SZP across width) and from a base narrower and shallower at
    /// once (szp-stack: SZP across width, the blocks stacked), so that the three routes meet at equal g and equal
    /// target compute. SZP on depth keeps the base's blocks in place, shrunk and perturbed, and adds fresh blocks on top.
    /// </summary>
    static Sweep DepthStudy(string name, string scale, int? seeds, IReadOnlyList<double>? budgets)
    {
        bool smoke = scale == "smoke";
        var s = ScaleOf(scale);
        int targetLayers = smoke ? 3 : 4;
        int[] baseLayers = smoke ? [1] : [1, 2];
        GptConfig Model(int layers) => s.Model(s.TargetHeads) with { Layers = layers, Attention = AttentionKernel.Fused };
        var target = new RunSpec { Model = Model(targetLayers), Train = s.Train, Data = new CorpusData { Tokenizer = s.Tokenizer } };
        double G(int layers) => (double)Model(targetLayers).ParameterCount() / Model(layers).ParameterCount();
        var seedList = Enumerable.Range(0, seeds ?? (smoke ? 1 : 5)).Select(i => (long)i).ToList();
        IReadOnlyList<double> targetBudgets = budgets is { Count: > 0 } ? budgets : s.Budgets;
        SweepRecipe Recipe(GrowthRule rule, double[] gs, IReadOnlyList<GrowthOperator> operators, bool scratch) => new()
        {
            Preset = name, Description = "", Targets = [target], GrowthFactors = gs, Operators = operators, Rule = rule, IncludeScratch = scratch,
            Train = s.Train, Budgets = targetBudgets, BaseBudget = s.BaseBudget, Seeds = seedList,
        };
        // From one block, stacking and interleaving copy the same block everywhere (the same run twice): stack stands for both.
        var fromOne = Recipe(GrowthRule.Depth, [G(1)], [.. DepthOperators().Where(o => o.Name != "interleave")], scratch: true).Build();
        var deeper = Recipe(GrowthRule.Depth, [.. baseLayers.Where(l => l > 1).Select(G)], DepthOperators(), scratch: false);
        // Deeper vs wider at the g of the shallowest base with a width-only counterpart near it (the 2-block base's
        // g = 1.75; width alone cannot come near the 1-block base's 2.81 at 4 blocks: its nearest are 2.34 and 3.45).
        double matched = G(baseLayers[^1]);
        var wider = Recipe(GrowthRule.Width, [matched], [GrowthOperator.Parse("szp")], scratch: false).Build();
        var both = Recipe(GrowthRule.Compound, [matched], [GrowthOperator.Parse("szp-stack")], scratch: false).Build();
        var progressive = seedList.SelectMany(seed => Progressive(target, Model, seed, smoke)).ToList();
        return new Sweep(name, [.. fromOne.Runs, .. baseLayers.Length > 1 ? deeper.Build().Runs : [], .. wider.Runs, .. both.Runs, .. progressive],
            $"depth growth of a {targetLayers}-block GPT from {string.Join(" and ", baseLayers)} block(s) (stack, interleave, identity, SZP), " +
            "and deeper vs wider vs both at equal g");
    }

    /// <summary>
    /// Progressive depth growth (beyond the paper; Deep Progressive Training grows once, early): one LR schedule over
    /// the target's whole token budget D, trained first by a 1-block model and, from a stated fraction of D on, by the
    /// model stacked from it. Two schedules: one growth (1 → target at 25% of D) and two (1 → 2 blocks at 25%, → target
    /// at 50%). Each stage continues the schedule where the last stopped, with a fresh warmup for its new optimizer;
    /// every stage's compute is the run's "base compute". Stage boundaries fall on whole steps.
    /// </summary>
    static IEnumerable<RunSpec> Progressive(RunSpec target, Func<int, GptConfig> model, long seed, bool smoke)
    {
        var targetModel = (GptConfig)target.Model;
        long budget = target.Train.BudgetTokens(targetModel.ParameterCount());
        long perStep = (long)target.Train.BatchSize * targetModel.ContextLength;
        long steps = (budget + perStep - 1) / perStep;
        var stack = GrowthOperator.Parse("stack");
        RunSpec Stage(int layers, double from, double to, RunSpec? previous)
        {
            long start = (long)Math.Round(from * steps) * perStep;
            long tokens = to >= 1 ? budget - start : (long)Math.Round(to * steps) * perStep - start;
            return target with
            {
                Model = layers == targetModel.Layers ? targetModel : model(layers),
                Train = target.Train with { Seed = seed, Tpp = null, Tokens = tokens, ScheduleTokens = budget, ScheduleOffsetTokens = start },
                Operator = previous is null ? null : stack,
                Base = previous,
            };
        }
        var oneStart = Stage(1, 0, 0.25, null);
        yield return Stage(targetModel.Layers, 0.25, 1, oneStart);
        if (smoke) yield break;
        var twoMiddle = Stage(2, 0.25, 0.5, oneStart);
        yield return Stage(targetModel.Layers, 0.5, 1, twoMiddle);
    }

    /// <summary>
    /// Depth growth of the dense MLP (the paper scales its MLPs in depth too): a 6-hidden-layer target of mlp-quick's
    /// middle width grown from 2 and 3 layers by every depth operator (identity layers are Net2DeeperNet's I, since an
    /// MLP has no residual stream), at mlp-quick's budgets, five seeds.
    /// </summary>
    static Sweep MlpDepthStudy(string name, string scale, int? seeds, IReadOnlyList<double>? budgets)
    {
        bool smoke = scale == "smoke";
        var mlp = MlpStudy(Warmstart.Experiments.Studies.Mlp.Preset(scale), scale, 1, null); // for its task and training settings
        var like = mlp.Runs.First(r => r.Base is null);
        var targetModel = ((MlpConfig)like.Model) with { Width = smoke ? 32 : 64, Depth = smoke ? 4 : 6 };
        int[] baseDepths = smoke ? [2] : [2, 3];
        double G(int depth) => (double)targetModel.ParameterCount() / (targetModel with { Depth = depth }).ParameterCount();
        return new SweepRecipe
        {
            Preset = name,
            Description = $"dense MLPs grown in depth ({string.Join(" and ", baseDepths)} → {targetModel.Depth} hidden layers): stack, interleave, identity, SZP vs scratch",
            Targets = [like with { Model = targetModel }], GrowthFactors = [.. baseDepths.Select(G)], Operators = DepthOperators(), Rule = GrowthRule.Depth,
            Train = like.Train with { Seed = 0, Tpp = null, Tokens = null }, Budgets = budgets is { Count: > 0 } ? budgets : smoke ? [3, 6] : [20, 35, 50],
            BaseBudget = smoke ? 5 : 20, Seeds = Enumerable.Range(0, seeds ?? (smoke ? 1 : 5)).Select(i => (long)i).ToList(),
        }.Build();
    }

    /// <summary>
    /// Why does function-preserving growth do worse? Scratch, SZP and function-preserving runs (g ≈ 2) of a language
    /// model and an MLP that keep weight snapshots along training, for the post-hoc weight analysis.
    /// </summary>
    static Sweep WeightsStudy(string name, string scale, int? seeds)
    {
        var lm = Get(scale == "smoke" ? "ablation-smoke" : "ablation-quick", seeds);
        var mlp = Get(scale == "smoke" ? "mlp-smoke" : "mlp-quick", seeds ?? 1, budgets: [scale == "smoke" ? 5 : 20]);
        bool Keep(RunSpec r) => r.Method == Method.Scratch || r.Method == Method.Szp || r.Method == Method.Fp;
        RunSpec WithSnapshots(RunSpec r, int every) => r with
        {
            Train = r.Train with { SnapshotEvery = every },
            Base = r.Base, // bases need no snapshots: they are shared with the other studies' runs
        };
        int lmEvery = scale == "smoke" ? 20 : 100, mlpEvery = scale == "smoke" ? 5 : 50;
        var mlpTarget = mlp.Runs.Where(r => r.Model.WidthUnits == (scale == "smoke" ? 32 : 64)).ToList();
        var mlpRuns = mlpTarget.Where(r => Keep(r) && (r.Base is null || Math.Abs(Math.Log(r.G / 2)) < 0.3)).Select(r => WithSnapshots(r, mlpEvery));
        var lmRuns = lm.Runs.Where(Keep).Select(r => WithSnapshots(r, lmEvery));
        return new Sweep(name, [.. lmRuns, .. mlpRuns], "weight snapshots of scratch, SZP and function-preserving runs (LM and MLP, g ≈ 2)");
    }

    static (string Study, string Scale) Split(string name) =>
        Warmstart.Experiments.Studies.OfPreset(name) is var (study, scale)
            ? (study.Name, scale)
            : throw new ArgumentException($"unknown preset '{name}': allowed are {string.Join(", ", Names)}");
}
