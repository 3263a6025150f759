using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;
using static TorchSharp.torch;

namespace Warmstart.Training;

/// <summary>report.json of a grown checkpoint: what was grown into what, and the validation loss on both sides.</summary>
public sealed record GrowthReport
{
    public string Operator { get; init; } = "";
    public double Lambda { get; init; }
    public double Sigma { get; init; }
    public WidthMapping WidthMapping { get; init; }
    public DepthMapping DepthMapping { get; init; }
    public NewBlockInit NewBlocks { get; init; }
    public bool PermuteBase { get; init; }           // the base's entries shuffled per tensor (a control)
    public string? NormsOf { get; init; }            // rescaled to this operator's per-tensor norms (a control), e.g. "szp λ=0.4 σ=1"
    public long Seed { get; init; }
    public string BaseRun { get; init; } = "";
    public string BaseModel { get; init; } = "";
    public string TargetModel { get; init; } = "";
    public long BaseParams { get; init; }
    public long TargetParams { get; init; }
    public double G { get; init; }
    public double BaseValLoss { get; init; }
    public double GrownValLoss { get; init; }
    /// <summary>max |logits_grown − logits_base| / max |logits_base| on a validation batch (0 = function preserved).</summary>
    public double MaxLogitRelativeDiff { get; init; }
    public bool FunctionPreserving { get; init; }
    /// <summary>SHA-256 of model.safetensors, checked when <c>train --init</c> loads it.</summary>
    public string? WeightsSha256 { get; init; }
}

/// <summary>
/// Grows a trained run (its config.json and checkpoint/model.safetensors) into a target config and writes a grown
/// checkpoint folder for <c>train --init</c>. The grown model gets a fresh optimizer when it trains: the base's Adam
/// moments belong to the base's coordinates and learning rates (µP divides hidden LRs by m, which changes with
/// width), and the paper restarts the schedule (warmup included) for the target.
/// </summary>
public static class GrowJob
{
    /// <summary>Grows the base run's final weights into <paramref name="target"/> (same family, same data).</summary>
    public static GrowthReport Run(string baseRun, ModelConfig target, GrowthOperator op, long seed, string outDir)
    {
        op.Validate();
        outDir = OutputPath.Check(outDir);
        var baseSpec = ReadBaseRun(baseRun);
        if (baseSpec.Model.GetType() != target.GetType())
            throw new ArgumentException($"base run '{baseRun}' is {baseSpec.Model.Label()}; grow it into a model of the same family, not {target.Label()}");
        var targetSpec = (baseSpec with { Model = target, Operator = null, Base = null, Init = null }).Validate();
        MemoryEstimate.ForGrowth(targetSpec).EnsureFits("cpu"); // growth runs on the CPU
        var baseArch = baseSpec.Architecture();
        var targetArch = targetSpec.Architecture();
        baseArch.CheckGrowableInto(targetArch);
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
            throw new ArgumentException($"output folder '{outDir}' is not empty; choose a new folder for the grown checkpoint");

        var baseCheckpoint = Path.Combine(baseRun, Trainer.CheckpointFolder);
        if (File.Exists(Path.Combine(baseCheckpoint, Checkpoint.StateFile))) Checkpoint.ReadState(baseCheckpoint); // sizes and SHA-256s
        using var baseModel = baseArch.CreateModel(baseSpec.Train.Seed);
        Checkpoint.LoadWeights(baseModel, Path.Combine(baseCheckpoint, Checkpoint.ModelFile)); // refuses NaN/inf weights
        using var grown = Grower.Grow(baseModel, targetArch, op, seed);

        using var data = baseSpec.OpenData();
        var device = CPU;
        double baseLoss = Trainer.Evaluate(baseModel, data, baseSpec.Train.EvalBatches, device);
        if (!double.IsFinite(baseLoss))
            throw new InvalidDataException($"base run '{baseRun}' evaluates to base_val_loss {(double.IsNaN(baseLoss) ? "NaN" : "inf")} (it must be finite): it diverged or its weights are corrupt; grow a healthy run");
        double grownLoss = Trainer.Evaluate(grown, data, baseSpec.Train.EvalBatches, device);
        double logitDiff;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var (x, _) = data.ValidationBatch(0);
            var a = baseModel.forward(x);
            var b = grown.forward(x);
            double scale = Math.Max(a.abs().max().item<float>(), 1e-12);
            logitDiff = (b - a).abs().max().item<float>() / scale;
        }

        var report = new GrowthReport
        {
            Operator = op.Name, Lambda = op.Lambda, Sigma = op.Sigma, WidthMapping = op.Width, DepthMapping = op.Depth,
            NewBlocks = op.NewBlocks, PermuteBase = op.PermuteBase,
            NormsOf = op.NormsOf is { } r ? $"{r.Name} λ={r.Lambda:0.###} σ={r.Sigma:0.###}" : null, Seed = seed, BaseRun = Path.GetRelativePath(outDir, Path.GetFullPath(baseRun)), // relative: moves with the folder
            BaseModel = baseSpec.Label(), TargetModel = targetSpec.Label(),
            BaseParams = baseArch.ParameterCount(), TargetParams = targetArch.ParameterCount(),
            G = (double)targetArch.ParameterCount() / baseArch.ParameterCount(),
            BaseValLoss = baseLoss, GrownValLoss = grownLoss, MaxLogitRelativeDiff = logitDiff,
            FunctionPreserving = op.FunctionPreserving,
        };
        // Staged, then moved into place: a failure never leaves a half-written grown checkpoint.
        var staging = outDir + ".staging-" + Environment.ProcessId;
        if (Directory.Exists(staging)) Directory.Delete(staging, true);
        Directory.CreateDirectory(staging);
        GrownCheckpoint.WriteConfig(staging, target);
        Checkpoint.SaveWeights(grown, Path.Combine(staging, GrownCheckpoint.WeightsFile));
        report = report with { WeightsSha256 = Checkpoint.Sha256(Path.Combine(staging, GrownCheckpoint.WeightsFile)) };
        Files.WriteJsonAtomic(Path.Combine(staging, GrownCheckpoint.ReportFile), report);
        if (Directory.Exists(outDir)) Directory.Delete(outDir);
        Directory.Move(staging, outDir);
        return report;
    }

    /// <summary>The spec of a finished base run, with a clear error where the folder is not one.</summary>
    public static RunSpec ReadBaseRun(string baseRun)
    {
        if (File.Exists(baseRun)) throw new ArgumentException($"base run '{baseRun}' is a file: give a run folder (spec.json + checkpoint/)");
        if (!Directory.Exists(baseRun)) throw new DirectoryNotFoundException($"base run '{baseRun}' does not exist");
        var specPath = Path.Combine(baseRun, Trainer.SpecFile);
        if (!File.Exists(specPath)) throw new ArgumentException($"'{baseRun}' is not a run folder (no {Trainer.SpecFile})");
        var weights = Path.Combine(baseRun, Trainer.CheckpointFolder, Checkpoint.ModelFile);
        if (!File.Exists(weights)) throw new ArgumentException($"base run '{baseRun}' has no final checkpoint ({weights}): weights stay on the machine that trained it; copy its checkpoint/ folder here, or delete the run folder to train it again (the same seed gives the same weights)");
        return Files.ReadJson<RunSpec>(specPath);
    }
}
