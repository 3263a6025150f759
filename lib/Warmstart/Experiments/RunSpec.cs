using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Warmstart.Data;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>
/// One run of a sweep: the model, its training (budget, LR, schedule, seed, device), its data, and — for a warm run —
/// the growth operator and the base run it grows from (a nested spec, so the base is part of the identity).
/// Its folder is named by a stable hash of this spec, so the same run is found again by any sweep that needs it.
/// </summary>
public sealed record RunSpec
{
    public GptConfig? Model { get; init; }            // a language-model run …
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MlpConfig? Mlp { get; init; }       // … or an MLP run
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public TeacherConfig? Task { get; init; }  // … on its teacher task
    public required TrainConfig Train { get; init; }
    public string Data { get; init; } = "brown";
    public string Tokenizer { get; init; } = "byte";
    public GrowthOperator? Operator { get; init; }   // null: trained from the model's own initialisation
    public RunSpec? Base { get; init; }              // the run a warm run grows from

    [JsonIgnore] public string Method => Operator?.Name ?? "scratch";
    [JsonIgnore] public bool IsWarm => Base is not null;

    /// <summary>Realised growth factor N_target / N_base (NaN for scratch runs).</summary>
    [JsonIgnore] public double G => Base is null ? double.NaN : (double)ParameterCount() / Base.ParameterCount();

    public IArchitecture Architecture() => Model is not null ? new GptArchitecture(Model) : new MlpArchitecture(Mlp ?? throw new InvalidOperationException("a run spec needs a model"));
    public long ParameterCount() => Architecture().ParameterCount();
    public string Label() => Model?.Label() ?? Mlp!.Label();
    [JsonIgnore] public int WidthUnits => Model?.Heads ?? Mlp!.Width;
    [JsonIgnore] public int DepthUnits => Model?.Layers ?? Mlp!.Depth;

    /// <summary>The same run with the base model the planner picks for growth factor <paramref name="g"/>.</summary>
    public RunSpec WithPlannedBase(double g, GrowthRule rule) => Model is not null
        ? this with { Model = GrowthPlanner.Base(Model, g, rule).Base }
        : this with { Mlp = GrowthPlanner.Base(Mlp!, g, rule).Base };

    /// <summary>Folder name: the method and 12 hex digits of SHA-256 over the spec's results-relevant fields.</summary>
    [JsonIgnore] public string Id => $"{Method}-{Hash()}";

    public string Hash()
    {
        var json = JsonSerializer.Serialize(Canonical(), Files.Json);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..12].ToLowerInvariant();
    }

    /// <summary>The spec without settings that do not change results (device, threads, logging, checkpoint cadence).</summary>
    RunSpec Canonical() => this with
    {
        Train = Train with { Device = "", Threads = 0, LogEvery = 1, CheckpointEvery = 0, TensorBoard = false },
        Base = Base?.Canonical(),
    };

    public RunConfig ToRunConfig(string? init = null) =>
        new() { Model = Model, Mlp = Mlp, Task = Task, Train = Train, Data = Data, Tokenizer = Tokenizer, Init = init };

    /// <summary>This spec and every base below it, bases first.</summary>
    public IEnumerable<RunSpec> WithBases()
    {
        if (Base is not null) foreach (var b in Base.WithBases()) yield return b;
        yield return this;
    }
}
