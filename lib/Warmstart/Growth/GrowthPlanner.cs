using System.Text.Json.Serialization;
using Warmstart.Model;

namespace Warmstart.Growth;

/// <summary>Which dimensions a growth step may change.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GrowthRule>))]
public enum GrowthRule
{
    Width,    // width at fixed depth
    Depth,    // depth at fixed width
    Both,     // width, depth or both
    Compound, // width and depth together: neither alone (compound growth)
}

public sealed record GrowthPlan<T>(T Base, T Target, double RequestedG, double RealisedG, GrowthRule Rule);

/// <summary>
/// Picks the config pair whose realised growth factor g = N_target / N_base (total parameters) is closest to the
/// requested one in log space. Models grow in whole units (heads, hidden units) and whole blocks, so g is realised
/// only approximately; the plan reports the realised value. With <see cref="GrowthRule.Both"/>, ties go to the
/// most balanced change of width and depth.
/// </summary>
public static class GrowthPlanner
{
    /// <summary>Largest miss (as a factor) before a request counts as impossible.</summary>
    public const double DefaultTolerance = 1.5;
    const int MaxWidthUnits = 4096, MaxDepth = 256;

    public static GrowthPlan<T> Target<T>(T baseConfig, double g, GrowthRule rule, double tolerance = DefaultTolerance)
        where T : IScalableConfig<T>
    {
        CheckG(g);
        long nb = baseConfig.ParameterCount();
        var candidates = Candidates(baseConfig, rule, grow: true);
        var best = Best(candidates, c => (double)c.ParameterCount() / nb, g, baseConfig, rule);
        double realised = (double)best.ParameterCount() / nb;
        if (Miss(realised, g) > tolerance)
            throw new ArgumentException(
                $"g = {g} is out of reach from {baseConfig.Label()} by growing {Describe(rule)}: the closest target gives g = {realised:0.###}");
        return new GrowthPlan<T>(baseConfig, best, g, realised, rule);
    }

    public static GrowthPlan<T> Base<T>(T target, double g, GrowthRule rule, double tolerance = DefaultTolerance)
        where T : IScalableConfig<T>
    {
        CheckG(g);
        long nt = target.ParameterCount();
        var candidates = Candidates(target, rule, grow: false);
        var best = Best(candidates, c => (double)nt / c.ParameterCount(), g, target, rule);
        double realised = (double)nt / best.ParameterCount();
        if (Miss(realised, g) > tolerance)
            throw new ArgumentException(
                $"g = {g} is out of reach for {target.Label()} by shrinking {Describe(rule)}: the closest base gives g = {realised:0.###}");
        return new GrowthPlan<T>(best, target, g, realised, rule);
    }

    static void CheckG(double g)
    {
        if (!(g > 1) || double.IsInfinity(g)) throw new ArgumentException($"growth factor g must be a finite number > 1, got {g}");
    }

    static string Describe(GrowthRule rule) => rule switch
    {
        GrowthRule.Width => "width at fixed depth",
        GrowthRule.Depth => "depth at fixed width",
        GrowthRule.Compound => "width and depth together",
        _ => "width and depth",
    };

    static double Miss(double realised, double g) => Math.Exp(Math.Abs(Math.Log(realised / g)));

    static IEnumerable<T> Candidates<T>(T anchor, GrowthRule rule, bool grow) where T : IScalableConfig<T>
    {
        int w = anchor.WidthUnits, d = anchor.DepthUnits;
        IEnumerable<int> Widths() => rule == GrowthRule.Depth ? [w] : grow ? Enumerable.Range(w, MaxWidthUnits - w + 1) : Enumerable.Range(1, w);
        IEnumerable<int> Depths() => rule == GrowthRule.Width ? [d] : grow ? Enumerable.Range(d, MaxDepth - d + 1) : Enumerable.Range(1, d);
        foreach (var wu in Widths())
        foreach (var du in Depths())
            if (rule == GrowthRule.Compound ? wu != w && du != d : wu != w || du != d) yield return anchor.Resized(wu, du);
    }

    /// <summary>
    /// The candidate closest to g. When growing both width and depth many pairs come close, so among those within 2%
    /// of the closest the most balanced (width and depth scaled alike) wins.
    /// </summary>
    static T Best<T>(IEnumerable<T> candidates, Func<T, double> realisedG, double g, T anchor, GrowthRule rule) where T : IScalableConfig<T>
    {
        var scored = candidates.Select(c => (Config: c, Miss: Math.Abs(Math.Log(realisedG(c) / g)),
            Balance: Math.Abs(Math.Log((double)c.WidthUnits / anchor.WidthUnits) - Math.Log((double)c.DepthUnits / anchor.DepthUnits))))
            .ToList();
        if (scored.Count == 0) throw new ArgumentException($"no candidate configs around {anchor.Label()}");
        double closest = scored.Min(s => s.Miss);
        if (rule is GrowthRule.Width or GrowthRule.Depth) return scored.OrderBy(s => s.Miss).First().Config;
        return scored.Where(s => s.Miss <= closest + Math.Log(1.02))
            .OrderBy(s => s.Balance).ThenBy(s => s.Miss).First().Config;
    }
}
