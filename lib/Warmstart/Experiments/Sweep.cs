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
    public required IReadOnlyList<GptConfig> Targets { get; init; }
    public required IReadOnlyList<double> GrowthFactors { get; init; }
    public required IReadOnlyList<GrowthOperator> Operators { get; init; }
    public required TrainConfig Train { get; init; }                 // LR, batch, schedule, eval: shared by every run
    public IReadOnlyList<double> Budgets { get; init; } = [20];       // target budgets in TPP
    public double BaseBudget { get; init; } = 20;                     // the base's budget in TPP (the paper: 20)
    public IReadOnlyList<long> Seeds { get; init; } = [0];
    public GrowthRule Rule { get; init; } = GrowthRule.Width;
    public string Data { get; init; } = "brown";
    public string Tokenizer { get; init; } = "byte";
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
            if (IncludeScratch) runs.Add(new RunSpec { Model = target, Train = train, Data = Data, Tokenizer = Tokenizer });
            foreach (var g in GrowthFactors)
            {
                var plan = GrowthPlanner.Base(target, g, Rule);
                var baseSpec = new RunSpec
                {
                    Model = plan.Base, Train = train with { Tpp = BaseBudget }, Data = Data, Tokenizer = Tokenizer,
                };
                foreach (var op in Operators)
                    runs.Add(new RunSpec { Model = target, Train = train, Data = Data, Tokenizer = Tokenizer, Operator = op, Base = baseSpec });
            }
        }
        return new Sweep(Preset, runs, Description);
    }
}
