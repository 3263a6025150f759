namespace Warmstart.Training;

/// <summary>summary.json: what a finished (or diverged) run produced.</summary>
public sealed record RunSummary
{
    public long Params { get; init; }
    public long Tokens { get; init; }              // tokens trained on (steps × tokens per step)
    public long BudgetTokens { get; init; }        // the requested budget (TPP·N or --tokens)
    public double Flops { get; init; }             // the paper's C = 6·N·D
    public long Steps { get; init; }
    public double FinalValLoss { get; init; } = double.NaN;    // mean over the final evaluation's batches (NaN if diverged)
    public double FinalValLossSe { get; init; } = double.NaN;  // its standard error over those batches
    public double SelectionValLoss { get; init; } = double.NaN; // on the held-out selection batches (NaN when none)
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

/// <summary>
/// One row of curve.csv. Row 0 is the initial evaluation; val_loss is NaN between evaluations. val_loss_se is the
/// standard error of val_loss: the standard deviation of the per-batch validation losses over √(batches) (NaN with
/// one batch, and in curves written before the column existed: those have 8 fields and still read).
/// </summary>
public sealed record CurvePoint(long Step, long Tokens, double Flops, double Lr, double TrainLoss, double ValLoss, double GradNorm, double Seconds,
    double ValLossSe = double.NaN)
{
    public const string Header = "step,tokens,flops,lr,train_loss,val_loss,grad_norm,seconds,val_loss_se";
    /// <summary>The header of curves written before val_loss_se (8 fields).</summary>
    public const string HeaderV1 = "step,tokens,flops,lr,train_loss,val_loss,grad_norm,seconds";

    public string ToCsv() => string.Join(",", Step, Tokens, F(Flops), F(Lr), F(TrainLoss), F(ValLoss), F(GradNorm), F(Seconds), F(ValLossSe));

    static string F(double v) => double.IsNaN(v) ? "" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public static CurvePoint Parse(string line)
    {
        var p = line.Split(',');
        if (p.Length is not (8 or 9)) throw new InvalidDataException($"curve row has {p.Length} fields, expected 9 (or 8 in older curves): '{line}'");
        double D(string s) => s.Length == 0 ? double.NaN : double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        return new CurvePoint(long.Parse(p[0]), long.Parse(p[1]), D(p[2]), D(p[3]), D(p[4]), D(p[5]), D(p[6]), D(p[7]),
            p.Length == 9 ? D(p[8]) : double.NaN);
    }

    /// <summary>
    /// Every row of a finished run's curve (complete by then), or an InvalidDataException naming the first bad row.
    /// <see cref="ReadAll"/> is the lenient reader for resuming, where a kill may have cut the last row.
    /// </summary>
    public static List<CurvePoint> ReadStrict(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{System.IO.Path.GetFileName(path)} is missing");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] is not (Header or HeaderV1)) throw new InvalidDataException($"{System.IO.Path.GetFileName(path)} does not start with the header '{Header}'");
        int fields = lines[0].Count(c => c == ',') + 1;
        var points = new List<CurvePoint>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            try
            {
                if (lines[i].Count(c => c == ',') + 1 != fields)
                    throw new InvalidDataException($"curve row has {lines[i].Count(c => c == ',') + 1} fields, expected {fields}");
                points.Add(Parse(lines[i]));
            }
            catch (Exception e) when (e is FormatException or OverflowException or InvalidDataException)
            {
                var shown = lines[i].Length > 60 ? lines[i][..60] + "…" : lines[i];
                throw new InvalidDataException($"{System.IO.Path.GetFileName(path)} line {i + 1} is not a row of {fields} numbers: '{shown}'", e);
            }
        }
        return points;
    }

    /// <summary>Rows with the header's number of fields (8 in older curves, 9 now); a row cut by a kill is skipped.</summary>
    public static List<CurvePoint> ReadAll(string path)
    {
        var lines = File.ReadLines(path).ToList();
        if (lines.Count == 0) return [];
        int commas = lines[0].Count(c => c == ',');
        return lines.Skip(1).Where(l => l.Length > 0 && l.Count(c => c == ',') == commas).Select(Parse).ToList();
    }
}

/// <summary>What the trainer reports while it runs (progress bars, notebook displays).</summary>
public sealed record TrainProgress(long Step, long TotalSteps, double TrainLoss, double ValLoss, double TokensPerSecond, double Lr);
