using Warmstart.Training;

namespace Warmstart.Reporting;

/// <summary>How one series is drawn: line and marker colour, line dash, marker symbol.</summary>
public sealed record SeriesStyle(string Color, string Dash, string Symbol);

/// <summary>
/// The visual language every figure shares. A method (growth operator, control arm, or the base model's role) has
/// one colour, one dash and one marker in every chart, so what a reader learns in one figure ("SZP is blue and
/// solid") holds in all of them. Series that are not methods (FLOP levels, budgets) take <see cref="Level"/>, a
/// sequential scheme whose colours no method uses. Two dashes are kept for references and never given to a method:
/// dotted for zero and break-even lines, dashed for reference loss levels (a base's final loss, scratch at the same
/// compute).
/// </summary>
public static class Palette
{
    public const string ZeroDash = "dot", ReferenceDash = "dash";

    /// <summary>The colour of zero, break-even and legend-key traces that stand for no series in particular.</summary>
    public const string Neutral = "#777777";

    // Okabe–Ito hues (distinguishable with the common colour-vision deficiencies) for the paper's operators; the
    // controls take hues near the method they alter (untrained base: a light SZP blue; rescaled scratch: a light grey).
    static readonly Dictionary<Method, SeriesStyle> Methods = new()
    {
        [Method.Scratch] = new("#333333", "solid", "circle"),
        [Method.Szp] = new("#0072b2", "solid", "circle"),
        [Method.Fp] = new("#d55e00", "longdash", "square"),
        [Method.Zeros] = new("#cc79a7", "dashdot", "diamond"),
        [Method.ZerosShrink] = new("#009e73", "longdashdot", "triangle-up"),
        [Method.ZerosPerturb] = new("#e69f00", "dashdot", "triangle-down"),
        [Method.SzpUntrainedBase] = new("#56b4e9", "longdash", "diamond"),
        [Method.SzpPermutedBase] = new("#882255", "dashdot", "square"),
        [Method.ScratchRescaled] = new("#999999", "longdashdot", "triangle-up"),
        [Method.Hypercloning] = new("#a6761d", "longdash", "pentagon"),
        [Method.Net2Net] = new("#44aa99", "longdash", "hexagon"),
        [Method.Stack] = new("#117733", "dashdot", "star-square"),
        [Method.Interleave] = new("#999933", "longdashdot", "star-diamond"),
        [Method.Identity] = new("#aa4499", "dashdot", "hourglass"),
        [Method.SzpDepth] = new("#1f78b4", "solid", "circle-open"),
        [Method.SzpStack] = new("#332288", "longdash", "cross"),
        [Method.StackProgressive] = new("#44bb44", "longdashdot", "star-triangle-up"),
        [Method.Untrained] = new("#bbbbbb", "solid", "x"),
    };

    /// <summary>The style of a method, the same in every figure (every <see cref="Method"/> has one: a test checks).</summary>
    public static SeriesStyle Of(Method method) => Methods[method];

    /// <summary>The methods in reading order (scratch first): legends list them so.</summary>
    public static IReadOnlyList<Method> KnownMethods { get; } = [.. Methods.Keys];

    /// <summary>The base model's role (a series of its losses), which is not a method of the target.</summary>
    public static readonly SeriesStyle BaseModel = new("#8c6d31", "longdash", "diamond-wide");

    // Plasma from dark to light, its palest end left out so that a level stays readable on white.
    static readonly string[] Levels = ["#0d0887", "#6a00a8", "#b12a90", "#e16462", "#fca636"];

    /// <summary>The colour of level <paramref name="i"/> of <paramref name="count"/> ordered levels (dark: the lowest).</summary>
    public static string Level(int i, int count) =>
        count <= 1 ? Levels[0] : Levels[(int)Math.Round(i * (Levels.Length - 1.0) / (count - 1))];
}
