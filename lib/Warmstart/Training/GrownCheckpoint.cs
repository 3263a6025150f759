using Warmstart.Model;
using Warmstart.Runtime;

namespace Warmstart.Training;

/// <summary>
/// The folder <c>grow</c> writes and <c>train --init</c> reads: the target model config (<c>model.json</c>, a GPT or
/// an MLP by its "family" field), <c>model.safetensors</c> (the grown weights) and <c>report.json</c> (what growth did
/// and the losses around it).
/// </summary>
public static class GrownCheckpoint
{
    public const string ModelConfigFile = "model.json", WeightsFile = "model.safetensors", ReportFile = "report.json";

    public static ModelConfig ReadConfig(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"grown checkpoint '{folder}' does not exist");
        var path = Path.Combine(folder, ModelConfigFile);
        if (!File.Exists(path)) throw new ArgumentException($"'{folder}' is not a grown checkpoint (no {ModelConfigFile}); make one with 'grow'");
        return Files.ReadJson<ModelConfig>(path);
    }

    public static void WriteConfig(string folder, ModelConfig target) =>
        Files.WriteJsonAtomic(Path.Combine(folder, ModelConfigFile), target);

    /// <summary>The weights file of a grown checkpoint, after checking it was grown for the run's model.</summary>
    public static string WeightsPath(string folder, ModelConfig model)
    {
        var grown = ReadConfig(folder);
        if (grown != model)
            throw new ArgumentException($"grown checkpoint '{folder}' is for {grown.Label()}, but the run's model is {model.Label()}: train it with its own config");
        var weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weights)) throw new FileNotFoundException($"grown checkpoint '{folder}' has no {WeightsFile}", weights);
        var reportPath = Path.Combine(folder, ReportFile);
        if (File.Exists(reportPath) && Files.ReadJson<GrowthReport>(reportPath).WeightsSha256 is { } hash && Checkpoint.Sha256(weights) != hash)
            throw new InvalidDataException($"grown checkpoint '{folder}' is corrupt: {WeightsFile} does not match the SHA-256 recorded in {ReportFile}");
        return weights;
    }
}
