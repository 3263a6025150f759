// Generated from 10-depth.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/10-depth.cs -- --help

// %% [markdown]
// # 10 · Deeper or wider? Growth in depth
//
// **Question.** The paper grows width. Newer work reports its largest savings from growing depth: G_stack stacks a
// trained model's blocks, and Deep Progressive Training grows once, during training, from a model of 0–1 blocks. Do the
// paper's claims hold when the same growth is done in depth, which depth operator works best, and at equal g and equal
// target compute, is it better to grow deeper, wider, or both?
//
// **The operators.** From a base of L blocks to a target of L′ blocks, the width unchanged:
// * **stack** — target block i copies base block i mod L (G_stack): the whole base repeated;
// * **interleave** — each base block repeated in place (1, 1, 2, 2, …);
// * **identity** — the base's blocks, then new blocks whose writing projections are zero, so the grown model computes
//   the base's function (Net2DeeperNet): the function-preserving rival on depth;
// * **SZP on depth** (`szp-depth`) — the base's blocks shrunk by λ and perturbed by σ · a fresh init, as SZP does across
//   width, with fresh blocks on top;
// * **both** (`szp-stack`) — SZP across width and the blocks stacked, compared with width alone and depth alone at the
//   same g;
// * **progressive** (`stack-progressive`) — one block trained for the first quarter of the target's budget and stacked
//   to the target depth (or to two blocks at a quarter and to four at half), one learning-rate schedule throughout, the
//   compute of every stage counted.
//
// **Two families.** Dense MLPs on the teacher–student task (as notebook 07), grown in depth from 2 and 3 to 6 hidden
// layers; the 133k-parameter language model of the growth study grown from 1 and 2 to 4 blocks.

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
// Parameters: edit here, set the environment variables (how the headless tests run this notebook), or give them
// to the file-based app: dotnet run notebooks/10-depth.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);         // seeds when regenerating (the committed results have five)

// %%
// The depth operators pictured, read from the grower's own depth map: what each block of a 4-block model grown
// from a 2-block base starts from (b1, b2: the base's blocks; λ = 0.4 and σ = 1 for SZP on depth).
Workbook.Show(Display.DepthOperators(["stack", "interleave", "identity", "szp-depth"], baseDepth: 2, targetDepth: 4));

// %% [markdown]
// ## Dense MLPs grown in depth
//
// The final-loss difference to scratch (same seed) per operator and g, then the paper's claims read on depth.

// %%
// Results: the committed ones, or a sweep trained now (its progress updates below; finished runs are reused).
var mlp = Workbook.Open("mlp-depth", Scale, Regenerate, Seeds);
var mlpSummary = Workbook.AnalysisTable("mlp-depth", Scale, Regenerate, AnalysisFiles.SpeedupSummary); // as the study's report wrote it
Workbook.Show(Display.SpeedupSummary(mlpSummary)); // answer columns first, rounded; spread only where ≥ 2 seeds

// %%
// figure
Workbook.Show(Figures.DeltaVsG(mlpSummary));

// %%
// The paper's claims 1–4 on depth, decided from the data (Analysis/Verdicts.cs, the same rules as for width; SZP on
// depth against identity layers as the function-preserving rival).
// Claim 5's laws need several target sizes, and a depth study grows one: its row is left out, as in the README.
var mlpVerdicts = Workbook.Verdicts("mlp-depth", Scale, Regenerate, mlp).Where(v => v.Claim != "5").ToList();
Workbook.Show(mlpVerdicts);
Workbook.Markdown(Readings.Markdown(mlpVerdicts)); // what each verdict means for its claim, written from the verdict

// %% [markdown]
// ## The language model grown in depth
//
// Every depth operator from a 1-block and a 2-block base to 4 blocks; SZP across width, across depth and both at the
// 2-block base's g; and the progressive schedules.

// %%
var lm = Workbook.Open("depth", Scale, Regenerate, Seeds);
var lmSummary = Workbook.AnalysisTable("depth", Scale, Regenerate, AnalysisFiles.SpeedupSummary); // as the study's report wrote it
Workbook.Show(Display.SpeedupSummary(lmSummary));
Workbook.FullTable("depth", Scale, Regenerate, AnalysisFiles.SpeedupSummary); // where every column lives (a CSV)

// %%
// figure
Workbook.Show(Figures.DeltaVsG(lmSummary));

// %%
// figure
// Seed 0's runs of the 4-block target, with the bases they grew from (a two-growth schedule's 2-block middle stage is
// a model of its own: left out here).
var lmTarget = lm.Runs.Where(r => r.Method == Method.Scratch).MaxBy(r => r.Params)!.Model;
var seed0 = lm.Runs.Where(r => r.Seed == 0 && (r.Model == lmTarget || r.Method == Method.Scratch)).ToList();
Workbook.Show(Figures.LearningCurves(seed0, lm.Curves, "Depth growth: validation loss vs FLOPs (seed 0; dashed: a base's final loss)"));

// %%
// Deeper, wider or both at equal g and equal target compute: each route's ΔL to scratch, paired by seed, and the
// contrasts between routes (computed by the study's report, never typed).
Workbook.Show(Workbook.AnalysisTable("depth", Scale, Regenerate, AnalysisFiles.Routes)); // as the study's report wrote it
Workbook.Markdown(Workbook.Reading(ReadingTopic.Routes, "depth", Scale, Regenerate, lm));

// %%
// Progressive growth: the speedup over scratch with every stage's compute counted (written from the summary above).
Workbook.Markdown(Workbook.Reading(ReadingTopic.Progressive, "depth", Scale, Regenerate, lm));

// %%
// The claims on depth for the language model (claim 5 left out, as above).
var lmVerdicts = Workbook.Verdicts("depth", Scale, Regenerate, lm).Where(v => v.Claim != "5").ToList();
Workbook.Show(lmVerdicts);
Workbook.Markdown(Readings.Markdown(lmVerdicts));

// %% [markdown]
// ## How to read it
//
// Every number here comes from the results: the tables and readings each study's report wrote from them, rewritten
// whenever they change (`mlp-depth-quick`: MLPs of width 64 grown
// from 2 and 3 to 6 hidden layers at 20, 35 and 50 samples per parameter; `depth-quick`: the language model at d = 64,
// 8 heads of 8, grown from 1 and 2 blocks to 4, 20 tokens per parameter; five seeds each).
//
// * **ΔL is the reading.** A speedup needs every seed to reach scratch's final loss; the paired ΔL and its interval
//   count every seed, which is why the verdicts read it.
// * **Equal g, equal compute.** The routes compare targets of one size grown from bases of one size, so each route
//   spends the same target compute; only the start differs.
// * **Progressive runs** count the compute of every stage (the small model's steps are cheaper), so their speedup
//   compares the whole schedule with scratch at the target size.
// * **Small models.** Two to four blocks and six hidden layers are far from the depths (24–32) where depth growth was
//   reported to pay most; a finding here is about this scale.
