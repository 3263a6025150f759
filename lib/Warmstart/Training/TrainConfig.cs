using System.Text.Json.Serialization;

namespace Warmstart.Training;

[JsonConverter(typeof(JsonStringEnumConverter<Schedule>))]
public enum Schedule { Wsd, Cosine, Constant }

/// <summary>Optimisation and bookkeeping settings of one training run. Defaults follow the paper's setup (docs/research.md, "Training").</summary>
public sealed record TrainConfig
{
    public double Lr { get; init; } = 3e-3;             // the authors' tuned LRs sit at 0.003–0.005 under µP
    public Schedule Schedule { get; init; } = Schedule.Wsd; // the paper's schedule (the 2024 version used constant)
    public double WarmupFraction { get; init; } = 0.01;  // linear warmup over the first 1% of steps
    public double CooldownFraction { get; init; } = 0.2; // WSD: linear decay to 0 over the last 20%
    public double Beta1 { get; init; } = 0.9;            // AdamW β₁ as in the paper
    public double Beta2 { get; init; } = 0.95;           // AdamW β₂ as in the paper
    public double Eps { get; init; } = 1e-8;             // AdamW ε as in the paper
    public double WeightDecay { get; init; } = 0.0;      // the paper trains without weight decay
    public double ClipNorm { get; init; } = 0.0;         // 0 = no clipping (the paper clips nothing)
    public int BatchSize { get; init; } = 16;            // sequences per optimizer step
    public int MicroBatches { get; init; } = 1;          // split each step into this many accumulated micro-batches
    public long? Tokens { get; init; }                   // budget D in tokens, or …
    public double? Tpp { get; init; } = 20;              // … in tokens per parameter (D = TPP·N); the paper's default is 20
    public int EvalEvery { get; init; } = 25;            // validation every 25 steps, as the authors did
    public int EvalBatches { get; init; } = 25;          // … on 25 fixed batches (the curve's batches, every evaluation)
    public int? FinalEvalBatches { get; init; }          // null = EvalBatches; at the last step k ≥ EvalBatches batches that start with the curve's, for a precise final loss
    public int SelectionBatches { get; init; } = 0;      // 0 = none; at the last step, k more batches apart from the above, read only to choose settings
    public int LogEvery { get; init; } = 1;              // read the train loss to the host every k steps (GPU: >1 avoids syncs)
    public int? CheckpointEvery { get; init; }          // null = every ~10% of the steps (a kill loses little); 0 = at the end only; k = every k steps
    public int SnapshotEvery { get; init; } = 0;         // 0 = none; k = keep model weights every k steps (weight analysis)
    public long Seed { get; init; } = 0;                 // init (if not grown) and data order
    public string Device { get; init; } = "cpu";         // auto | cpu | cuda[:N]
    public int Threads { get; init; } = 0;               // 0 = libtorch's default (one per core)
    public bool Bf16 { get; init; } = false;             // bf16 model with fp32 master weights and moments (for GPUs; see FlatAdamW)
    public bool TensorBoard { get; init; } = false;      // also write TensorBoard scalars under tensorboard/

    /// <summary>
    /// The length in tokens of the LR schedule this run follows, when the run is one stage of a longer schedule
    /// (progressive growth: a small model trains its start, a grown one the rest). Null: the schedule is this run's own
    /// budget. Left out of the JSON (and the id) when null.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? ScheduleTokens { get; init; }

    /// <summary>Where this run starts in <see cref="ScheduleTokens"/>'s schedule, in tokens. Left out of the JSON at 0.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public long ScheduleOffsetTokens { get; init; }

    public const double MaxLr = 1e4;

    public TrainConfig Validate()
    {
        // Up to 10⁴: far above any sane LR (µP's are ~10⁻²), yet a huge one still trains and shows divergence.
        if (!(Lr > 0 && Lr <= MaxLr)) throw new ArgumentException($"lr must be in (0, {MaxLr:0}], got {Lr:G4}");
        Fraction(WarmupFraction, "warmup fraction"); Fraction(CooldownFraction, "cooldown fraction");
        if (WarmupFraction + CooldownFraction > 1)
            throw new ArgumentException($"warmup ({WarmupFraction}) + cooldown ({CooldownFraction}) fractions exceed 1");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentException($"beta1 must be in [0, 1), got {Beta1}");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentException($"beta2 must be in [0, 1), got {Beta2}");
        if (!(Eps > 0)) throw new ArgumentException($"eps must be > 0, got {Eps}");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"weight decay must be ≥ 0, got {WeightDecay}");
        if (!(ClipNorm >= 0)) throw new ArgumentException($"clip norm must be ≥ 0 (0 = off), got {ClipNorm}");
        if (BatchSize <= 0) throw new ArgumentException($"batch size must be a positive number of sequences, got {BatchSize}");
        if (MicroBatches <= 0 || BatchSize % MicroBatches != 0)
            throw new ArgumentException($"micro-batches must be a positive divisor of the batch size {BatchSize}, got {MicroBatches}");
        if (Tokens is null == Tpp is null) throw new ArgumentException("give exactly one budget: tokens or tokens-per-parameter (tpp)");
        if (Tokens is { } t && t <= 0) throw new ArgumentException($"token budget must be positive, got {t}");
        if (Tpp is { } p && (!(p > 0) || double.IsInfinity(p))) throw new ArgumentException($"tokens per parameter must be positive, got {p}");
        if (EvalEvery <= 0) throw new ArgumentException($"eval-every must be a positive number of steps, got {EvalEvery}");
        if (EvalBatches <= 0) throw new ArgumentException($"eval batches must be positive, got {EvalBatches}");
        if (FinalEvalBatches is { } f && f < EvalBatches)
            throw new ArgumentException($"final eval batches must be ≥ the eval batches ({EvalBatches}), so the final evaluation includes the curve's batches; got {f}");
        if (SelectionBatches < 0) throw new ArgumentException($"selection batches must be ≥ 0 (0 = none), got {SelectionBatches}");
        if (LogEvery <= 0) throw new ArgumentException($"log-every must be positive, got {LogEvery}");
        if (CheckpointEvery < 0) throw new ArgumentException($"checkpoint-every must be ≥ 0 (0 = at the end only), got {CheckpointEvery}");
        if (SnapshotEvery < 0) throw new ArgumentException($"snapshot-every must be ≥ 0 (0 = none), got {SnapshotEvery}");
        if (Threads < 0) throw new ArgumentException($"threads must be ≥ 0 (0 = default), got {Threads}");
        if (ScheduleTokens is { } schedule && schedule <= 0) throw new ArgumentException($"schedule tokens must be positive, got {schedule}");
        if (ScheduleOffsetTokens < 0) throw new ArgumentException($"schedule offset must be ≥ 0 tokens, got {ScheduleOffsetTokens}");
        if (ScheduleOffsetTokens > 0 && ScheduleTokens is null)
            throw new ArgumentException($"a schedule offset ({ScheduleOffsetTokens} tokens) needs the schedule's length (schedule tokens)");
        if (ScheduleTokens is { } total && ScheduleOffsetTokens >= total)
            throw new ArgumentException($"schedule offset {ScheduleOffsetTokens} must lie inside the schedule's {total} tokens");
        return this;
    }

    static void Fraction(double value, string name)
    {
        if (!(value >= 0 && value <= 1)) throw new ArgumentException($"{name} must be in [0, 1], got {value}");
    }

    /// <summary>
    /// The settings that change a run's results (part of its id). Left out: device, threads, logging, checkpoint
    /// cadence and TensorBoard, which change where and how fast a run trains, not what it learns. (Threads change
    /// float reduction order: a sweep records and keeps one thread count for all its runs instead.)
    /// </summary>
    public object Identity()
    {
        var core = System.Text.Json.JsonSerializer.SerializeToNode(new
        {
            Lr, Schedule, WarmupFraction, CooldownFraction, Beta1, Beta2, Eps, WeightDecay, ClipNorm, BatchSize, MicroBatches,
            Tokens, Tpp, EvalEvery, EvalBatches, SnapshotEvery, Seed, Bf16,
        }, Runtime.Files.Json)!.AsObject();
        // The final and selection evaluations and a stage's schedule join the identity only when set, so that runs
        // described before they existed keep their ids (and their folders).
        if (FinalEvalBatches is { } f) core["final_eval_batches"] = f;
        if (SelectionBatches > 0) core["selection_batches"] = SelectionBatches;
        if (ScheduleTokens is { } schedule) core["schedule_tokens"] = schedule;
        if (ScheduleOffsetTokens > 0) core["schedule_offset_tokens"] = ScheduleOffsetTokens;
        return core;
    }

    /// <summary>Batches of the last step's evaluation: the curve's batches and, after them, the extra final ones.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public int FinalBatches => FinalEvalBatches ?? EvalBatches;

    /// <summary>
    /// Index of the first selection batch. Validation batch i is a pure function of i (a hash), so batches from this
    /// index on are drawn apart from every batch the curve or the final loss uses: choosing a setting on them does not
    /// reuse the noise of the losses that are reported.
    /// </summary>
    public const int SelectionBatchOffset = 1 << 20;

    /// <summary>Steps between checkpoints for a run of <paramref name="totalSteps"/> steps (0 = at the end only).</summary>
    public long CheckpointInterval(long totalSteps) => CheckpointEvery ?? Math.Max(1, totalSteps / 10);

    /// <summary>Tokens in the budget for a model with <paramref name="parameters"/> parameters.</summary>
    public long BudgetTokens(long parameters) => Tokens ?? (long)Math.Round(Tpp!.Value * parameters);
}
