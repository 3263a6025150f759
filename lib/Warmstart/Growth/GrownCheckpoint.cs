using Warmstart.Model;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Growth;

/// <summary>
/// The folder <c>grow</c> writes and <c>train --init</c> reads: the target config (<c>model.json</c> for a GPT,
/// <c>mlp.json</c> for an MLP), <c>model.safetensors</c> (the grown weights) and <c>report.json</c> (what growth did
/// and the losses around it).
/// </summary>
public static class GrownCheckpoint
{
    public const string ModelConfigFile = "model.json", MlpConfigFile = "mlp.json", WeightsFile = "model.safetensors", ReportFile = "report.json";

    public static GptConfig ReadConfig(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"grown checkpoint '{folder}' does not exist");
        var path = Path.Combine(folder, ModelConfigFile);
        if (!File.Exists(path) && File.Exists(Path.Combine(folder, MlpConfigFile)))
            throw new ArgumentException($"grown checkpoint '{folder}' holds an MLP, not a GPT");
        return Files.ReadJson<GptConfig>(path);
    }

    public static MlpConfig ReadMlpConfig(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"grown checkpoint '{folder}' does not exist");
        return Files.ReadJson<MlpConfig>(Path.Combine(folder, MlpConfigFile));
    }

    public static void WriteConfig(string folder, RunConfig target)
    {
        if (target.Model is not null) Files.WriteJsonAtomic(Path.Combine(folder, ModelConfigFile), target.Model);
        else Files.WriteJsonAtomic(Path.Combine(folder, MlpConfigFile), target.Mlp!);
    }

    /// <summary>The weights file of a grown checkpoint, after checking it was grown for the run's model.</summary>
    public static string WeightsPath(string folder, RunConfig run)
    {
        string grownLabel, runLabel = run.Label();
        bool same;
        if (run.Model is not null) { var c = ReadConfig(folder); same = c == run.Model; grownLabel = c.Label(); }
        else { var c = ReadMlpConfig(folder); same = c == run.Mlp; grownLabel = c.Label(); }
        if (!same)
            throw new ArgumentException($"grown checkpoint '{folder}' is for {grownLabel}, but the run's model is {runLabel}: train it with its own config");
        var weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weights)) throw new FileNotFoundException($"grown checkpoint '{folder}' has no {WeightsFile}", weights);
        var reportPath = Path.Combine(folder, ReportFile);
        if (File.Exists(reportPath) && Files.ReadJson<GrowthReport>(reportPath).WeightsSha256 is { } hash && Checkpoint.Sha256(weights) != hash)
            throw new InvalidDataException($"grown checkpoint '{folder}' is corrupt: {WeightsFile} does not match the SHA-256 recorded in {ReportFile}");
        return weights;
    }
}
