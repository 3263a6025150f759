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
        var (spec, outDir) = (run.Spec, run.OutDir);
        if (run.Folder.Finished is { } finished) return finished; // finished or diverged earlier: nothing is rewritten
        var train = spec.Train;
        var device = TorchRuntime.ResolveDevice(train.Device);
        TorchRuntime.SetThreads(train.Threads);
        string? resumeFrom = run.Folder.ResumeFrom;
        string? initFolder = options.InitFrom is { } from ? Path.GetFullPath(from) : spec.InitFolder(outDir);
        string? initWeights = initFolder is null ? null : GrownCheckpoint.WeightsPath(initFolder, spec.Model);
        string? initLabel = initFolder is null ? null : Path.GetRelativePath(outDir, initFolder); // relative: a moved folder stays valid

        using var data = spec.OpenData();
        using var model = spec.Architecture().CreateModel(train.Seed);
        if (initWeights is not null) Checkpoint.LoadWeights(model, initWeights);
        if (resumeFrom is not null) Checkpoint.LoadWeights(model, Path.Combine(resumeFrom, Checkpoint.ModelFile));
        if (device.type != DeviceType.CPU) model.to(device);
        long n = model.ParameterCount();
        long tokensPerStep = (long)train.BatchSize * data.TokensPerRow;
        long budget = spec.Untrained ? 0 : train.BudgetTokens(n);
        // An untrained run (a control's base) takes no step: it evaluates and checkpoints its own initialisation.
        long totalSteps = spec.Untrained ? 0 : Math.Max(1, (budget + tokensPerStep - 1) / tokensPerStep);
        long checkpointEvery = train.CheckpointInterval(totalSteps);
        // A stage of a longer schedule (progressive growth) follows that schedule from its offset; any other run its own.
        long? scheduleSteps = train.ScheduleTokens is { } scheduleTokens ? (scheduleTokens + tokensPerStep - 1) / tokensPerStep : null;
        long offsetSteps = train.ScheduleOffsetTokens / tokensPerStep;
        if (scheduleSteps is { } length && offsetSteps + totalSteps > length)
            throw new ArgumentException($"this stage's {totalSteps} steps from step {offsetSteps} run past its schedule's {length} steps: " +
                                        "its tokens plus its offset must fit in the schedule's tokens");

        Directory.CreateDirectory(outDir);
        Files.WriteJsonAtomic(Path.Combine(outDir, SpecFile), spec);
        using var optimizer = new FlatAdamW(model, train);

        long startStep = 0;
        double elapsedBefore = 0, trainSecondsBefore = 0;
        var curvePath = Path.Combine(outDir, CurveFile);
        var curve = new List<CurvePoint>();
        if (resumeFrom is not null)
        {
            var state = Checkpoint.ReadState(resumeFrom);
            var opt = Checkpoint.LoadOptimizer(resumeFrom);
            try { optimizer.LoadStateDict(opt); } finally { foreach (var t in opt.Values) t.Dispose(); }
            (startStep, elapsedBefore, trainSecondsBefore) = (state.Step, state.ElapsedSeconds, state.TrainSeconds);
            if (File.Exists(curvePath)) curve = CurvePoint.ReadAll(curvePath).Where(p => p.Step <= startStep).ToList();
        }
        // Rewrite the curve (a resumed run drops rows logged after its checkpoint), then append as we go.
        Files.WriteTextAtomic(curvePath, CurvePoint.Header + "\n" + string.Concat(curve.Select(p => p.ToCsv() + "\n")));
        using var curveWriter = new StreamWriter(curvePath, append: true) { AutoFlush = true };
        var board = train.TensorBoard ? utils.tensorboard.SummaryWriter(Path.Combine(outDir, "tensorboard")) : null;

        var clock = Stopwatch.StartNew();
        double trainSeconds = trainSecondsBefore;
        double Seconds() => elapsedBefore + clock.Elapsed.TotalSeconds;
        double initialVal = curve.FirstOrDefault(p => p.Step == 0)?.ValLoss ?? double.NaN;
        double lastVal = curve.LastOrDefault(p => !double.IsNaN(p.ValLoss))?.ValLoss ?? double.NaN;
        double lastTrain = double.NaN;
        // Evaluations in a row above the divergence line (recounted from the curve on resume, so resuming is exact).
        int highEvals = curve.Where(p => p.Step > 0 && !double.IsNaN(p.ValLoss)).Reverse()
            .TakeWhile(p => p.ValLoss > DivergenceFactor * initialVal).Count();
        void Log(CurvePoint p)
        {
            curveWriter.WriteLine(p.ToCsv());
            if (board is null) return;
            if (!double.IsNaN(p.TrainLoss)) board.add_scalar("loss/train", (float)p.TrainLoss, (int)p.Step);
            if (!double.IsNaN(p.ValLoss)) board.add_scalar("loss/val", (float)p.ValLoss, (int)p.Step);
            board.add_scalar("lr", (float)p.Lr, (int)p.Step);
        }

        double[]? finalLosses = null; // the last step's per-batch losses (the curve's batches first)
        if (startStep == 0)
        {
            if (train.SnapshotEvery > 0) // the starting weights too: for a grown model, the state right after growth
                Checkpoint.SaveWeights(optimizer.MasterWeights(), Path.Combine(outDir, SnapshotFolder, $"step_{0:D7}.safetensors"));
            // A zero-step run's first evaluation is also its last: it takes the final batches at once.
            var losses = EvaluateBatches(model, data, totalSteps == 0 ? train.FinalBatches : train.EvalBatches, device);
            if (totalSteps == 0) finalLosses = losses;
            var (mean, se) = MeanAndSe(losses[..train.EvalBatches]);
            initialVal = lastVal = mean;
            Log(new CurvePoint(0, 0, 0, 0, double.NaN, initialVal, double.NaN, Seconds(), se));
        }

        bool diverged = false;
        long? divergedStep = null;
        string? divergedReason = null;
        using var lossSum = zeros(1, device: device);
        using var normSum = zeros(1, device: device);
        long step = startStep;
        int stepsSinceLog = 0;
        while (step < totalSteps)
        {
            if (options.Cancel.IsCancellationRequested)
                throw new OperationCanceledException($"training in '{outDir}' was interrupted at step {step}; continue it with --resume");
            double lr = train.Lr * (scheduleSteps is { } stageOf
                ? LrSchedule.StageMultiplier(train.Schedule, step, offsetSteps, stageOf, train.WarmupFraction, train.CooldownFraction)
                : LrSchedule.Multiplier(train.Schedule, step, totalSteps, train.WarmupFraction, train.CooldownFraction));
            var stepClock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                for (int micro = 0; micro < train.MicroBatches; micro++)
                {
                    var (x, y) = data.TrainBatch(step, micro);
                    if (device.type != DeviceType.CPU) (x, y) = (x.to(device, non_blocking: true), y.to(device, non_blocking: true));
                    var loss = model.Loss(x, y);
                    if (train.MicroBatches > 1) loss = loss / train.MicroBatches;
                    loss.backward();
                    lossSum.add_(loss.detach());
                }
                var norm = optimizer.ClipAndNorm();
                normSum.add_(norm);
                optimizer.Step(lr);
                optimizer.ZeroGrad();
            }
            trainSeconds += stepClock.Elapsed.TotalSeconds;
            step++;
            stepsSinceLog++;

            bool evalNow = step % train.EvalEvery == 0 || step == totalSteps;
            bool logNow = step % train.LogEvery == 0 || evalNow;
            if (logNow)
            {
                lastTrain = lossSum.item<float>() / stepsSinceLog;   // the host reads: mean train loss and grad norm since the last log
                double gradNorm = normSum.item<float>() / stepsSinceLog;
                lossSum.zero_(); normSum.zero_();
                stepsSinceLog = 0;
                divergedReason = !double.IsFinite(lastTrain) ? $"train loss is {Show(lastTrain)}"
                    : !double.IsFinite(gradNorm) ? $"gradient norm is {Show(gradNorm)}" : null;
                var (val, valSe) = (double.NaN, double.NaN);
                if (evalNow && divergedReason is null)
                {
                    // The last step scores the final batches; the curve keeps reading the same leading batches.
                    var losses = EvaluateBatches(model, data, step == totalSteps ? train.FinalBatches : train.EvalBatches, device);
                    if (step == totalSteps) finalLosses = losses;
                    (val, valSe) = MeanAndSe(losses[..train.EvalBatches]);
                }
                if (evalNow && divergedReason is null)
                {
                    lastVal = val;
                    highEvals = val > DivergenceFactor * initialVal ? highEvals + 1 : 0;
                    divergedReason = !double.IsFinite(val) ? $"validation loss is {Show(val)}"
                        : highEvals >= DivergenceEvals
                            ? $"validation loss {val:0.###} stayed above {DivergenceFactor} × the initial {initialVal:0.###} for {DivergenceEvals} evaluations in a row"
                            : null;
                }
                Log(new CurvePoint(step, step * tokensPerStep, 6.0 * n * step * tokensPerStep, lr, lastTrain, val, gradNorm, Seconds(), valSe));
                if (divergedReason is not null)
                {
                    (diverged, divergedStep) = (true, step);
                    break;
                }
                options.Progress?.Report(new TrainProgress(step, totalSteps, lastTrain, lastVal,
                    (step - startStep) * tokensPerStep / Math.Max(1e-9, trainSeconds - trainSecondsBefore), lr));
            }
            if (train.SnapshotEvery > 0 && step % train.SnapshotEvery == 0)
                Checkpoint.SaveWeights(optimizer.MasterWeights(), Path.Combine(outDir, SnapshotFolder, $"step_{step:D7}.safetensors"));
            if (checkpointEvery > 0 && step % checkpointEvery == 0 && step < totalSteps)
                SaveCheckpoint(outDir, model, optimizer, step, tokensPerStep, Seconds(), trainSeconds, train.Seed);
        }

        if (!diverged) SaveCheckpoint(outDir, model, optimizer, step, tokensPerStep, Seconds(), trainSeconds, train.Seed);
        // The final loss the analyses report, and the held-out loss that only chooses settings. A run resumed from
        // its last checkpoint (killed before its summary) scores them now.
        var (finalVal, finalSe) = (double.NaN, double.NaN);
        double selectionVal = double.NaN;
        if (!diverged)
        {
            finalLosses ??= EvaluateBatches(model, data, train.FinalBatches, device);
            (finalVal, finalSe) = MeanAndSe(finalLosses);
            if (train.SelectionBatches > 0)
                selectionVal = EvaluateBatches(model, data, train.SelectionBatches, device, TrainConfig.SelectionBatchOffset).Average();
        }
        var summary = new RunSummary
        {
            Params = n,
            Tokens = step * tokensPerStep,
            BudgetTokens = budget,
            Flops = 6.0 * n * step * tokensPerStep,
            Steps = step,
            FinalValLoss = finalVal,
            FinalValLossSe = finalSe,
            SelectionValLoss = selectionVal,
            FinalTrainLoss = lastTrain,
            InitialValLoss = initialVal,
            Diverged = diverged,
            DivergedStep = divergedStep,
            DivergedReason = divergedReason,
            TokensPerSecond = (step - startStep) * tokensPerStep / Math.Max(1e-9, trainSeconds - trainSecondsBefore),
            Seconds = Seconds(),
            Device = device.ToString(),
            Threads = torch.get_num_threads(),
            Init = initLabel,
            Finished = DateTimeOffset.UtcNow,
        };
        Files.WriteJsonAtomic(Path.Combine(outDir, SummaryFile), summary);
        return summary;
    }

    static string Show(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+inf" : double.IsNegativeInfinity(v) ? "-inf" : $"{v:0.###}";

    static void SaveCheckpoint(string outDir, TrainableModel model, FlatAdamW optimizer, long step, long tokensPerStep,
        double seconds, double trainSeconds, long seed) =>
        Checkpoint.Save(Path.Combine(outDir, CheckpointFolder), model, optimizer,
            new CheckpointState(step, step * tokensPerStep, seconds, trainSeconds, seed, step, new()));

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
