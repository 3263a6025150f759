using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using Warmstart.Data;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;
using System.Text.Json;
using static TorchSharp.torch;

namespace Warmstart.Training;

public sealed record TrainOptions
{
    public bool Resume { get; init; }                         // continue from the run folder's last checkpoint
    public IProgress<TrainProgress>? Progress { get; init; }
    public CancellationToken Cancel { get; init; }            // stops after the current step, like a kill (no summary)
    public string? InitFrom { get; init; }                    // a grown checkpoint to start from that the spec names by its base (sweeps)
}

/// <summary>
/// The training loop, top to bottom: validate, open data, build (or load) the model, then for each step draw the
/// batch, accumulate gradients over micro-batches, clip, take an AdamW step at the scheduled LR, and log; evaluate on
/// fixed batches every k steps; checkpoint every k steps and at the end. Files in the run folder: spec.json,
/// curve.csv, summary.json, checkpoint/ (and snapshots/, tensorboard/ on request).
/// </summary>
public static class Trainer
{
    public const string SpecFile = "spec.json", CurveFile = "curve.csv", SummaryFile = "summary.json";
    public const string CheckpointFolder = "checkpoint", SnapshotFolder = "snapshots";
    /// <summary>Divergence: validation loss above this multiple of the initial loss …</summary>
    public const double DivergenceFactor = 2;
    /// <summary>… for this many evaluations in a row (one bad evaluation can be noise; three are a trend).</summary>
    public const int DivergenceEvals = 3;

    /// <summary>Checks the run (<see cref="Check"/>), then trains it.</summary>
    public static RunSummary Run(RunSpec spec, string outDir, TrainOptions? options = null)
    {
        options ??= new TrainOptions();
        return Run(Check(spec, outDir, options.Resume), options);
    }

    /// <summary>
    /// Every check that can be made before a file is written (<see cref="RunChecks.Before"/>: spec, device, --out,
    /// memory, steps and token ids), then what the output folder holds (<see cref="CheckOutputFolder"/>). A caller
    /// that must say something between checking and training (the CLI prints nothing before the checks pass) calls
    /// this, then <see cref="Run(CheckedRun, TrainOptions?)"/>, so the checks run once.
    /// </summary>
    public static CheckedRun Check(RunSpec spec, string outDir, bool resume)
    {
        RunChecks.Before(spec, outDir);
        outDir = Path.GetFullPath(outDir);
        return new CheckedRun(spec, outDir, CheckOutputFolder(spec, outDir, resume));
    }

    /// <summary>Trains a checked run; whether it resumes was decided by <see cref="Check"/>.</summary>
    public static RunSummary Run(CheckedRun run, TrainOptions? options = null)
    {
        options ??= new TrainOptions();
        if (run.Folder.Finished is { } finished) return finished; // finished or diverged earlier: nothing is rewritten
        var (spec, outDir, train) = (run.Spec, run.OutDir, run.Spec.Train);
        var device = TorchRuntime.ResolveDevice(train.Device);
        TorchRuntime.SetThreads(train.Threads);
        string? resumeFrom = run.Folder.ResumeFrom;
        string? initFolder = options.InitFrom is { } from ? Path.GetFullPath(from) : spec.InitFolder(outDir);
        string? initWeights = initFolder is null ? null : GrownCheckpoint.WeightsPath(initFolder, spec.Model);
        string? initLabel = initFolder is null ? null : Path.GetRelativePath(outDir, initFolder); // relative: a moved folder stays valid

        // The model: its seeded initialisation, overwritten by the weights it starts from, then by its checkpoint's.
        using var data = spec.OpenData();
        using var model = spec.Architecture().CreateModel(train.Seed);
        if (initWeights is not null) Checkpoint.LoadWeights(model, initWeights);
        if (resumeFrom is not null) Checkpoint.LoadWeights(model, Path.Combine(resumeFrom, Checkpoint.ModelFile));
        if (device.type != DeviceType.CPU) model.to(device);
        var plan = new StepPlan(spec, model.ParameterCount(), data.TokensPerRow); // may throw: before any file is written

        Directory.CreateDirectory(outDir);
        Files.WriteJsonAtomic(Path.Combine(outDir, SpecFile), spec);
        using var optimizer = new FlatAdamW(model, train);
        var start = ResumePoint.Restore(resumeFrom, optimizer, outDir);
        using var curve = new CurveLog(outDir, train.TensorBoard, start.Curve);
        var clock = new RunClock(start, plan.TokensPerStep);
        var watch = new DivergenceWatch(start.Curve);
        var session = new Session(spec, outDir, device, data, model, optimizer, plan);

        long step = start.Step;
        double lastTrain = double.NaN, lastVal = start.LastValLoss;
        double[]? finalLosses = null; // the final batches' losses, once the last evaluation has scored them
        if (step == 0)
        {
            // The starting weights are a snapshot too: for a grown model, the state right after growth.
            if (train.SnapshotEvery > 0) session.SaveSnapshot(0);
            // A zero-step run's first evaluation is also its last: it takes the final batches at once.
            (lastVal, var se, finalLosses) = session.EvaluateForCurve(last: plan.TotalSteps == 0);
            watch.InitialLoss = lastVal;
            curve.Write(new CurvePoint(0, 0, 0, 0, double.NaN, lastVal, double.NaN, clock.Seconds, se));
        }

        (long Step, string Reason)? diverged = null;
        using var sinceLog = new LogAccumulator(device);
        while (step < plan.TotalSteps)
        {
            if (options.Cancel.IsCancellationRequested)
                throw new OperationCanceledException($"training in '{outDir}' was interrupted at step {step}; continue it with --resume");
            double lr = plan.LearningRate(step);
            clock.TimeTraining(() => session.TrainStep(step, lr, sinceLog));
            step++;

            bool evalNow = step % train.EvalEvery == 0 || step == plan.TotalSteps;
            if (step % train.LogEvery == 0 || evalNow)
            {
                (lastTrain, double gradNorm) = sinceLog.TakeMeans(); // the host reads only here, not every step
                string? reason = DivergenceWatch.TrainingFault(lastTrain, gradNorm);
                var (val, valSe) = (double.NaN, double.NaN);
                if (evalNow && reason is null) // a broken model's validation loss says nothing more
                {
                    (val, valSe, finalLosses) = session.EvaluateForCurve(last: step == plan.TotalSteps);
                    lastVal = val;
                    reason = watch.ValidationFault(val);
                }
                curve.Write(new CurvePoint(step, plan.Tokens(step), plan.Flops(step), lr, lastTrain, val, gradNorm, clock.Seconds, valSe));
                if (reason is not null) { diverged = (step, reason); break; }
                options.Progress?.Report(new TrainProgress(step, plan.TotalSteps, lastTrain, lastVal, clock.TokensPerSecond(step), lr));
            }
            if (train.SnapshotEvery > 0 && step % train.SnapshotEvery == 0) session.SaveSnapshot(step);
            // The last step's checkpoint is saved below, unless the run diverged.
            if (plan.CheckpointEvery > 0 && step % plan.CheckpointEvery == 0 && step < plan.TotalSteps)
                session.SaveCheckpoint(step, clock);
        }

        if (diverged is null) session.SaveCheckpoint(step, clock);
        // The final loss the analyses report, and the held-out loss that only chooses settings; a diverged run has none.
        var final = diverged is null ? session.FinalScores(finalLosses) : (double.NaN, double.NaN, double.NaN);
        return session.WriteSummary(step, lastTrain, watch.InitialLoss, diverged, final, clock, initLabel);
    }

    /// <summary>
    /// How many steps a run takes and at what learning rate. A stage of a longer schedule (progressive growth)
    /// follows that schedule from its offset; any other run follows its own.
    /// </summary>
    sealed class StepPlan
    {
        readonly TrainConfig train;
        public long Params { get; }
        public long TokensPerStep { get; }
        public long BudgetTokens { get; }
        public long TotalSteps { get; }
        public long CheckpointEvery { get; }
        readonly long? scheduleSteps; // the whole schedule's length, for a stage of one
        readonly long offsetSteps;    // where in that schedule this stage starts

        public StepPlan(RunSpec spec, long parameters, int tokensPerRow)
        {
            train = spec.Train;
            Params = parameters;
            TokensPerStep = (long)train.BatchSize * tokensPerRow;
            BudgetTokens = spec.Untrained ? 0 : train.BudgetTokens(parameters);
            // An untrained run (a control's base) takes no step: it evaluates and checkpoints its own initialisation.
            TotalSteps = spec.Untrained ? 0 : Math.Max(1, (BudgetTokens + TokensPerStep - 1) / TokensPerStep);
            CheckpointEvery = train.CheckpointInterval(TotalSteps);
            scheduleSteps = train.ScheduleTokens is { } scheduleTokens ? (scheduleTokens + TokensPerStep - 1) / TokensPerStep : null;
            offsetSteps = train.ScheduleOffsetTokens / TokensPerStep;
            if (scheduleSteps is { } length && offsetSteps + TotalSteps > length)
                throw new ArgumentException($"this stage's {TotalSteps} steps from step {offsetSteps} run past its schedule's {length} steps: " +
                                            "its tokens plus its offset must fit in the schedule's tokens");
        }

        public double LearningRate(long step) => train.Lr * (scheduleSteps is { } stageOf
            ? LrSchedule.StageMultiplier(train.Schedule, step, offsetSteps, stageOf, train.WarmupFraction, train.CooldownFraction)
            : LrSchedule.Multiplier(train.Schedule, step, TotalSteps, train.WarmupFraction, train.CooldownFraction));

        public long Tokens(long steps) => steps * TokensPerStep;
        public double Flops(long steps) => 6.0 * Params * steps * TokensPerStep;
    }

    /// <summary>Where a run starts: step 0 with no curve, or its checkpoint's step, clocks and curve rows.</summary>
    sealed record ResumePoint(long Step, double ElapsedSeconds, double TrainSeconds, IReadOnlyList<CurvePoint> Curve)
    {
        public double LastValLoss => Curve.LastOrDefault(p => !double.IsNaN(p.ValLoss))?.ValLoss ?? double.NaN;

        /// <summary>
        /// Loads the optimizer's state from the checkpoint in <paramref name="resumeFrom"/> (when resuming) and reads
        /// where the run stopped.
        /// </summary>
        public static ResumePoint Restore(string? resumeFrom, FlatAdamW optimizer, string outDir)
        {
            if (resumeFrom is null) return new ResumePoint(0, 0, 0, []);
            var state = Checkpoint.ReadState(resumeFrom);
            var opt = Checkpoint.LoadOptimizer(resumeFrom);
            try { optimizer.LoadStateDict(opt); } finally { foreach (var t in opt.Values) t.Dispose(); }
            // Rows logged after the checkpoint are dropped: the resumed run logs those steps again.
            var curvePath = Path.Combine(outDir, CurveFile);
            var curve = File.Exists(curvePath) ? CurvePoint.ReadAll(curvePath).Where(p => p.Step <= state.Step).ToList() : [];
            return new ResumePoint(state.Step, state.ElapsedSeconds, state.TrainSeconds, curve);
        }
    }

    /// <summary>
    /// curve.csv, one row per log, flushed as it goes so a killed run keeps its rows; mirrored to TensorBoard on request.
    /// </summary>
    sealed class CurveLog : IDisposable
    {
        readonly StreamWriter writer;
        readonly SummaryWriter? board;

        /// <summary>Rewrites the curve with the rows kept (a resumed run's, up to its checkpoint), then appends.</summary>
        public CurveLog(string outDir, bool tensorBoard, IEnumerable<CurvePoint> kept)
        {
            var path = Path.Combine(outDir, CurveFile);
            Files.WriteTextAtomic(path, CurvePoint.Header + "\n" + string.Concat(kept.Select(p => p.ToCsv() + "\n")));
            writer = new StreamWriter(path, append: true) { AutoFlush = true };
            try { board = tensorBoard ? utils.tensorboard.SummaryWriter(Path.Combine(outDir, "tensorboard")) : null; }
            catch { writer.Dispose(); throw; }
        }

        public void Write(CurvePoint p)
        {
            writer.WriteLine(p.ToCsv());
            if (board is null) return;
            if (!double.IsNaN(p.TrainLoss)) board.add_scalar("loss/train", (float)p.TrainLoss, (int)p.Step);
            if (!double.IsNaN(p.ValLoss)) board.add_scalar("loss/val", (float)p.ValLoss, (int)p.Step);
            board.add_scalar("lr", (float)p.Lr, (int)p.Step);
        }

        public void Dispose() => writer.Dispose();
    }

    /// <summary>
    /// Divergence: a train loss, gradient norm or validation loss that is not finite, or a validation loss above
    /// <see cref="DivergenceFactor"/> × the initial loss for <see cref="DivergenceEvals"/> evaluations in a row.
    /// </summary>
    sealed class DivergenceWatch
    {
        int highEvals; // evaluations in a row above the divergence line
        public double InitialLoss { get; set; }

        /// <summary>Recounts from the curve, so a resumed run diverges exactly where an uninterrupted one would.</summary>
        public DivergenceWatch(IReadOnlyList<CurvePoint> curve)
        {
            InitialLoss = curve.FirstOrDefault(p => p.Step == 0)?.ValLoss ?? double.NaN;
            highEvals = curve.Where(p => p.Step > 0 && !double.IsNaN(p.ValLoss)).Reverse()
                .TakeWhile(p => p.ValLoss > DivergenceFactor * InitialLoss).Count();
        }

        /// <summary>Why the step's numbers show divergence, or null.</summary>
        public static string? TrainingFault(double trainLoss, double gradNorm) =>
            !double.IsFinite(trainLoss) ? $"train loss is {Show(trainLoss)}"
            : !double.IsFinite(gradNorm) ? $"gradient norm is {Show(gradNorm)}" : null;

        /// <summary>Counts the evaluation, then says why it shows divergence, or null.</summary>
        public string? ValidationFault(double val)
        {
            highEvals = val > DivergenceFactor * InitialLoss ? highEvals + 1 : 0;
            return !double.IsFinite(val) ? $"validation loss is {Show(val)}"
                : highEvals >= DivergenceEvals
                    ? $"validation loss {val:0.###} stayed above {DivergenceFactor} × the initial {InitialLoss:0.###} for {DivergenceEvals} evaluations in a row"
                    : null;
        }

        static string Show(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+inf" : double.IsNegativeInfinity(v) ? "-inf" : $"{v:0.###}";
    }

    /// <summary>Wall-clock and training seconds, counted on from the checkpoint's so that a resumed run's add up.</summary>
    sealed class RunClock(ResumePoint start, long tokensPerStep)
    {
        readonly Stopwatch wall = Stopwatch.StartNew();
        public double Seconds => start.ElapsedSeconds + wall.Elapsed.TotalSeconds;
        public double TrainSeconds { get; private set; } = start.TrainSeconds;

        public void TimeTraining(Action trainStep)
        {
            var stepClock = Stopwatch.StartNew();
            trainStep();
            TrainSeconds += stepClock.Elapsed.TotalSeconds;
        }

        /// <summary>Training throughput of this process: steps before a resume are not its own.</summary>
        public double TokensPerSecond(long step) =>
            (step - start.Step) * tokensPerStep / Math.Max(1e-9, TrainSeconds - start.TrainSeconds);
    }

    /// <summary>
    /// The train loss and gradient norm summed on the device since the last log: a step never waits for the host,
    /// which reads the means once per log.
    /// </summary>
    sealed class LogAccumulator(Device device) : IDisposable
    {
        readonly Tensor lossSum = zeros(1, device: device), normSum = zeros(1, device: device);
        int steps;

        public void AddLoss(Tensor loss) => lossSum.add_(loss);

        public void AddStep(Tensor gradNorm)
        {
            normSum.add_(gradNorm);
            steps++;
        }

        public (double TrainLoss, double GradNorm) TakeMeans()
        {
            double trainLoss = lossSum.item<float>() / steps;
            double gradNorm = normSum.item<float>() / steps;
            lossSum.zero_(); normSum.zero_();
            steps = 0;
            return (trainLoss, gradNorm);
        }

        public void Dispose()
        {
            normSum.Dispose();
            lossSum.Dispose();
        }
    }

    /// <summary>What a run trains with; the loop's steps, evaluations and saves act on these.</summary>
    sealed class Session(RunSpec spec, string outDir, Device device, ITrainingData data, TrainableModel model,
        FlatAdamW optimizer, StepPlan plan)
    {
        readonly TrainConfig train = spec.Train;

        /// <summary>
        /// One optimizer step: gradients accumulated over the micro-batches (each loss scaled so they add up to the
        /// batch mean), clipped, then AdamW at <paramref name="lr"/>. Every tensor it makes dies with its scope.
        /// </summary>
        public void TrainStep(long step, double lr, LogAccumulator sinceLog)
        {
            using var scope = NewDisposeScope();
            for (int micro = 0; micro < train.MicroBatches; micro++)
            {
                var (x, y) = data.TrainBatch(step, micro);
                if (device.type != DeviceType.CPU) (x, y) = (x.to(device, non_blocking: true), y.to(device, non_blocking: true));
                var loss = model.Loss(x, y);
                if (train.MicroBatches > 1) loss = loss / train.MicroBatches;
                loss.backward();
                sinceLog.AddLoss(loss.detach());
            }
            sinceLog.AddStep(optimizer.ClipAndNorm());
            optimizer.Step(lr);
            optimizer.ZeroGrad();
        }

        /// <summary>
        /// The curve's validation loss and its SE over the evaluation batches. The last evaluation scores the final
        /// batches, whose leading ones are the curve's, and returns them for the summary (otherwise null).
        /// </summary>
        public (double Mean, double Se, double[]? FinalLosses) EvaluateForCurve(bool last)
        {
            var losses = EvaluateBatches(model, data, last ? train.FinalBatches : train.EvalBatches, device);
            var (mean, se) = MeanAndSe(losses[..train.EvalBatches]);
            return (mean, se, last ? losses : null);
        }

        /// <summary>
        /// The final loss the analyses report (from the last evaluation's batches; a run resumed from its last
        /// checkpoint, killed before its summary, scores them now) and the held-out loss that only chooses settings.
        /// </summary>
        public (double Mean, double Se, double Selection) FinalScores(double[]? finalLosses)
        {
            var (mean, se) = MeanAndSe(finalLosses ?? EvaluateBatches(model, data, train.FinalBatches, device));
            double selection = train.SelectionBatches > 0
                ? EvaluateBatches(model, data, train.SelectionBatches, device, TrainConfig.SelectionBatchOffset).Average()
                : double.NaN;
            return (mean, se, selection);
        }

        /// <summary>The master weights at <paramref name="step"/>, for studying how training moves them.</summary>
        public void SaveSnapshot(long step) =>
            Checkpoint.SaveWeights(optimizer.MasterWeights(), Path.Combine(outDir, SnapshotFolder, $"step_{step:D7}.safetensors"));

        public void SaveCheckpoint(long step, RunClock clock) =>
            Checkpoint.Save(Path.Combine(outDir, CheckpointFolder), model, optimizer,
                new CheckpointState(step, plan.Tokens(step), clock.Seconds, clock.TrainSeconds, train.Seed, step, new()));

        public RunSummary WriteSummary(long step, double lastTrain, double initialVal, (long Step, string Reason)? diverged,
            (double Mean, double Se, double Selection) final, RunClock clock, string? initLabel)
        {
            var summary = new RunSummary
            {
                Params = plan.Params,
                Tokens = plan.Tokens(step),
                BudgetTokens = plan.BudgetTokens,
                Flops = plan.Flops(step),
                Steps = step,
                FinalValLoss = final.Mean,
                FinalValLossSe = final.Se,
                SelectionValLoss = final.Selection,
                FinalTrainLoss = lastTrain,
                InitialValLoss = initialVal,
                Diverged = diverged is not null,
                DivergedStep = diverged?.Step,
                DivergedReason = diverged?.Reason,
                TokensPerSecond = clock.TokensPerSecond(step),
                Seconds = clock.Seconds,
                Device = device.ToString(),
                Threads = torch.get_num_threads(),
                Init = initLabel,
                Finished = DateTimeOffset.UtcNow,
            };
            Files.WriteJsonAtomic(Path.Combine(outDir, SummaryFile), summary);
            return summary;
        }
    }

    /// <summary>Mean loss over the fixed validation batches (no gradients).</summary>
    public static double Evaluate(TrainableModel model, ITrainingData data, int batches, Device device) =>
        EvaluateWithError(model, data, batches, device).Mean;

    /// <summary>
    /// Mean loss over the fixed validation batches and its standard error: the sample standard deviation of the
    /// per-batch losses over √batches (NaN for one batch). The per-batch losses stay on the device until one read.
    /// </summary>
    public static (double Mean, double Se) EvaluateWithError(TrainableModel model, ITrainingData data, int batches, Device device)
    {
        var losses = EvaluateBatches(model, data, batches, device);
        return MeanAndSe(losses);
    }

    /// <summary>The loss of each fixed validation batch from index <paramref name="first"/> on, in batch order.</summary>
    public static double[] EvaluateBatches(TrainableModel model, ITrainingData data, int batches, Device device, int first = 0)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var losses = new List<Tensor>(batches);
        for (int i = first; i < first + batches; i++)
        {
            var (x, y) = data.ValidationBatch(i);
            if (device.type != DeviceType.CPU) (x, y) = (x.to(device, non_blocking: true), y.to(device, non_blocking: true));
            losses.Add(model.Loss(x, y).reshape(1));
        }
        using var all = cat(losses, 0).to_type(ScalarType.Float64).cpu();
        return all.data<double>().ToArray();
    }

    /// <summary>Mean and standard error of the mean (sample SD / √n; NaN SE for fewer than two values).</summary>
    public static (double Mean, double Se) MeanAndSe(IReadOnlyList<double> values)
    {
        int k = values.Count;
        double mean = values.Average();
        if (k < 2) return (mean, double.NaN);
        double ss = values.Sum(v => (v - mean) * (v - mean));
        return (mean, Math.Sqrt(ss / (k - 1) / k));
    }

    /// <summary>The summary of a finished (or diverged) run in <paramref name="runDir"/>, or null.</summary>
    public static RunSummary? FinishedSummary(string runDir)
    {
        var path = Path.Combine(runDir, SummaryFile);
        return File.Exists(path) ? Files.ReadJson<RunSummary>(path) : null;
    }

    /// <summary>
    /// Decides what an existing output folder means. Absent or empty: a fresh start. The same run (spec.json with the
    /// same identity): finished → nothing to do; a checkpoint → resume (only with --resume, so a typo never
    /// continues a run silently); no checkpoint yet → start again (what it wrote is rederived bit for bit).
    /// Anything else is an error that names the folder.
    /// </summary>
    static FolderState CheckOutputFolder(RunSpec spec, string outDir, bool resume)
    {
        var specPath = Path.Combine(outDir, SpecFile);
        if (!File.Exists(specPath))
        {
            if (File.Exists(outDir)) throw new ArgumentException($"output folder '{outDir}' is a file; give a folder path for --out");
            if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
                throw new ArgumentException($"output folder '{outDir}' is not empty and holds no run; choose an empty or new folder");
            if (resume) throw new ArgumentException($"nothing to resume in '{outDir}': it holds no run (no {SpecFile})");
            return new FolderState(null, null);
        }
        RunSpec existing;
        try { existing = Files.ReadJson<RunSpec>(specPath); }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or JsonException)
        {
            throw new ArgumentException($"output folder '{outDir}' holds a different run (its {SpecFile} is not a run spec)", e);
        }
        if (existing.IdentityJson() != spec.IdentityJson())
            throw new ArgumentException($"output folder '{outDir}' holds a different run (its {SpecFile} differs); choose another --out");
        if (FinishedSummary(outDir) is { } done) return new FolderState(null, done);
        var checkpoint = Checkpoint.Locate(Path.Combine(outDir, CheckpointFolder));
        if (checkpoint is null)
        {
            // Killed before its first checkpoint: nothing to keep, so the run starts again in a clean folder.
            foreach (var entry in Directory.EnumerateFileSystemEntries(outDir))
                if (Directory.Exists(entry)) Directory.Delete(entry, true); else File.Delete(entry);
            return new FolderState(null, null);
        }
        if (!resume)
            throw new ArgumentException(
                $"output folder '{outDir}' holds this run, unfinished with a checkpoint: use --resume to continue it, or choose another --out");
        try { Checkpoint.ReadState(checkpoint); }
        catch (InvalidDataException e) { throw new ArgumentException($"cannot resume '{outDir}': {e.Message}", e); }
        return new FolderState(checkpoint, null);
    }

    /// <summary>What an output folder holds: a checkpoint to resume from, or a finished run's summary (or neither).</summary>
    public sealed record FolderState(string? ResumeFrom, RunSummary? Finished);

    /// <summary>A run that passed <see cref="Check"/>: its spec, its output folder (a full path) and what that holds.</summary>
    public sealed record CheckedRun(RunSpec Spec, string OutDir, FolderState Folder);
}
