using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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

    public static void SaveWeights(TrainableModel model, string path)
    {
        Files.WriteAtomic(path, stream => model.save_safetensors(stream, leaveOpen: true));
        WriteMetadata(path, ModelMetadata(model.Architecture));
    }

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
        WriteMetadata(Path.Combine(staging, ModelFile), ModelMetadata(model.Architecture));
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

    /// <summary>
    /// What a re-implementation needs beside the tensors, as the safetensors header's <c>__metadata__</c> (string →
    /// string): the model config as JSON and the forward conventions, each checked against <c>Model/</c> (and by
    /// a test that rebuilds the forward pass from them alone).
    /// </summary>
    public static Dictionary<string, string> ModelMetadata(IArchitecture architecture)
    {
        string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var meta = new Dictionary<string, string> { ["format"] = "pt", ["warmstart.parameter_count"] = architecture.ParameterCount().ToString(CultureInfo.InvariantCulture) };
        switch (architecture)
        {
            case GptArchitecture { Config: var c }:
            {
                bool mup = c.Param == Parameterization.MuP;
                meta["warmstart.family"] = "gpt";
                meta["warmstart.config"] = JsonSerializer.Serialize(c);
                meta["warmstart.readout"] = (c.TiedHead ? "logits = (ln_f(x) @ wte.weight.T)" : "logits = lm_head(ln_f(x))")
                    + (mup ? $" * readout_multiplier, readout_multiplier = base_width / width = {c.BaseWidth}/{c.Width} (muP)" : " (standard parameterisation: no multiplier)");
                meta["warmstart.readout_multiplier"] = Num(architecture.ReadoutMultiplier);
                meta["warmstart.attention_scale"] = Num(mup ? 1.0 / c.HeadSize : 1.0 / Math.Sqrt(c.HeadSize));
                meta["warmstart.attention"] = (mup ? "softmax(q @ k.T / head_size)" : "softmax(q @ k.T / sqrt(head_size))")
                    + " @ v, causal mask, heads concatenated in head order then attn.c_proj";
                meta["warmstart.qkv_layout"] = "attn.c_attn.weight rows (and bias) = [Q | K | V], each of width rows; within Q, K and V head h owns rows "
                    + "h*head_size ... (h+1)*head_size-1 (i.e. c_attn(x).view(B, T, 3, heads, head_size))";
                meta["warmstart.positions"] = c.Positions == PositionKind.Rotary
                    ? $"rotary (RoPE) on q and k, GPT-NeoX rotate-half on the first rotary_dims = rotary_fraction * head_size = {c.RotaryDims} dims of each head "
                      + "(the rest pass through): x*cos + rotate_half(x)*sin, rotate_half(x) = cat(-x2, x1) with x1, x2 the two halves of those dims; "
                      + "angle(t, i) = t * base^(-2*(i mod rotary_dims/2)/rotary_dims), base 10000, t = 0-based position; no position embedding"
                    : "learned: x = wte(idx) + wpe(position)";
                meta["warmstart.rotary_base"] = c.Positions == PositionKind.Rotary ? "10000" : "none";
                meta["warmstart.residual"] = c.ParallelResidual
                    ? "parallel: x = x + attn(ln_1(x)) + mlp(ln_2(x))"
                    : "sequential: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x))";
                meta["warmstart.mlp"] = c.Mlp == MlpKind.Gelu
                    ? "mlp.c_proj(gelu(mlp.c_fc(x))), exact GELU x*Phi(x) (erf form, PyTorch approximate='none')"
                    : "mlp.c_fc output = [gate | up] halves; mlp.c_proj(silu(gate) * up)";
                meta["warmstart.norm"] = c.Norm == NormKind.LayerNorm
                    ? $"LayerNorm(eps={Num(c.NormEps)}{(c.Bias ? "" : ", no bias")}) before attention and MLP (pre-norm) and as ln_f"
                    : $"RMSNorm: x * rsqrt(mean(x^2, -1) + {Num(c.NormEps)}) * weight, pre-norm and ln_f";
                meta["warmstart.linear"] = "PyTorch nn.Linear convention: y = x @ weight.T + bias";
                break;
            }
            case MlpArchitecture { Config: var c }:
                meta["warmstart.family"] = "mlp";
                meta["warmstart.config"] = JsonSerializer.Serialize(c);
                meta["warmstart.forward"] = "a = relu(input(x)); for each h.i: a = relu(h.i(a)); logits = head(a * readout_multiplier)";
                meta["warmstart.readout_multiplier"] = Num(architecture.ReadoutMultiplier);
                meta["warmstart.linear"] = "PyTorch nn.Linear convention: y = x @ weight.T + bias";
                break;
        }
        return meta;
    }

    /// <summary>
    /// Rewrites a safetensors file's header with <paramref name="metadata"/> as its <c>__metadata__</c>; tensors and
    /// their offsets stay as they are. Format: 8-byte little-endian header length, the JSON header (padded with
    /// spaces to a multiple of 8), then the raw tensor data.
    /// </summary>
    public static void WriteMetadata(string path, IReadOnlyDictionary<string, string> metadata)
    {
        var bytes = File.ReadAllBytes(path);
        var (header, dataStart) = ReadHeader(bytes, path);
        var meta = new JsonObject();
        foreach (var (k, v) in metadata) meta[k] = v;
        var rewritten = new JsonObject { ["__metadata__"] = meta };
        foreach (var (k, v) in header)
            if (k != "__metadata__") rewritten[k] = v?.DeepClone();
        var json = Encoding.UTF8.GetBytes(rewritten.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        int padded = (json.Length + 7) / 8 * 8;
        Files.WriteAtomic(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            stream.Write(bytes, dataStart, bytes.Length - dataStart);
        });
    }

    /// <summary>The <c>__metadata__</c> of a safetensors file (empty when it has none).</summary>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var (header, _) = ReadHeader(bytes, path);
        return header["__metadata__"] is JsonObject meta
            ? meta.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "")
            : [];
    }

    static (JsonObject Header, int DataStart) ReadHeader(byte[] bytes, string path)
    {
        if (bytes.Length < 8) throw new InvalidDataException($"'{path}' is not a safetensors file: {bytes.Length} bytes");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > (ulong)(bytes.Length - 8)) throw new InvalidDataException($"'{path}': header length {n} exceeds the file");
        var header = JsonNode.Parse(bytes.AsSpan(8, (int)n)) as JsonObject
                     ?? throw new InvalidDataException($"'{path}': the header is not a JSON object");
        return (header, 8 + (int)n);
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
