// Generated from 00-tour.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/00-tour.cs -- --help

// %% [markdown]
// # 00 · A tour of the workbook
//
// This notebook walks through the pieces the other notebooks stand on, at a size that trains in seconds to a couple of
// minutes on a laptop CPU: the embedded corpus and the two tokenizers, the model and its µP parameter groups, training a
// tiny base, growing it with every operator, training each grown model briefly and comparing the learning curves.
//
// The paper — *When is Warmstarting Effective for Scaling Language Models?* (arXiv 2605.13405) — asks when initialising
// a larger model from a trained smaller one ("growth", "warm-starting") beats training the larger model from scratch.
// Its claims: preserving the small model's function is not needed; a simple operator, **SZP** (shrink the base weights
// by λ, zero-pad them into the larger shapes, add a fresh initialisation scaled by σ), beats function-preserving ones;
// growth pays off only up to some growth factor g = N_target / N_base, with g ≈ 2 the most reliable; and gains are
// largest at small token budgets.

// %%
// The notebook's setup.dib as a file-based app: the library by #:project (its packages come with it, at the versions
// of Directory.Packages.props), built in Release like the notebooks' library; not native AOT, which file-based apps
// default to (the library reads records and charts by reflection).
#:project ../lib/Warmstart.Presentation/Warmstart.Presentation.csproj
#:property Configuration=Release
#:property PublishAot=false
using Microsoft.Data.Analysis;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Notebooks;
using Warmstart.Reporting;
using Warmstart.Training;
Workbook.StartApp(args);

// %%
// Parameters: the scale of the tour (smoke: a few seconds; quick: about two minutes on 2 cores).
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");
if (Scale != "smoke" && Scale != "quick") throw new WorkbookException($"unknown scale '{Scale}': the tour has smoke and quick");
long baseTokens = Scale == "smoke" ? 20_000 : 600_000, warmTokens = Scale == "smoke" ? 10_000 : 300_000;
var tourDir = System.IO.Path.Combine(Workbook.RepoRoot, "runs", $"tour-{Scale}");
if (System.IO.Directory.Exists(tourDir)) System.IO.Directory.Delete(tourDir, true); // the tour always trains afresh
Workbook.Show($"base: {baseTokens:N0} tokens; each grown model: {warmTokens:N0} tokens → {tourDir}");

// %% [markdown]
// ## The corpus and the tokenizers
//
// The Brown corpus (1961 American English, 500 documents in 15 genres) is embedded in the library. The validation split
// holds out one document in ten within each genre. The CPU default tokenizer is byte-level (vocabulary 256); GPT-2's BPE
// (the paper's) is available too.

// %%
var documents = Warmstart.Data.BrownCorpus.Load();
var byGenre = documents.GroupBy(d => d.Group).Select(g => new { genre = g.Key, documents = g.Count(), characters = g.Sum(d => d.Text.Length) });
Workbook.Show(Frames.FromRecords(byGenre));

// %%
var sample = documents[0].Text[..120];
var byteIds = Warmstart.Data.Tokenizers.Create("byte").Encode(sample);
var bpeIds = Warmstart.Data.Tokenizers.Create("gpt2").Encode(sample);
Workbook.Show($"\"{sample}\"\n→ {byteIds.Count} byte tokens, {bpeIds.Count} GPT-2 tokens: [{string.Join(", ", bpeIds.Take(12))}, …]");

// %% [markdown]
// ## The model and its µP groups
//
// A decoder-only transformer in the paper's family: LayerNorm, partial rotary positions, parallel residual, GELU MLP,
// untied head. Under µP (relative to a base width) hidden matrices are initialised with variance ∝ 1/fan-in and get
// Adam learning rate ÷ m (m = d / d_base), the readout starts at zero and its logits are scaled by 1/m. The table lists
// every parameter with its role, init and LR multiplier — the optimizer groups the model owns.

// %%
var baseModel = Warmstart.Experiments.RunPresets.CpuModel(heads: 4, layers: 2) with { HeadSize = 8, RotaryFraction = 0.5 };
var target = baseModel with { Heads = 8 };
var specs = new Warmstart.Model.GptArchitecture(target).ParameterSpecs()
    .Select(s => new { s.Name, shape = string.Join("×", s.Shape), role = s.Role.ToString(), init = s.Init == Warmstart.Model.InitKind.Normal ? $"N(0, {s.InitStd:0.####}²)" : s.Init.ToString(), lr_multiplier = s.LrMultiplier });
Workbook.Show($"base {baseModel.Label()}, target {target.Label()}: g = {(double)target.ParameterCount() / baseModel.ParameterCount():0.##}");
Workbook.Show(Frames.FromRecords(specs.Take(14)));

// %% [markdown]
// ## Train a tiny base
//
// `Trainer.Run` writes `spec.json` (the run's one description), `curve.csv`, `summary.json` and a checkpoint into its folder — the same files
// every sweep reads back.

// %%
var baseRun = new Warmstart.Training.RunSpec
{
    Model = baseModel,
    Train = new Warmstart.Training.TrainConfig { Lr = 1e-2, BatchSize = 16, Tokens = baseTokens, Tpp = null, EvalEvery = 25, EvalBatches = 4 },
};
var baseDir = System.IO.Path.Combine(tourDir, "base");
var baseSummary = Workbook.Guard(() => Warmstart.Training.Trainer.Run(baseRun, baseDir));
Workbook.Show($"base: validation loss {baseSummary.InitialValLoss:F3} → {baseSummary.FinalValLoss:F3} in {baseSummary.Seconds:F1} s ({baseSummary.TokensPerSecond:N0} tokens/s)");

// %% [markdown]
// ## Grow it with every operator, then train each grown model briefly
//
// One operator with parameters: target = λ · ZeroPad(base) + σ · (fresh init). Scratch is λ = 0, σ = 1; Zeros is λ = 1,
// σ = 0; SZP is λ = 0.4, σ = 1. The function-preserving rival (`fp`) clones units instead of zero-padding them
// (HyperCloning for integer width multiples) so the grown model computes what the base computed.

// %%
var operators = new[] { "scratch", "zeros", "zeros-shrink", "zeros-perturb", "szp", "fp" };
var growth = new List<Warmstart.Training.GrowthReport>();
var folders = new List<(Method Method, string RunDir)>();
foreach (var name in operators)
{
    var grownDir = System.IO.Path.Combine(tourDir, "grown-" + name);
    growth.Add(Workbook.Guard(() => Warmstart.Training.GrowJob.Run(baseDir, target, Warmstart.Growth.GrowthOperator.Parse(name), seed: 1, grownDir)));
    var warm = baseRun with { Model = target, Init = grownDir, Train = baseRun.Train with { Tokens = warmTokens } };
    var runDir = System.IO.Path.Combine(tourDir, "warm-" + name);
    Workbook.Guard(() => Warmstart.Training.Trainer.Run(warm, runDir));
    folders.Add((Method.Parse(name), runDir));
}
Workbook.Show(Frames.FromRecords(growth.Select(r => new { r.Operator, r.Lambda, r.Sigma, r.G, r.BaseValLoss, r.GrownValLoss, r.MaxLogitRelativeDiff })));

// %%
// figure
var tour = Warmstart.Experiments.ResultStore.FromRunFolders(folders);
Workbook.Show(Figures.LearningCurves(tour.Runs, tour.Curves, "The grown models train on (validation loss vs FLOPs)"));

// %%
Workbook.Show(Frames.FromRecords(tour.Runs.Select(r => new { r.Method, grown_loss = r.InitialValLoss, final_loss = r.FinalValLoss })));

// %% [markdown]
// ## What the tour shows
//
// Right after growth the function-preserving operator (`fp`, here HyperCloning: the width doubles) keeps the base's
// loss exactly, Zeros nearly (its zero-padded readout halves µP's logit scale), while SZP, Zeros+Perturb and Scratch
// start far higher (the table above). A few hundred steps are not enough to rank the operators — that is what the
// sweeps in notebooks 01–10 are for. The tour's point is the machinery they run on: data, model, µP groups, training
// and growth, all through the library.
