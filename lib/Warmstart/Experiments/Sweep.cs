using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Experiments;

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
}

/// <summary>
/// The recipe behind most presets: for each seed, budget and target, a scratch target plus, for each growth factor,
/// a base chosen by the planner (trained from scratch at the base budget) and one warm run per operator.
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

    public Sweep Build()
    {
        if (Targets.Count == 0 || Budgets.Count == 0 || Seeds.Count == 0 || GrowthFactors.Count == 0 && Operators.Count > 0)
            throw new ArgumentException($"sweep '{Preset}' has no runs: it needs targets, budgets, seeds (and growth factors for its operators)");
        var runs = new List<RunSpec>();
        foreach (var seed in Seeds)
        foreach (var lr in LearningRates ?? [Train.Lr])
        foreach (var target in Targets)
        foreach (var budget in Budgets)
        {
            if (budget <= 0) throw new ArgumentException($"budgets must be positive tokens-per-parameter, got {budget}");
            var train = Train with { Seed = seed, Lr = lr, Tpp = budget, Tokens = null };
            var scratch = target with { Train = train, Operator = null, Base = null };
            if (IncludeScratch) runs.Add(scratch);
            foreach (var g in GrowthFactors)
            {
                var baseSpec = scratch.WithPlannedBase(g, Rule) with { Train = train with { Tpp = BaseBudget } };
                foreach (var op in Operators) runs.Add(scratch with { Operator = op, Base = baseSpec });
            }
        }
        return new Sweep(Preset, runs, Description);
    }
}
