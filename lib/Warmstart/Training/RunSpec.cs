using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Warmstart.Data;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;

namespace Warmstart.Training;

/// <summary>
/// One training run, described once: the model (a GPT or an MLP), what it trains on, how it trains, and — for a warm
/// run — the growth operator and the base run it grows from (a nested spec, so the base is part of the identity).
/// Written to every run folder as spec.json; <c>train</c>, <c>run</c>, sweeps and Slurm jobs all execute this record.
/// Its id (the folder name in a sweep) hashes <see cref="IdentityJson"/>: the fields that change results.
/// </summary>
public sealed record RunSpec
{
    /// <summary>Version of the identity projection: bump it when a change of meaning must change every run id.</summary>
    public const int Schema = 2;

    public required ModelConfig Model { get; init; }
    public DataSpec Data { get; init; } = new CorpusData();
    public TrainConfig Train { get; init; } = new();
    public GrowthOperator? Operator { get; init; }   // null: trained from the model's own initialisation
    public RunSpec? Base { get; init; }              // the run a warm run grows from (a sweep grows it on demand)
    public string? Init { get; init; }               // or a grown checkpoint folder (train --init), relative to the run folder

    /// <summary>
    /// True: the run trains for zero steps — its final checkpoint is its own initialisation (evaluated once). The
    /// controls' "untrained base": SZP from a base of the same shape that learned nothing, which tells what the base's
    /// training adds to SZP beyond its initialisation. Left out of the JSON when false, so existing ids are
    /// unchanged; when true it is part of the identity (a different id from the trained run of the same spec).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Untrained { get; init; }

    /// <summary>
    /// Scratch, untrained (a zero-step run), or the method its operator names — spelled "&lt;operator&gt;-untrained-base"
    /// when the base is untrained, so analyses that group by method keep that control apart from growth from a trained
    /// base. A grown run whose spelling is not in the closed set (an operator name no analysis knows, or growth other
    /// than SZP's from an untrained base) is an ArgumentException naming the allowed methods: such a run could be
    /// trained but never read back into a table.
    /// </summary>
    [JsonIgnore] public Method Method => Operator is null ? (Untrained ? Method.Untrained : Method.Scratch)
        : Method.TryParse(GrownSpelling(Operator), null, out var method) ? method
        : throw new ArgumentException($"a run grown by operator '{Operator.Name}'{(Base is { Untrained: true } ? " from an untrained base" : "")} " +
            $"has no method the analyses know ('{GrownSpelling(Operator)}'): allowed are {string.Join(", ", Method.All)}");

    string GrownSpelling(GrowthOperator op) =>
        Base is { Untrained: true } ? $"{op.Name}-untrained-base"
        : Train.ScheduleOffsetTokens > 0 ? $"{op.Name}-progressive" // a later stage of one schedule: growth during training
        : op.Name;

    /// <summary>True for a later stage of progressive growth: a grown model that continues its base's LR schedule.</summary>
    [JsonIgnore] public bool IsProgressiveStage => Operator is not null && Train.ScheduleOffsetTokens > 0;

    [JsonIgnore] public bool IsWarm => Base is not null || Init is not null;

    /// <summary>Realised growth factor N_target / N_base (NaN without a base spec).</summary>
    [JsonIgnore] public double G => Base is null ? double.NaN : (double)ParameterCount() / Base.ParameterCount();

    public IArchitecture Architecture() => Model.Architecture();
    public long ParameterCount() => Model.ParameterCount();
    public string Label() => Model.Label();

    /// <summary>Checks every part, and that the data fits the model; throws an ArgumentException naming the problem.</summary>
    public RunSpec Validate()
    {
        Train.Validate();
        Model.Validate();
        Data.CheckFits(Model);
        if (Base is not null && Operator is null) throw new ArgumentException("a run with a base needs a growth operator");
        if (Base is not null && Init is not null) throw new ArgumentException("a run grows either from a base spec or from a grown checkpoint (init), not both");
        if (Untrained && IsWarm) throw new ArgumentException("an untrained run is a model's own initialisation: it cannot grow from a base");
        _ = Method; // refuses a grown run whose method is outside the closed set
        Operator?.Validate();
        Base?.Validate();
        return this;
    }

    /// <summary>Training and validation batches for this run.</summary>
    public ITrainingData OpenData() => Data.Open(Model, Train.BatchSize / Train.MicroBatches, Train.Seed);

    /// <summary>The same run with the base model the planner picks for growth factor <paramref name="g"/>.</summary>
    public RunSpec WithPlannedBase(double g, GrowthRule rule) => this with { Model = GrowthPlanner.Base(Model, g, rule).Base };

    /// <summary>
    /// Folder name: the method's spelling and 12 hex digits of SHA-256 over <see cref="IdentityJson"/>. Every stored run
    /// is keyed by it, so it names the spelling itself rather than relying on how a <see cref="Training.Method"/> prints.
    /// </summary>
    [JsonIgnore] public string Id => $"{Method.Spelling}-{Hash()}";

    public string Hash() =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(IdentityJson())))[..12].ToLowerInvariant();

    /// <summary>
    /// The fields that change results, and nothing else: schema, model, data, the training settings that matter
    /// (<see cref="TrainConfig.Identity"/>), operator, base (by its own identity) and the grown checkpoint it starts
    /// from. Device, threads, logging and checkpoint cadence are left out: they change where and how fast, not what.
    /// </summary>
    public string IdentityJson() => JsonSerializer.Serialize(Identity(), Files.Json);

    object Identity() => Untrained
        ? new { Schema, Model, Data, Train = Train.Identity(), Operator, Base = Base?.Identity(), Init, Untrained }
        : (object)new { Schema, Model, Data, Train = Train.Identity(), Operator, Base = Base?.Identity(), Init };

    /// <summary>The same run with every language model in it — its own and its bases' — on <paramref name="attention"/>.</summary>
    public RunSpec WithAttention(AttentionKernel attention) => this with
    {
        Model = Model is GptConfig gpt ? gpt with { Attention = attention } : Model,
        Base = Base?.WithAttention(attention),
    };

    /// <summary>This spec and every base below it, bases first.</summary>
    public IEnumerable<RunSpec> WithBases()
    {
        if (Base is not null) foreach (var b in Base.WithBases()) yield return b;
        yield return this;
    }

    /// <summary>How many bases lie below this run (0 for a run trained from its own initialisation).</summary>
    [JsonIgnore] public int Level => Base is null ? 0 : Base.Level + 1;

    /// <summary>The grown checkpoint folder this run starts from, resolved against its run folder (null if none).</summary>
    public string? InitFolder(string runDir) => Init is null ? null : Path.GetFullPath(Path.Combine(runDir, Init));
}
