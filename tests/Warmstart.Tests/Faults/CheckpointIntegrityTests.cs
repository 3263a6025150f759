using TorchSharp.PyBridge;
using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Model;
using Warmstart.Runtime;
using Warmstart.Training;
using static TorchSharp.torch;

namespace Warmstart.Tests.Faults;

/// <summary>
/// Checkpoint files carry SHA-256s that resume and grow check, and NaN/inf weights are refused on load: a truncated or
/// corrupted checkpoint must stop a run, not silently start it from damaged weights.
/// </summary>
public class CheckpointIntegrityTests : IClassFixture<CheckpointIntegrityTests.Runs>
{
    /// <summary>A finished base, its grown checkpoint and a run interrupted after its first checkpoint, made once.</summary>
    public sealed class Runs : IDisposable
    {
        public TempFolder Dir { get; } = TestSupport.Temp();
        public string Base => Dir["base"];
        public string Grown => Dir["grown"];
        public string Interrupted => Dir["interrupted"];

        public Runs()
        {
            TestSupport.Init();
            Trainer.Run(Config, Base);
            GrowJob.Run(Base, Target, GrowthOperator.Parse("szp"), 0, Grown);
            using var cancel = new CancellationTokenSource();
            var progress = new SynchronousProgress<TrainProgress>(p => { if (p.Step == 30) cancel.Cancel(); });
            Assert.Throws<OperationCanceledException>(() =>
                Trainer.Run(Config, Interrupted, new TrainOptions { Progress = progress, Cancel = cancel.Token }));
        }

        public void Dispose() => Dir.Dispose();
    }

    static readonly GptConfig Target = RunPresets.CpuModel(heads: 4) with { ContextLength = 64 };

    static readonly RunSpec Config = new()
    {
        Model = RunPresets.CpuModel(heads: 2) with { ContextLength = 64 },
        Train = new TrainConfig { Lr = 1e-2, BatchSize = 8, Tokens = 8 * 64 * 60, Tpp = null, EvalEvery = 20, EvalBatches = 2, CheckpointEvery = 20 },
    };

    readonly Runs runs;
    public CheckpointIntegrityTests(Runs runs) => this.runs = runs;

    [Fact]
    public void StateJsonRecordsASha256PerFile()
    {
        var folder = Path.Combine(runs.Interrupted, Trainer.CheckpointFolder);
        var state = Files.ReadJson<CheckpointState>(Path.Combine(folder, Checkpoint.StateFile));
        Assert.Equal([Checkpoint.ModelFile, Checkpoint.OptimizerFile], state.FileSha256!.Keys.Order());
        foreach (var (name, hash) in state.FileSha256) Assert.Equal(Checkpoint.Sha256(Path.Combine(folder, name)), hash);
        Assert.Contains("\"file_sha256\"", File.ReadAllText(Path.Combine(folder, Checkpoint.StateFile)));
    }

    [Fact]
    public void ResumeRefusesFlippedBits()
    {
        using var dir = TestSupport.Temp();
        var run = Copy(runs.Interrupted, dir["run"]);
        FlipBits(Path.Combine(run, Trainer.CheckpointFolder, Checkpoint.ModelFile));
        var before = Refusal.Listing(dir.Path);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Run(Config, run, new TrainOptions { Resume = true }));
        Assert.Contains("model.safetensors does not match the SHA-256 recorded when it was written", e.Message);
        Assert.Equal(before, Refusal.Listing(dir.Path));
    }

    [Fact]
    public void ResumeRefusesANaNWeightEvenWithAMatchingHash()
    {
        using var dir = TestSupport.Temp();
        var run = Copy(runs.Interrupted, dir["run"]);
        var folder = Path.Combine(run, Trainer.CheckpointFolder);
        PoisonWeights(Path.Combine(folder, Checkpoint.ModelFile), "h.0.attn.c_attn.weight", float.NaN, Path.Combine(folder, Checkpoint.StateFile));
        var before = Refusal.Listing(dir.Path);
        var e = Assert.Throws<InvalidDataException>(() => Trainer.Run(Config, run, new TrainOptions { Resume = true }));
        Assert.Contains("tensor h.0.attn.c_attn.weight holds NaN or infinite values", e.Message);
        Assert.Equal(before, Refusal.Listing(dir.Path));
    }

    [Fact]
    public void GrowRefusesABaseWithFlippedBitsOrNaNWeights()
    {
        using var dir = TestSupport.Temp();
        var flipped = Copy(runs.Base, dir["flipped"]);
        FlipBits(Path.Combine(flipped, Trainer.CheckpointFolder, Checkpoint.ModelFile));
        var e = Assert.Throws<InvalidDataException>(() => GrowJob.Run(flipped, Target, GrowthOperator.Parse("szp"), 0, dir["g1"]));
        Assert.Contains("model.safetensors does not match the SHA-256", e.Message);

        var nan = Copy(runs.Base, dir["nan"]);
        var folder = Path.Combine(nan, Trainer.CheckpointFolder);
        PoisonWeights(Path.Combine(folder, Checkpoint.ModelFile), "wte.weight", float.PositiveInfinity, Path.Combine(folder, Checkpoint.StateFile));
        e = Assert.Throws<InvalidDataException>(() => GrowJob.Run(nan, Target, GrowthOperator.Parse("szp"), 0, dir["g2"]));
        Assert.Contains("tensor wte.weight holds NaN or infinite values", e.Message);
        Assert.False(Directory.Exists(dir["g1"]) || Directory.Exists(dir["g2"]));
    }

    [Fact]
    public void GrowRefusesABaseWhoseValidationLossIsNotFinite()
    {
        using var dir = TestSupport.Temp();
        var huge = Copy(runs.Base, dir["huge"]);
        var folder = Path.Combine(huge, Trainer.CheckpointFolder);
        PoisonWeights(Path.Combine(folder, Checkpoint.ModelFile), "lm_head.weight", 3e38f, Path.Combine(folder, Checkpoint.StateFile), everyElement: true);
        var e = Assert.Throws<InvalidDataException>(() => GrowJob.Run(huge, Target, GrowthOperator.Parse("szp"), 0, dir["g"]));
        Assert.Matches("evaluates to base_val_loss (NaN|inf) \\(it must be finite\\)", e.Message);
        Assert.False(Directory.Exists(dir["g"]));
    }

    [Fact]
    public void TrainingFromAGrownCheckpointRefusesFlippedBitsAndNaNWeights()
    {
        using var dir = TestSupport.Temp();
        var target = Config with { Model = Target };
        var flipped = Copy(runs.Grown, dir["flipped"]);
        FlipBits(Path.Combine(flipped, GrownCheckpoint.WeightsFile));
        var e = Assert.Throws<InvalidDataException>(() => Trainer.Run(target with { Init = flipped }, dir["w1"]));
        Assert.Contains("model.safetensors does not match the SHA-256 recorded in report.json", e.Message);

        var nan = Copy(runs.Grown, dir["nan"]);
        PoisonWeights(Path.Combine(nan, GrownCheckpoint.WeightsFile), "ln_f.weight", float.NaN, null);
        var report = Files.ReadJson<GrowthReport>(Path.Combine(nan, GrownCheckpoint.ReportFile));
        Files.WriteJsonAtomic(Path.Combine(nan, GrownCheckpoint.ReportFile), report with { WeightsSha256 = Checkpoint.Sha256(Path.Combine(nan, GrownCheckpoint.WeightsFile)) });
        e = Assert.Throws<InvalidDataException>(() => Trainer.Run(target with { Init = nan }, dir["w2"]));
        Assert.Contains("tensor ln_f.weight holds NaN or infinite values", e.Message);
        Assert.False(Directory.Exists(dir["w1"]) || Directory.Exists(dir["w2"]));
    }

    static string Copy(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(d.Replace(from, to));
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(f, f.Replace(from, to));
        return to;
    }

    /// <summary>Flips an exponent bit in the middle of the tensor data: same size, different weights.</summary>
    static void FlipBits(string file)
    {
        var bytes = File.ReadAllBytes(file);
        bytes[bytes.Length / 2 + 3] ^= 0x40;
        File.WriteAllBytes(file, bytes);
    }

    /// <summary>Writes <paramref name="value"/> into a tensor (first element or all) and, if given, records the new size and hash in state.json.</summary>
    static void PoisonWeights(string file, string tensorName, float value, string? stateFile, bool everyElement = false)
    {
        var weights = Safetensors.LoadStateDict(file);
        try
        {
            Assert.True(weights.ContainsKey(tensorName), $"no tensor {tensorName}: {string.Join(", ", weights.Keys)}");
            using (no_grad())
            {
                if (everyElement) weights[tensorName].fill_(value);
                else weights[tensorName].view(-1)[0] = value;
            }
            Safetensors.SaveStateDict(file, weights);
        }
        finally { foreach (var t in weights.Values) t.Dispose(); }
        if (stateFile is null) return;
        var state = Files.ReadJson<CheckpointState>(stateFile);
        var name = Path.GetFileName(file);
        state.FileBytes[name] = new FileInfo(file).Length;
        state.FileSha256![name] = Checkpoint.Sha256(file);
        Files.WriteJsonAtomic(stateFile, state);
    }
}
