using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Warmstart.Analysis;

/// <summary>How a claim came out under its rule (docs/research.md, "How a claim is decided").</summary>
public enum Outcome
{
    Reproduced,     // the statistic's interval lies on the paper's side (or inside the equivalence margin, for "as good")
    NotReproduced,  // it lies on the other side
    Inconclusive,   // neither, or too little data to decide (one seed, too few configurations, a refused fit)
    NotObserved,    // claim 3 only: no bound up to the largest g tried — not evidence against a bound beyond it
}

/// <summary>
/// A claim's verdict: its <see cref="Outcome"/> and, for <see cref="Outcome.NotObserved"/>, the largest g tried
/// (<see cref="UpToG"/>, to one decimal as it is written). Written and read back as the tables spell it:
/// "reproduced", "not reproduced", "inconclusive", "not observed up to g = 22.7".
/// </summary>
public readonly record struct Verdict : IParsable<Verdict>
{
    public Outcome Outcome { get; }
    public double UpToG { get; }

    Verdict(Outcome outcome, double upToG) { Outcome = outcome; UpToG = upToG; }

    public static readonly Verdict Reproduced = new(Outcome.Reproduced, double.NaN),
        NotReproduced = new(Outcome.NotReproduced, double.NaN),
        Inconclusive = new(Outcome.Inconclusive, double.NaN);

    /// <summary>No bound observed up to <paramref name="g"/>, the largest growth factor tried (kept to one decimal, as written).</summary>
    public static Verdict NotObservedUpTo(double g) =>
        double.IsFinite(g) && g > 0 ? new(Outcome.NotObserved, Math.Round(g, 1))
            : throw new ArgumentException($"the largest g tried must be a positive number, got {g}");

    const string NotObservedPrefix = "not observed up to g = ";

    public override string ToString() => Outcome switch
    {
        Outcome.Reproduced => "reproduced",
        Outcome.NotReproduced => "not reproduced",
        Outcome.Inconclusive => "inconclusive",
        _ => NotObservedPrefix + UpToG.ToString("0.#", CultureInfo.InvariantCulture),
    };

    public static Verdict Parse(string s, IFormatProvider? provider = null) =>
        TryParse(s, provider, out var v) ? v
            : throw new FormatException($"unknown verdict '{s}': allowed are reproduced, not reproduced, inconclusive, {NotObservedPrefix}<g>");

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out Verdict result)
    {
        Verdict? parsed = s switch
        {
            "reproduced" => Reproduced,
            "not reproduced" => NotReproduced,
            "inconclusive" => Inconclusive,
            _ when s is not null && s.StartsWith(NotObservedPrefix, StringComparison.Ordinal)
                   && double.TryParse(s.AsSpan(NotObservedPrefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture, out var g) && g > 0
                => new Verdict(Outcome.NotObserved, g),
            _ => null,
        };
        result = parsed ?? Inconclusive;
        return parsed is not null;
    }
}
