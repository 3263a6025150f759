namespace Warmstart.Experiments;

/// <summary>
/// One study: a research question, trained as a sweep preset at each of its scales, the paper's claims it decides
/// (in the README's findings), the notebooks that read it and the figures that headline it. Presets, verdicts, the
/// README and the notebooks all read <see cref="Studies"/> rather than spelling study names themselves.
/// </summary>
/// <param name="Name">the study as notebooks and the CLI name it ("budget"); "growth" is the headline study</param>
/// <param name="Question">what it asks, in a line</param>
/// <param name="Scales">the scales it has presets for</param>
/// <param name="Decides">the claims whose README verdict it gives, first choice first ("2", "4a")</param>
/// <param name="Notebooks">the notebooks that read its results</param>
/// <param name="Headline">the charts (report's file names, without .html) a reader sees first for it</param>
public sealed record Study(string Name, string Question, IReadOnlyList<string> Scales, IReadOnlyList<string> Decides,
    IReadOnlyList<string> Notebooks, IReadOnlyList<string> Headline)
{
    /// <summary>Its sweep preset at a scale: "quick" for the growth study, "budget-quick" for the others.</summary>
    public string Preset(string scale) => Name == Studies.Growth.Name ? scale : $"{Name}-{scale}";
}

/// <summary>Every study of the workbook, in the order the notebooks take them.</summary>
public static class Studies
{
    static readonly string[] Small = ["smoke", "quick"], AllScales = ["smoke", "quick", "paper"];

    public static readonly Study
        Growth = new("growth", "speedup and ΔL of SZP and function-preserving growth against scratch across g", AllScales, ["2", "3", "4a"],
            ["03-growth-factor"], ["delta_vs_g", "speedup_vs_g", "isoflop_szp"]),
        Ablation = new("ablation", "every width operator from one base: does preserving the function matter?", AllScales, ["1", "2"],
            ["01-function-preservation"], ["grown_vs_final"]),
        FpNoise = new("fp-noise", "how much symmetry-breaking noise makes the function-preserving rival strongest", Small, [],
            ["01-function-preservation"], []),
        Lambda = new("lambda", "SZP's shrink λ and perturbation σ", AllScales, [], ["02-shrinking"], ["lambda_sweep"]),
        Budget = new("budget", "the growth study at 10, 20 and 30 tokens per parameter, several target sizes", AllScales, ["4a", "4b", "5"],
            ["04-token-budget", "05-scaling-laws"], ["speedup_vs_g"]),
        Lr = new("lr", "does the base's learning rate transfer under µP?", AllScales, [], ["06-hyperparameters"], ["lr_sweep"]),
        Tune = new("tune", "is every method at its best? LR × init scale, one setting kept per method", Small, [],
            ["03-growth-factor", "06-hyperparameters"], []),
        Mlp = new("mlp", "the same claims on dense MLPs (teacher–student task)", Small, [], ["05-scaling-laws", "07-mlp"], ["speedup_vs_g"]),
        Weights = new("weights", "how the weights move after growth (effective rank, cosine, radial and angular change)", Small, [],
            ["08-weights"], []),
        ScratchDefault = new("scratch-default", "is scratch at its best? its target at the former default setting, paired by seed with the growth study's", Small, [],
            ["06-hyperparameters"], []),
        Controls = new("controls", "does SZP transfer what the base learned, or a better starting scale?", Small, [], ["09-controls"], []),
        Depth = new("depth", "growth in depth: every depth operator, deeper vs wider, progressive growth", Small, [], ["10-depth"], ["delta_vs_g"]),
        MlpDepth = new("mlp-depth", "dense MLPs grown in depth", Small, [], ["10-depth"], ["delta_vs_g"]);

    public static IReadOnlyList<Study> All { get; } = [Growth, Ablation, FpNoise, Lambda, Budget, Lr, Tune, ScratchDefault, Mlp, Weights, Controls, Depth, MlpDepth];

    /// <summary>The study named <paramref name="name"/>; an ArgumentException naming the allowed ones otherwise.</summary>
    public static Study Named(string name) =>
        All.FirstOrDefault(s => s.Name == (name ?? "").Trim().ToLowerInvariant())
        ?? throw new ArgumentException($"unknown study '{name}': allowed are {string.Join(", ", All.Select(s => s.Name))}");

    /// <summary>The study and scale of a preset name ("budget-quick" → budget, quick; "quick" → growth, quick), or null.</summary>
    public static (Study Study, string Scale)? OfPreset(string preset)
    {
        var n = (preset ?? "").Trim().ToLowerInvariant();
        foreach (var study in All)
        foreach (var scale in study.Scales)
            if (study.Preset(scale) == n) return (study, scale);
        return null;
    }

    /// <summary>Every preset name: the growth study's scales, then "study-scale" for the others.</summary>
    public static IEnumerable<string> Presets => All.SelectMany(s => s.Scales.Select(s.Preset));

    /// <summary>The studies that decide <paramref name="claim"/> in the README, first choice first.</summary>
    public static IReadOnlyList<Study> Deciding(string claim) =>
        All.Where(s => s.Decides.Contains(claim)).OrderBy(s => s.Decides.ToList().IndexOf(claim)).ToList();
}
