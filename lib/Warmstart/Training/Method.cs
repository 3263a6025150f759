using System.Diagnostics.CodeAnalysis;

namespace Warmstart.Training;

/// <summary>
/// How a run started (<see cref="RunSpec.Method"/>), spelled as run ids, runs.csv and every analysis table spell it:
/// scratch, a growth operator, a control arm, or an untrained (zero-step) base. A closed set: <see cref="Parse"/> refuses any
/// other spelling, so a typo stops the read that meets it instead of leaving a series out of a chart. A record
/// rather than an enum so that it prints as its spelling wherever it is written (file names, legends, readings).
/// </summary>
public sealed record Method : IParsable<Method>, IComparable<Method>
{
    /// <summary>The name in the tables, the run ids and the palette ("szp-permuted-base").</summary>
    public string Spelling { get; }

    Method(string spelling) => Spelling = spelling;

    public static readonly Method
        Scratch = new("scratch"),
        Untrained = new("untrained"),                  // a zero-step run: the controls' untrained base
        Zeros = new("zeros"),
        ZerosShrink = new("zeros-shrink"),
        ZerosPerturb = new("zeros-perturb"),
        Szp = new("szp"),
        Fp = new("fp"),
        Hypercloning = new("hypercloning"),
        Net2Net = new("net2net"),
        Stack = new("stack"),
        Interleave = new("interleave"),
        Identity = new("identity"),
        SzpDepth = new("szp-depth"),                   // SZP on depth: the base's blocks shrunk and perturbed in place, fresh blocks on top
        SzpStack = new("szp-stack"),                   // compound growth: SZP across width, the base's blocks stacked for depth
        StackProgressive = new("stack-progressive"),   // progressive growth: stacked during training, continuing its base's LR schedule
        SzpPermutedBase = new("szp-permuted-base"),
        ScratchRescaled = new("scratch-rescaled"),
        SzpUntrainedBase = new("szp-untrained-base"); // SZP grown from an untrained base (RunSpec appends "-untrained-base")

    /// <summary>Every method, in declaration order.</summary>
    public static IReadOnlyList<Method> All { get; } =
    [
        Scratch, Untrained, Zeros, ZerosShrink, ZerosPerturb, Szp, Fp, Hypercloning, Net2Net, Stack, Interleave, Identity, SzpDepth, SzpStack, StackProgressive,
        SzpPermutedBase, ScratchRescaled, SzpUntrainedBase,
    ];

    static readonly Dictionary<string, Method> BySpelling = All.ToDictionary(m => m.Spelling, StringComparer.Ordinal);

    public override string ToString() => Spelling;

    /// <summary>Alphabetical by spelling (ordinal), the order the tables list methods in.</summary>
    public int CompareTo(Method? other) => string.CompareOrdinal(Spelling, other?.Spelling);

    /// <summary>The method spelled <paramref name="s"/>; a <see cref="FormatException"/> naming the value and the allowed spellings otherwise.</summary>
    public static Method Parse(string s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var method) ? method
            : throw new FormatException($"unknown method '{s}': allowed are {string.Join(", ", All)}");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, [MaybeNullWhen(false)] out Method result) =>
        BySpelling.TryGetValue(s ?? "", out result);
}
