using System.Text;
using Microsoft.Data.Analysis;

namespace Warmstart.Analysis;

/// <summary>
/// One arm of the controls study at one g: its final loss, and its paired differences (same seed, target, budget)
/// to scratch and to SZP from the trained base, each with a 95% t interval over seeds; <c>Wins</c> counts the seeds
/// where the arm ends below scratch, <c>StartLoss</c> is the mean loss right after growth (before any step).
/// </summary>
public sealed record ControlRow(double G, string Method, string Arm, int N, double FinalLoss, double StartLoss,
    double VsScratch, double VsScratchLo, double VsScratchHi, int Wins,
    double VsSzp, double VsSzpLo, double VsSzpHi);

/// <summary>The controls' answer at one g (or overall): the verdict, the sentence a reader sees, and its evidence.</summary>
public sealed record ControlsAnswer(double G, string Verdict, string Reading);

/// <summary>
/// Does SZP transfer what the base learned, or only a better starting scale? (issue 12, item 3.) Three controls
/// share SZP's shapes and budgets: SZP from an untrained base of the same shape (no knowledge, the base's init
/// scale), SZP from the trained base with each tensor's entries permuted (the trained values and norms, no
/// structure), and scratch rescaled per tensor to the norms of SZP's start (the scale alone). All comparisons are
/// paired by seed; the rules:
/// <list type="bullet">
/// <item><see cref="Knowledge"/>: SZP from the trained base ends below each of the three controls (every
/// interval of SZP − control &lt; 0) — the base's structure matters, its scale does not explain the gain.</item>
/// <item><see cref="Scale"/>: rescaled scratch ends below scratch (interval &lt; 0) and SZP is not below rescaled
/// scratch (the interval of SZP − rescaled reaches 0 or above) — the starting scale explains the gain.</item>
/// <item><see cref="NoGain"/>: SZP itself is not below scratch (interval reaches 0): there is nothing to explain.</item>
/// <item><see cref="Inconclusive"/>: anything else, including one seed (no interval).</item>
/// </list>
/// Over several g the overall answer is the common one, or "differs by g".
/// </summary>
public static class Controls
{
    public const string Szp = "szp", Untrained = "szp-untrained-base", Permuted = "szp-permuted-base", Rescaled = "scratch-rescaled";
    public const string Knowledge = "what the base learned", Scale = "the starting scale", NoGain = "no gain to explain",
        Inconclusive = "inconclusive", DiffersByG = "differs by g";

    /// <summary>The arms in reading order, with the words a reader sees.</summary>
    public static readonly IReadOnlyList<(string Method, string Arm)> Arms =
    [
        (Szp, "SZP from the trained base"),
        (Untrained, "SZP from an untrained base (same shape)"),
        (Permuted, "SZP from the trained base, entries permuted per tensor"),
        (Rescaled, "scratch rescaled to the norms of SZP's start"),
    ];

    /// <summary>Whether these results hold a controls study (SZP and at least one control arm).</summary>
    public static bool Applies(ResultTables results) =>
        results.RunRows().Select(r => r.Method).ToHashSet() is var m && m.Contains(Szp) && Arms.Skip(1).Any(a => m.Contains(a.Method));

    /// <summary>Per g (rounded to 2 decimals) and arm: the paired comparisons to scratch and to SZP.</summary>
    public static List<ControlRow> Compare(ResultTables results)
    {
        var (selected, _) = Selection.BestPerConfiguration(results);
        var runs = selected.RunRows().Where(r => r.Status == "finished" && !r.Diverged && double.IsFinite(r.FinalValLoss)).ToList();
        var scratch = runs.Where(r => r.Method == "scratch").ToList();
        RunRow? ScratchOf(RunRow w) => scratch.FirstOrDefault(s => s.Model == w.Model && s.Tpp == w.Tpp && s.Seed == w.Seed);
        var rows = new List<ControlRow>();
        foreach (var g in runs.Where(r => r.Method == Szp).Select(r => Math.Round(r.G, 2)).Distinct().OrderBy(g => g))
        {
            var atG = runs.Where(r => r.BaseId.Length > 0 && Math.Round(r.G, 2) == g).ToList();
            var szp = atG.Where(r => r.Method == Szp).ToList();
            foreach (var (method, arm) in Arms)
            {
                var mine = atG.Where(r => r.Method == method).ToList();
                if (mine.Count == 0) continue;
                var vsScratch = mine.Select(r => (r, s: ScratchOf(r))).Where(p => p.s is not null).Select(p => p.r.FinalValLoss - p.s!.FinalValLoss).ToList();
                var vsSzp = mine.Select(r => (r, z: szp.FirstOrDefault(z => z.Model == r.Model && z.Tpp == r.Tpp && z.Seed == r.Seed)))
                    .Where(p => p.z is not null).Select(p => p.r.FinalValLoss - p.z!.FinalValLoss).ToList();
                var a = Stats.TInterval(vsScratch);
                var b = method == Szp ? Estimate.None() : Stats.TInterval(vsSzp);
                rows.Add(new ControlRow(g, method, arm, mine.Count, mine.Average(r => r.FinalValLoss), mine.Average(r => r.InitialValLoss),
                    a.Value, a.Lo, a.Hi, vsScratch.Count(d => d < 0), b.Value, b.Lo, b.Hi));
            }
        }
        return rows;
    }

    /// <summary>The answer at each g, then overall (G = NaN), by the rules in the class summary.</summary>
    public static List<ControlsAnswer> Answer(IReadOnlyList<ControlRow> rows)
    {
        var answers = new List<ControlsAnswer>();
        foreach (var g in rows.Select(r => r.G).Distinct().OrderBy(g => g))
        {
            var at = rows.Where(r => r.G == g).ToDictionary(r => r.Method);
            if (!at.TryGetValue(Szp, out var szp)) continue;
            var controls = Arms.Skip(1).Where(a => at.ContainsKey(a.Method)).Select(a => at[a.Method]).ToList();
            string verdict =
                szp.N < 2 || controls.Any(c => c.N < 2) ? Inconclusive
                : !(szp.VsScratchHi < 0) ? NoGain
                : controls.Count == Arms.Count - 1 && controls.All(c => c.VsSzpLo > 0) ? Knowledge
                : at.TryGetValue(Rescaled, out var rs) && rs.VsScratchHi < 0 && !(rs.VsSzpLo > 0) ? Scale
                : Inconclusive;
            var parts = new List<string> { $"SZP − scratch {Show(szp.VsScratch, szp.VsScratchLo, szp.VsScratchHi)} ({szp.Wins} of {szp.N} seeds below scratch)" };
            parts.AddRange(controls.Select(c => $"SZP − {Short(c.Method)} {Show(-c.VsSzp, -c.VsSzpHi, -c.VsSzpLo)}"));
            answers.Add(new ControlsAnswer(g, verdict, $"g = {g:0.##}: {Describe(verdict)} — {string.Join("; ", parts)} (final validation loss, nats, paired by seed, 95% intervals)."));
        }
        if (answers.Count > 0)
        {
            var verdicts = answers.Select(a => a.Verdict).Distinct().ToList();
            string overall = verdicts.Count == 1 ? verdicts[0] : DiffersByG;
            answers.Add(new ControlsAnswer(double.NaN, overall, overall == DiffersByG
                ? "The answer differs by g: " + string.Join("; ", answers.Select(a => $"g = {a.G:0.##}: {a.Verdict}")) + "."
                : $"At every g studied ({string.Join(", ", answers.Select(a => a.G.ToString("0.##")))}): {Describe(overall)}."));
        }
        return answers;
    }

    static string Describe(string verdict) => verdict switch
    {
        Knowledge => "SZP transfers what the base learned — it ends below every control, so neither the base's init scale, nor its trained values without their structure, nor SZP's starting norms explain the gain",
        Scale => "a better starting scale explains the gain — scratch rescaled to SZP's norms ends below scratch and SZP is not below it",
        NoGain => "SZP does not end clearly below scratch here, so there is no gain to attribute",
        _ => "inconclusive — the intervals do not separate the arms (or one seed gives no interval)",
    };

    static string Short(string method) => method switch
    {
        Untrained => "SZP(untrained base)", Permuted => "SZP(permuted base)", Rescaled => "rescaled scratch", _ => method,
    };

    static string Show(double v, double lo, double hi) => Display.Interval(v, lo, hi);

    public static DataFrame ToFrame(IEnumerable<ControlRow> rows) => Frames.FromRecords(rows);

    /// <summary>A markdown table of the arms per g, then the answers.</summary>
    public static string Markdown(IReadOnlyList<ControlRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| g | arm | n | final loss | loss after growth | Δ vs scratch [95%] | below scratch | Δ vs SZP [95%] |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            sb.AppendLine($"| {r.G:0.##} | {r.Arm} | {r.N} | {r.FinalLoss:0.000} | {r.StartLoss:0.000} | {Show(r.VsScratch, r.VsScratchLo, r.VsScratchHi)} | " +
                          $"{r.Wins} of {r.N} | {(r.Method == Szp ? "–" : Show(r.VsSzp, r.VsSzpLo, r.VsSzpHi))} |");
        sb.AppendLine();
        foreach (var a in Answer(rows)) sb.AppendLine($"- {a.Reading}");
        return sb.ToString();
    }
}
