using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>A learning rate and an init scale: one setting of a tuning grid, or the one a method keeps.</summary>
public sealed record TrainSetting(double Lr, double InitScale);

/// <summary>A named list of runs; bases are implied by the warm runs that name them.</summary>
public sealed record Sweep(string Preset, IReadOnlyList<RunSpec> Runs, string Description)
{
    /// <summary>Every run to train, bases included, each once, bases before the runs that grow from them.</summary>
    public IReadOnlyList<RunSpec> Ordered()
    {
        var seen = new HashSet<string>();
        var ordered = new List<RunSpec>();
        foreach (var spec in Runs.SelectMany(r => r.WithBases()))
            if (seen.Add(spec.Id)) ordered.Add(spec);
        return ordered;
    }

    /// <summary>This sweep's runs, then those of <paramref name="other"/> that it does not already hold (one preset, one description).</summary>
    public Sweep Union(Sweep other)
    {
        var ids = Runs.Select(r => r.Id).ToHashSet();
        return this with { Runs = [.. Runs, .. other.Runs.Where(r => ids.Add(r.Id))] };
    }

    /// <summary>The same sweep with every language model, bases included, on <paramref name="attention"/> (new run ids).</summary>
    public Sweep WithAttention(AttentionKernel attention) => this with { Runs = Runs.Select(r => r.WithAttention(attention)).ToList() };
}

/// <summary>
/// The recipe behind most presets: for each seed, budget and target, a scratch target plus, for each growth factor,
/// a base chosen by the planner (trained from scratch at the base budget) and one warm run per operator.
/// A recipe may carry a small grid per configuration — learning rates × init scales (GPT targets) — so that analyses
/// can keep each configuration's best setting, as the authors did. With <see cref="GridAppliesToBase"/> false the
/// bases are trained once at the recipe's own LR and init (the grid tunes the target's training, not the base).
/// </summary>
public sealed record SweepRecipe
{
    public required string Preset { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<RunSpec> Targets { get; init; }     // target models (a GPT with its data, or an MLP with its task)
    public required IReadOnlyList<double> GrowthFactors { get; init; }
    public required IReadOnlyList<GrowthOperator> Operators { get; init; }
    public required TrainConfig Train { get; init; }                 // LR, batch, schedule, eval: shared by every run
    public IReadOnlyList<double> Budgets { get; init; } = [20];       // target budgets in TPP
    public double BaseBudget { get; init; } = 20;                     // the base's budget in TPP (the paper: 20)
    public IReadOnlyList<long> Seeds { get; init; } = [0];
    public GrowthRule Rule { get; init; } = GrowthRule.Width;
    public bool IncludeScratch { get; init; } = true;
    public IReadOnlyList<double>? LearningRates { get; init; }        // an LR grid (each LR a separate set of runs)
    public IReadOnlyList<double>? InitScales { get; init; }           // an init-scale grid (GptConfig.InitScale; GPT targets only)
    public bool GridAppliesToBase { get; init; } = true;              // false: bases keep the recipe's LR and init scale
    public IReadOnlyList<GrowthOperator> UntrainedBaseOperators { get; init; } = []; // also grown from an untrained base of the same shape (a control)

    /// <summary>
    /// Kept (tuned) settings per method — "scratch" or an operator's name — that the target trains at in place of the
    /// recipe's LR and init scale: each method compared at its own best setting. Bases keep the recipe's setting, as
    /// in the tuning study that chose these. Null: every method at the recipe's setting.
    /// </summary>
    public IReadOnlyDictionary<string, TrainSetting>? MethodSettings { get; init; }

    /// <summary>The spec with the kept setting of <paramref name="method"/> applied (unchanged where the recipe keeps none for it).</summary>
    RunSpec AtSetting(RunSpec spec, string method) => MethodSettings?.TryGetValue(method, out var setting) == true
        ? spec with
        {
            Train = spec.Train with { Lr = setting.Lr },
            Model = spec.Model is GptConfig gpt ? gpt with { InitScale = setting.InitScale }
                : setting.InitScale == 1 ? spec.Model : throw new ArgumentException($"sweep '{Preset}': an init scale applies to GPT targets only"),
        }
        : spec;

    public Sweep Build()
    {
        if (Targets.Count == 0 || Budgets.Count == 0 || Seeds.Count == 0 || GrowthFactors.Count == 0 && Operators.Count > 0)
            throw new ArgumentException($"sweep '{Preset}' has no runs: it needs targets, budgets, seeds (and growth factors for its operators)");
        if (InitScales is { Count: > 0 } && Targets.Any(t => t.Model is not GptConfig))
            throw new ArgumentException($"sweep '{Preset}': an init-scale grid applies to GPT targets only");
        var runs = new List<RunSpec>();
        foreach (var seed in Seeds)
        foreach (var lr in LearningRates ?? [Train.Lr])
        foreach (var scale in InitScales ?? [double.NaN])
        foreach (var target in Targets)
        foreach (var budget in Budgets)
        {
            if (budget <= 0) throw new ArgumentException($"budgets must be positive tokens-per-parameter, got {budget}");
            var train = Train with { Seed = seed, Lr = lr, Tpp = budget, Tokens = null };
            var model = double.IsNaN(scale) ? target.Model : ((GptConfig)target.Model) with { InitScale = scale };
            var scratch = target with { Model = model, Train = train, Operator = null, Base = null };
            if (IncludeScratch) runs.Add(AtSetting(scratch, "scratch"));
            var ungridded = GridAppliesToBase ? scratch : target with { Train = Train with { Seed = seed, Tpp = budget, Tokens = null }, Operator = null, Base = null };
            foreach (var g in GrowthFactors)
            {
                var baseSpec = ungridded.WithPlannedBase(g, Rule) with { Train = ungridded.Train with { Tpp = BaseBudget } };
                foreach (var op in Operators) runs.Add(AtSetting(scratch with { Operator = op, Base = baseSpec }, op.Name));
                foreach (var op in UntrainedBaseOperators) runs.Add(AtSetting(scratch with { Operator = op, Base = baseSpec with { Untrained = true } }, op.Name));
            }
        }
        return new Sweep(Preset, runs, Description);
    }
}
