namespace Warmstart.Charts;

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
    static readonly Dictionary<string, SeriesStyle> Methods = new(StringComparer.Ordinal)
    {
        ["scratch"] = new("#333333", "solid", "circle"),
        ["szp"] = new("#0072b2", "solid", "circle"),
        ["fp"] = new("#d55e00", "longdash", "square"),
        ["zeros"] = new("#cc79a7", "dashdot", "diamond"),
        ["zeros-shrink"] = new("#009e73", "longdashdot", "triangle-up"),
        ["zeros-perturb"] = new("#e69f00", "dashdot", "triangle-down"),
        ["szp-untrained-base"] = new("#56b4e9", "longdash", "diamond"),
        ["szp-permuted-base"] = new("#882255", "dashdot", "square"),
        ["scratch-rescaled"] = new("#999999", "longdashdot", "triangle-up"),
        ["hypercloning"] = new("#a6761d", "longdash", "pentagon"),
        ["net2net"] = new("#44aa99", "longdash", "hexagon"),
        ["stack"] = new("#117733", "dashdot", "star-square"),
        ["interleave"] = new("#999933", "longdashdot", "star-diamond"),
        ["identity"] = new("#aa4499", "dashdot", "hourglass"),
        ["untrained"] = new("#bbbbbb", "solid", "x"),
        ["base"] = new("#8c6d31", "longdash", "diamond-wide"),
    };

    // For a method this map does not know: chosen by a hash of the name, so it is the same in every chart.
    static readonly SeriesStyle[] Spare =
    [
        new("#332288", "longdash", "cross"), new("#661100", "dashdot", "triangle-left"),
        new("#6699cc", "longdashdot", "triangle-right"), new("#888888", "longdash", "hexagram"),
    ];

    /// <summary>The style of a method, the same in every figure.</summary>
    public static SeriesStyle Of(string method)
    {
        if (Methods.TryGetValue(method, out var style)) return style;
        uint hash = 2166136261; // FNV-1a: string.GetHashCode differs between processes
        foreach (char c in method) hash = (hash ^ c) * 16777619;
        return Spare[hash % (uint)Spare.Length];
    }

    /// <summary>The methods the map names, in reading order.</summary>
    public static IReadOnlyCollection<string> KnownMethods => Methods.Keys;

    // Plasma from dark to light, its palest end left out so that a level stays readable on white.
    static readonly string[] Levels = ["#0d0887", "#6a00a8", "#b12a90", "#e16462", "#fca636"];

    /// <summary>The colour of level <paramref name="i"/> of <paramref name="count"/> ordered levels (dark: the lowest).</summary>
    public static string Level(int i, int count) =>
        count <= 1 ? Levels[0] : Levels[(int)Math.Round(i * (Levels.Length - 1.0) / (count - 1))];
}
