using TorchSharp.PyBridge;
using Warmstart.Model;
using Warmstart.Runtime;
using static TorchSharp.torch;

namespace Warmstart.Training;

/// <summary>Trainer state beside the weights: where the run stands, and the sizes and SHA-256s of the files written with it.</summary>
public sealed record CheckpointState(
    long Step,
    long Tokens,
    double ElapsedSeconds,
    double TrainSeconds,
    long DataSeed,
    long DataPosition,
    Dictionary<string, long> FileBytes)
{
    /// <summary>Lower-case hex SHA-256 per file (absent in checkpoints written before hashes were recorded).</summary>
    public Dictionary<string, string>? FileSha256 { get; init; }
}

/// <summary>
/// A checkpoint folder: <c>model.safetensors</c> (PyTorch parameter names, loadable with
/// <c>safetensors.torch.load_file</c>), <c>optimizer.safetensors</c> (flat AdamW moments and step) and
/// <c>state.json</c>. Batches are a pure function of (seed, step), so the data position is the step itself and there
/// is no RNG state to save. Written into a temp folder and swapped in, so a crash never leaves a half checkpoint.
/// </summary>
public static class Checkpoint
{
    public const string ModelFile = "model.safetensors";
    public const string OptimizerFile = "optimizer.safetensors";
    public const string StateFile = "state.json";

    public static void SaveWeights(TrainableModel model, string path) =>
        Files.WriteAtomic(path, stream => model.save_safetensors(stream, leaveOpen: true));

    /// <summary>Saves named tensors (the optimizer's fp32 masters) as safetensors, atomically.</summary>
    public static void SaveWeights(Dictionary<string, Tensor> weights, string path)
    {
        try { Files.WriteAtomic(path, stream => Safetensors.SaveStateDict(stream, weights, leaveOpen: true)); }
        finally { foreach (var view in weights.Values) view.Dispose(); }
    }

    public static void Save(string folder, TrainableModel model, FlatAdamW? optimizer, CheckpointState state)
    {
        var full = Path.GetFullPath(folder);
        var parent = Path.GetDirectoryName(full)!;
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.staging");
        var old = Path.Combine(parent, $".{Path.GetFileName(full)}.old");
        if (Directory.Exists(staging)) Directory.Delete(staging, true);
        Directory.CreateDirectory(staging);
        // Weights come from the optimizer's fp32 masters when there is one (in bf16 training the model holds bf16 copies).
        if (optimizer is not null) SaveWeights(optimizer.MasterWeights(), Path.Combine(staging, ModelFile));
        else model.save_safetensors(Path.Combine(staging, ModelFile));
        if (optimizer is not null) Safetensors.SaveStateDict(Path.Combine(staging, OptimizerFile), optimizer.StateDict());
        var sizes = Directory.GetFiles(staging).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length);
        var hashes = Directory.GetFiles(staging).ToDictionary(f => Path.GetFileName(f), Sha256);
        Files.WriteJsonAtomic(Path.Combine(staging, StateFile), state with { FileBytes = sizes, FileSha256 = hashes });
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(full)) Directory.Move(full, old);
        Directory.Move(staging, full);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    /// <summary>The checkpoint folder to resume from (a swap interrupted midway leaves ".name.old").</summary>
    public static string? Locate(string folder)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(Path.Combine(full, StateFile))) return full;
        var old = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.old");
        return File.Exists(Path.Combine(old, StateFile)) ? old : null;
    }

    /// <summary>True unless a floating-point tensor holds NaN or ±inf (integer tensors always pass).</summary>
    public static bool AllFinite(Tensor t)
    {
        if (!t.is_floating_point()) return true;
        using var finite = isfinite(t);
        using var all = finite.all();
        return all.item<bool>();
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>Reads and checks state.json: every file it lists must exist with the recorded size and SHA-256.</summary>
    public static CheckpointState ReadState(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"checkpoint '{folder}' does not exist");
        var state = Files.ReadJson<CheckpointState>(Path.Combine(folder, StateFile));
        foreach (var (name, bytes) in state.FileBytes)
        {
            var file = new FileInfo(Path.Combine(folder, name));
            if (!file.Exists) throw new InvalidDataException($"checkpoint '{folder}' lacks {name}");
            if (file.Length != bytes)
                throw new InvalidDataException($"checkpoint '{folder}' is truncated or corrupt: {name} has {file.Length} bytes, expected {bytes}");
        }
        foreach (var (name, hash) in state.FileSha256 ?? [])
        {
            var file = Path.Combine(folder, name);
            if (!File.Exists(file)) throw new InvalidDataException($"checkpoint '{folder}' lacks {name}");
            if (!string.Equals(Sha256(file), hash, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"checkpoint '{folder}' is corrupt: {name} does not match the SHA-256 recorded when it was written");
        }
        return state;
    }

    /// <summary>Loads weights into <paramref name="model"/>, checking that names and shapes match its config exactly.</summary>
    public static void LoadWeights(TrainableModel model, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"weights file '{path}' does not exist", path);
        Dictionary<string, Tensor> saved;
        try { saved = Safetensors.LoadStateDict(path); }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"'{path}' is not a readable safetensors file (truncated?): {e.Message}", e);
        }
        try
        {
            var expected = model.Architecture.ParameterSpecs();
            var missing = expected.Where(s => !saved.ContainsKey(s.Name)).Select(s => s.Name).ToList();
            var extra = saved.Keys.Except(expected.Select(s => s.Name)).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                throw new InvalidDataException(
                    $"'{path}' does not match the model config: missing [{string.Join(", ", missing.Take(5))}], unexpected [{string.Join(", ", extra.Take(5))}]");
            using var _ = no_grad();
            foreach (var (spec, p) in model.SpecifiedParameters())
            {
                var t = saved[spec.Name];
                if (!t.shape.SequenceEqual(spec.Shape))
                    throw new InvalidDataException(
                        $"'{path}': {spec.Name} has shape [{string.Join(", ", t.shape)}] but the config needs [{string.Join(", ", spec.Shape)}]");
                if (!AllFinite(t))
                    throw new InvalidDataException($"'{path}': tensor {spec.Name} holds NaN or infinite values (corrupt, or saved from a diverged run)");
                p.copy_(t);
            }
        }
        finally
        {
            foreach (var t in saved.Values) t.Dispose();
        }
    }

    public static Dictionary<string, Tensor> LoadOptimizer(string folder)
    {
        var path = Path.Combine(folder, OptimizerFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint '{folder}' has no optimizer state", path);
        var state = Safetensors.LoadStateDict(path);
        foreach (var (name, t) in state)
            if (!AllFinite(t))
            {
                foreach (var x in state.Values) x.Dispose();
                throw new InvalidDataException($"'{path}': optimizer tensor {name} holds NaN or infinite values (corrupt, or saved from a diverged run)");
            }
        return state;
    }
}
