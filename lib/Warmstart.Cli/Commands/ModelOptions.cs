using System.CommandLine;
using Warmstart.Data;
using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Cli.Commands;

/// <summary>Options that override a preset's model and training settings; unset options keep the preset's values.</summary>
sealed class ModelOptions
{
    readonly Option<int?> layers = new("--layers") { Description = "transformer blocks" };
    readonly Option<int?> heads = new("--heads") { Description = "attention heads (width d = heads × head size)" };
    readonly Option<int?> headSize = new("--head-size") { Description = "dims per head" };
    readonly Option<int?> width = new("--width") { Description = "model width d; must equal heads × head size" };
    readonly Option<int?> context = new("--context") { Description = "context length in tokens" };
    readonly Option<int?> vocab = new("--vocab") { Description = "model vocabulary (≥ the tokenizer's)" };
    readonly Option<string?> param = new("--param") { Description = "parameterisation: mup | sp" };
    readonly Option<int?> baseWidth = new("--base-width") { Description = "µP base width d_base" };
    readonly Option<string?> norm = new("--norm") { Description = "layernorm | rmsnorm" };
    readonly Option<string?> mlp = new("--mlp") { Description = "gelu | swiglu" };
    readonly Option<string?> positions = new("--positions") { Description = "rotary | learned" };
    readonly Option<double?> rotaryFraction = new("--rotary-fraction") { Description = "share of each head's dims that rotary rotates" };
    readonly Option<string?> attention = new("--attention") { Description = "sdpa (libtorch's) | fused (the C# kernel, fastest for 8-dim heads on a CPU)" };
    readonly Option<string?> initScheme = new("--init-scheme") { Description = "litgpt (the authors' µP init: √(2/(5d)), residual 1/(√d·L)) | gpt2 (σ 0.02)" };
    readonly Option<double?> initScale = new("--init-scale") { Description = "multiplier on every init std (default 1)" };
    readonly Option<double?> lr = new("--lr") { Description = "peak learning rate" };
    readonly Option<string?> schedule = new("--schedule") { Description = "wsd | cosine | constant" };
    readonly Option<long?> tokens = new("--tokens") { Description = "token budget D (instead of --tpp), e.g. 20000 or 2e7", CustomParser = ParseErrors.WholeCount };
    readonly Option<double?> tpp = new("--tpp") { Description = "budget in tokens per parameter (D = TPP·N)" };
    readonly Option<int?> batch = new("--batch-size") { Description = "sequences per optimizer step" };
    readonly Option<int?> micro = new("--micro-batches") { Description = "gradient-accumulation micro-batches per step" };
    readonly Option<double?> clip = new("--clip") { Description = "gradient-norm clip (0 = off)" };
    readonly Option<double?> wd = new("--weight-decay") { Description = "AdamW weight decay" };
    readonly Option<int?> evalEvery = new("--eval-every") { Description = "validate every k steps" };
    readonly Option<int?> evalBatches = new("--eval-batches") { Description = "fixed validation batches" };
    readonly Option<int?> logEvery = new("--log-every") { Description = "read the loss to the host every k steps" };
    readonly Option<int?> checkpointEvery = new("--checkpoint-every") { Description = "checkpoint every k steps (0 = at the end)" };
    readonly Option<int?> snapshotEvery = new("--snapshot-every") { Description = "keep model weights every k steps" };
    readonly Option<long?> seed = new("--seed") { Description = "init and data seed" };
    readonly Option<string?> device = new("--device") { Description = "auto | cpu | cuda[:N]" };
    readonly Option<int?> threads = new("--threads") { Description = "CPU threads (0 = one per core)" };
    readonly Option<bool> bf16 = new("--bf16") { Description = "bf16 matmuls with fp32 master weights (GPU)" };
    readonly Option<bool> tensorboard = new("--tensorboard") { Description = "also write TensorBoard scalars" };
    readonly Option<string?> data = new("--data") { Description = "brown | a text file or folder | a folder with train.bin/val.bin" };
    readonly Option<string?> tokenizer = new("--tokenizer") { Description = "byte | gpt2" };
    readonly Option<string?> task = new("--task") { Description = "MLP presets: teacher | teacher-soft | teacher-sharp" };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { layers, heads, headSize, width, context, vocab, param, baseWidth, norm, mlp, positions, rotaryFraction,
                     attention, initScheme, initScale, lr,
                     schedule, tokens, tpp, batch, micro, clip, wd, evalEvery, evalBatches, logEvery, checkpointEvery,
                     snapshotEvery, seed, device, threads, bf16, tensorboard, data, tokenizer, task })
            command.Options.Add(o);
    }

    /// <summary>The model-shaping options given on the command line (a grown checkpoint fixes all of them).</summary>
    public IEnumerable<string> ModelOptionsGiven(ParseResult r) =>
        new Option[] { layers, heads, headSize, width, context, vocab, param, baseWidth, norm, mlp, positions, rotaryFraction, attention, initScheme, initScale }
            .Where(o => r.GetResult(o) is { Implicit: false }).Select(o => o.Name);

    public RunSpec Apply(ParseResult r, RunSpec preset)
    {
        if (preset.Model is MlpConfig) return ApplyMlp(r, preset);
        if (r.GetResult(task) is not null) throw new ArgumentException("--task applies to the MLP preset; language models train on --data");
        var m = (GptConfig)preset.Model;
        var corpus = (CorpusData)preset.Data;
        m = m with
        {
            Layers = r.GetValue(layers) ?? m.Layers,
            Heads = r.GetValue(heads) ?? m.Heads,
            HeadSize = r.GetValue(headSize) ?? m.HeadSize,
            ContextLength = r.GetValue(context) ?? m.ContextLength,
            VocabSize = r.GetValue(vocab) ?? m.VocabSize,
            BaseWidth = r.GetValue(baseWidth) ?? m.BaseWidth,
            RotaryFraction = r.GetValue(rotaryFraction) ?? m.RotaryFraction,
            Param = Parse(r.GetValue(param), m.Param, ("mup", Parameterization.MuP), ("sp", Parameterization.Standard), ("standard", Parameterization.Standard)),
            Norm = Parse(r.GetValue(norm), m.Norm, ("layernorm", NormKind.LayerNorm), ("rmsnorm", NormKind.RmsNorm)),
            Mlp = Parse(r.GetValue(mlp), m.Mlp, ("gelu", MlpKind.Gelu), ("swiglu", MlpKind.SwiGlu)),
            Positions = Parse(r.GetValue(positions), m.Positions, ("rotary", PositionKind.Rotary), ("learned", PositionKind.Learned)),
            InitScheme = Parse(r.GetValue(initScheme), m.InitScheme, ("litgpt", InitScheme.Litgpt), ("gpt2", InitScheme.Gpt2)),
            Attention = r.GetValue(attention) is { } path ? ParseAttention(path) : m.Attention,
            InitScale = r.GetValue(initScale) ?? m.InitScale,
        };
        if (!(m.InitScale > 0) || double.IsInfinity(m.InitScale))
            throw new ArgumentException($"--init-scale must be a positive number, got {m.InitScale}");
        if (r.GetValue(width) is { } w && w != m.Heads * m.HeadSize)
            throw new ArgumentException($"--width {w} does not match heads × head size = {m.Heads} × {m.HeadSize} = {m.Heads * m.HeadSize}");
        var t = ApplyTrain(r, preset.Train);
        return preset with
        {
            Model = m,
            Train = t,
            Data = corpus with { Source = r.GetValue(data) ?? corpus.Source, Tokenizer = r.GetValue(tokenizer) ?? corpus.Tokenizer },
        };
    }

    TrainConfig ApplyTrain(ParseResult r, TrainConfig t)
    {
        var tokensValue = r.GetValue(tokens);
        var tppValue = r.GetValue(tpp);
        if (tokensValue is not null && tppValue is not null) throw new ArgumentException("give either --tokens or --tpp, not both");
        return t with
        {
            Lr = r.GetValue(lr) ?? t.Lr,
            Schedule = Parse(r.GetValue(schedule), t.Schedule, ("wsd", Schedule.Wsd), ("cosine", Schedule.Cosine), ("constant", Schedule.Constant)),
            Tokens = tokensValue ?? (tppValue is not null ? null : t.Tokens),
            Tpp = tppValue ?? (tokensValue is not null ? null : t.Tpp),
            BatchSize = r.GetValue(batch) ?? t.BatchSize,
            MicroBatches = r.GetValue(micro) ?? t.MicroBatches,
            ClipNorm = r.GetValue(clip) ?? t.ClipNorm,
            WeightDecay = r.GetValue(wd) ?? t.WeightDecay,
            EvalEvery = r.GetValue(evalEvery) ?? t.EvalEvery,
            EvalBatches = r.GetValue(evalBatches) ?? t.EvalBatches,
            LogEvery = r.GetValue(logEvery) ?? t.LogEvery,
            CheckpointEvery = r.GetValue(checkpointEvery) ?? t.CheckpointEvery,
            SnapshotEvery = r.GetValue(snapshotEvery) ?? t.SnapshotEvery,
            Seed = r.GetValue(seed) ?? t.Seed,
            Device = r.GetValue(device) ?? t.Device,
            Threads = r.GetValue(threads) ?? t.Threads,
            Bf16 = r.GetValue(bf16) || t.Bf16,
            TensorBoard = r.GetValue(tensorboard) || t.TensorBoard,
        };
    }

    /// <summary>MLP runs: --width and --layers size the hidden layers; the training options apply as for a GPT.</summary>
    RunSpec ApplyMlp(ParseResult r, RunSpec preset)
    {
        foreach (var gptOnly in new Option[] { heads, headSize, context, vocab, norm, mlp, positions, rotaryFraction, attention, initScheme, initScale, data, tokenizer })
            if (r.GetResult(gptOnly) is not null) throw new ArgumentException($"{gptOnly.Name} applies to language models, not to the MLP preset");
        var mlpConfig = (MlpConfig)preset.Model;
        var m = mlpConfig with
        {
            Width = r.GetValue(width) ?? mlpConfig.Width,
            Depth = r.GetValue(layers) ?? mlpConfig.Depth,
            BaseWidth = r.GetValue(baseWidth) ?? mlpConfig.BaseWidth,
            Param = Parse(r.GetValue(param), mlpConfig.Param, ("mup", Parameterization.MuP), ("sp", Parameterization.Standard), ("standard", Parameterization.Standard)),
        };
        var teacher = r.GetValue(task) is { } name ? TeacherConfig.Named(name) : preset.Data;
        return preset with { Model = m, Data = teacher, Train = ApplyTrain(r, preset.Train) };
    }

    /// <summary>--attention's value: sdpa or fused.</summary>
    public static AttentionKernel ParseAttention(string value)
    {
        try { return Parse(value, AttentionKernel.Sdpa, ("sdpa", AttentionKernel.Sdpa), ("fused", AttentionKernel.Fused)); }
        catch (ArgumentException e) { throw new ArgumentException($"--attention: {e.Message}"); }
    }

    static T Parse<T>(string? value, T fallback, params (string Name, T Value)[] allowed)
    {
        if (value is null) return fallback;
        foreach (var (name, v) in allowed)
            if (string.Equals(name, value.Trim(), StringComparison.OrdinalIgnoreCase)) return v;
        throw new ArgumentException($"unknown value '{value}': allowed are {string.Join(", ", allowed.Select(a => a.Name).Distinct())}");
    }
}
