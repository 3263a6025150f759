namespace Warmstart.Training;

/// <summary>summary.json: what a finished (or diverged) run produced.</summary>
public sealed record RunSummary
{
    public long Params { get; init; }
    public long Tokens { get; init; }              // tokens trained on (steps × tokens per step)
    public long BudgetTokens { get; init; }        // the requested budget (TPP·N or --tokens)
    public double Flops { get; init; }             // the paper's C = 6·N·D
    public long Steps { get; init; }
    public double FinalValLoss { get; init; } = double.NaN;
    public double FinalTrainLoss { get; init; } = double.NaN;
    public double InitialValLoss { get; init; } = double.NaN; // before the first step (for a grown model: right after growth)
    public bool Diverged { get; init; }
    public long? DivergedStep { get; init; }
    public string? DivergedReason { get; init; }   // e.g. "gradient norm is +inf" (null unless diverged)
    public double TokensPerSecond { get; init; }   // training tokens over training time (validation excluded)
    public double Seconds { get; init; }           // wall time, validation and checkpoints included
    public string Device { get; init; } = "";
    public int Threads { get; init; }
    public string? Init { get; init; }
    public DateTimeOffset Finished { get; init; }
}

/// <summary>One row of curve.csv. Row 0 is the initial evaluation; val_loss is NaN between evaluations.</summary>
public sealed record CurvePoint(long Step, long Tokens, double Flops, double Lr, double TrainLoss, double ValLoss, double GradNorm, double Seconds)
{
    public const string Header = "step,tokens,flops,lr,train_loss,val_loss,grad_norm,seconds";

    public string ToCsv() => string.Join(",", Step, Tokens, F(Flops), F(Lr), F(TrainLoss), F(ValLoss), F(GradNorm), F(Seconds));

    static string F(double v) => double.IsNaN(v) ? "" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public static CurvePoint Parse(string line)
    {
        var p = line.Split(',');
        if (p.Length != 8) throw new InvalidDataException($"curve row has {p.Length} fields, expected 8: '{line}'");
        double D(string s) => s.Length == 0 ? double.NaN : double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        return new CurvePoint(long.Parse(p[0]), long.Parse(p[1]), D(p[2]), D(p[3]), D(p[4]), D(p[5]), D(p[6]), D(p[7]));
    }

    /// <summary>
    /// Every row of a finished run's curve (complete by then), or an InvalidDataException naming the first bad row.
    /// <see cref="ReadAll"/> is the lenient reader for resuming, where a kill may have cut the last row.
    /// </summary>
    public static List<CurvePoint> ReadStrict(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{System.IO.Path.GetFileName(path)} is missing");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header) throw new InvalidDataException($"{System.IO.Path.GetFileName(path)} does not start with the header '{Header}'");
        var points = new List<CurvePoint>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            try { points.Add(Parse(lines[i])); }
            catch (Exception e) when (e is FormatException or OverflowException or InvalidDataException)
            {
                var shown = lines[i].Length > 60 ? lines[i][..60] + "…" : lines[i];
                throw new InvalidDataException($"{System.IO.Path.GetFileName(path)} line {i + 1} is not a row of 8 numbers: '{shown}'", e);
            }
        }
        return points;
    }

    public static List<CurvePoint> ReadAll(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0 && l.Count(c => c == ',') == 7).Select(Parse).ToList();
}

/// <summary>What the trainer reports while it runs (progress bars, notebook displays).</summary>
public sealed record TrainProgress(long Step, long TotalSteps, double TrainLoss, double ValLoss, double TokensPerSecond, double Lr);
