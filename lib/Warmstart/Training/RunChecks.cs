using Warmstart.Data;
using Warmstart.Model;
using Warmstart.Runtime;

namespace Warmstart.Training;

/// <summary>
/// Everything about a run that can be checked before it writes a file or allocates a model: the config, the device
/// (its spelling, and CUDA where none exists), the output folder, the memory estimate, the number of steps, and the
/// data's token ids. <see cref="Trainer.Check"/> calls it first, and every training goes through that — the CLI's
/// before it prints anything — so bad input gives one line and leaves nothing behind.
/// </summary>
public static class RunChecks
{
    /// <summary>At ~10 ms a step on the smallest model, 10⁸ steps are ~12 days: more is a typo in a budget, not a plan.</summary>
    public const long MaxSteps = 100_000_000;

    public static void Before(RunSpec spec, string outDir)
    {
        spec.Validate();
        var device = TorchRuntime.ResolveDevice(spec.Train.Device); // spelling first, then CUDA where none exists
        OutputPath.Check(outDir);
        var estimate = MemoryEstimate.For(spec);
        estimate.EnsureFits(device.type == TorchSharp.DeviceType.CUDA ? "cuda" : "cpu"); // "auto" counts as what it resolves to
        CheckSteps(spec.Train, estimate.Params, spec.Model is GptConfig g ? g.ContextLength : 1);
        if (spec.Model is GptConfig model)
        {
            using var data = (LanguageModelData)spec.OpenData();
            data.CheckTokenIds(model.VocabSize);
        }
    }

    /// <summary>Refuses budgets whose step count is absurd (computed in doubles: a huge budget cannot overflow).</summary>
    public static void CheckSteps(TrainConfig train, double parameters, int tokensPerRow)
    {
        double tokensPerStep = (double)train.BatchSize * tokensPerRow;
        double budget = train.Tokens ?? train.Tpp!.Value * parameters;
        double steps = Math.Ceiling(budget / tokensPerStep);
        string source = train.Tokens is { } t ? $"--tokens {t}" : $"--tpp {train.Tpp:G4} × {parameters:N0} parameters = {budget:G3} tokens";
        if (steps > MaxSteps)
            throw new ArgumentException(
                $"the budget ({source}) at {tokensPerStep:N0} tokens per step is {steps:G3} steps; at most {MaxSteps:N0} are allowed: " +
                "lower --tokens or --tpp, or raise --batch-size");
    }
}
