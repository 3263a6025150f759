using Warmstart.Model;
using static TorchSharp.torch;

namespace Warmstart.Data;

/// <summary>
/// The synthetic task for the MLP study (the paper's generator is not public; a teacher–student task is the usual
/// stand-in, docs/research.md "The analyses"): x ~ N(0, I) in InputDim dimensions,
/// y ~ Categorical(softmax(teacher(x) / Temperature)) where the teacher is a fixed random ReLU MLP drawn from
/// <see cref="Seed"/>. Sampled labels give an irreducible loss (the teacher's entropy), the E of a scaling law.
/// Classification with a softmax teacher rather than regression, so the student's loss is the same cross-entropy as
/// the language models'.
/// </summary>
public sealed record TeacherConfig : DataSpec
{
    public int InputDim { get; init; } = 32;        // input size (the student's must match)
    public int Width { get; init; } = 128;          // teacher hidden width: as wide as the widest quick student, deeper than none
    public int Depth { get; init; } = 2;            // teacher hidden layers (students have 3: depth is not the bottleneck)
    public int Classes { get; init; } = 10;         // label classes
    public double Temperature { get; init; } = 0.25; // sharp labels (entropy ≈ 0.52 nats): most of the loss is learnable, so width matters
    public long Seed { get; init; } = 1234;         // the teacher's weights
    public long ValidationSeed { get; init; } = 999; // held-out samples come from their own seed

    public static readonly string[] Names = ["teacher", "teacher-soft", "teacher-sharp"];

    /// <summary>Named tasks: the default teacher, and softer/sharper labels (more/less irreducible loss).</summary>
    public static TeacherConfig Named(string name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "teacher" => new TeacherConfig(),
        "teacher-soft" => new TeacherConfig { Temperature = 1.0 },
        "teacher-sharp" => new TeacherConfig { Temperature = 0.1 },
        _ => throw new ArgumentException($"unknown task '{name}': allowed are {string.Join(", ", Names)}"),
    };

    public override string Describe() => $"teacher task (T = {Temperature}, seed {Seed})";

    /// <summary>A teacher task feeds an MLP with its input size and classes.</summary>
    public override void CheckFits(ModelConfig model)
    {
        var mlp = model as MlpConfig ?? throw NotItsFamily(model);
        Validate();
        if (InputDim != mlp.InputDim || Classes != mlp.Classes)
            throw new ArgumentException($"the MLP ({mlp.InputDim} inputs, {mlp.Classes} classes) does not fit the teacher task ({InputDim} inputs, {Classes} classes)");
    }

    public override ITrainingData Open(ModelConfig model, int rows, long seed)
    {
        CheckFits(model);
        return new TeacherStudentData(this, rows, seed);
    }

    public TeacherConfig Validate()
    {
        if (InputDim <= 0 || Width <= 0 || Depth <= 0 || Classes < 2)
            throw new ArgumentException($"teacher sizes must be positive with ≥ 2 classes, got input {InputDim}, width {Width}, depth {Depth}, classes {Classes}");
        if (!(Temperature > 0)) throw new ArgumentException($"teacher temperature must be > 0, got {Temperature}");
        return this;
    }
}

/// <summary>Batches of (x, y) drawn on the fly: each batch is a pure function of (seed, step, micro-batch).</summary>
public sealed class TeacherStudentData : ITrainingData
{
    readonly TeacherConfig teacher;
    readonly int rows;
    readonly long seed;
    readonly List<(Tensor W, Tensor B)> layers = new();

    public TeacherStudentData(TeacherConfig teacher, int rows, long seed)
    {
        this.teacher = teacher.Validate();
        if (rows <= 0) throw new ArgumentException($"batch rows must be positive, got {rows}");
        (this.rows, this.seed) = (rows, seed);
        using var g = new Generator((ulong)teacher.Seed);
        int fanIn = teacher.InputDim;
        for (int i = 0; i <= teacher.Depth; i++)
        {
            int fanOut = i == teacher.Depth ? teacher.Classes : teacher.Width;
            // He init keeps activations O(1) through the ReLU layers; the output layer likewise, so logits are O(1).
            layers.Add((normal(0, Math.Sqrt(2.0 / fanIn), [fanOut, fanIn], generator: g), normal(0, 0.1, [fanOut], generator: g)));
            fanIn = fanOut;
        }
    }

    public string Description => $"teacher MLP {teacher.InputDim}→{teacher.Width}×{teacher.Depth}→{teacher.Classes} (T = {teacher.Temperature}, seed {teacher.Seed})";
    public int TokensPerRow => 1; // a row is one sample: budgets count samples

    public (Tensor Input, Tensor Target) TrainBatch(long step, int micro) => Draw(Batches.Hash((ulong)seed, (ulong)step, (ulong)micro, 0x7EAC));

    public (Tensor Input, Tensor Target) ValidationBatch(int index) => Draw(Batches.Hash((ulong)teacher.ValidationSeed, (ulong)index, 0x7A1D));

    /// <summary>Teacher class probabilities for inputs x.</summary>
    public Tensor Probabilities(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = x;
        for (int i = 0; i < layers.Count; i++)
        {
            a = nn.functional.linear(a, layers[i].W, layers[i].B);
            if (i < layers.Count - 1) a = nn.functional.relu(a);
        }
        return (a / teacher.Temperature).softmax(-1).MoveToOuterDisposeScope();
    }

    (Tensor, Tensor) Draw(ulong key)
    {
        using var g = new Generator(key);
        var x = normal(0, 1, [rows, teacher.InputDim], generator: g);
        using var p = Probabilities(x);
        var y = multinomial(p, 1, generator: g).squeeze(1);
        return (x, y);
    }

    public void Dispose()
    {
        foreach (var (w, b) in layers) { w.Dispose(); b.Dispose(); }
    }
}
