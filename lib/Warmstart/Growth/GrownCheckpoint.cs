using Warmstart.Model;
using Warmstart.Runtime;

namespace Warmstart.Growth;

/// <summary>
/// The folder <c>grow</c> writes and <c>train --init</c> reads: <c>model.json</c> (the target config),
/// <c>model.safetensors</c> (the grown weights) and <c>report.json</c> (what growth did and the losses around it).
/// </summary>
public static class GrownCheckpoint
{
    public const string ModelConfigFile = "model.json", WeightsFile = "model.safetensors", ReportFile = "report.json";

    public static GptConfig ReadConfig(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"grown checkpoint '{folder}' does not exist");
        return Files.ReadJson<GptConfig>(Path.Combine(folder, ModelConfigFile));
    }

    /// <summary>The weights file of a grown checkpoint, after checking it was grown for <paramref name="expected"/>.</summary>
    public static string WeightsPath(string folder, GptConfig expected)
    {
        var config = ReadConfig(folder);
        if (config != expected)
            throw new ArgumentException(
                $"grown checkpoint '{folder}' is for {config.Label()}, but the run's model is {expected.Label()}: train it with its own model.json");
        var weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weights)) throw new FileNotFoundException($"grown checkpoint '{folder}' has no {WeightsFile}", weights);
        return weights;
    }
}
