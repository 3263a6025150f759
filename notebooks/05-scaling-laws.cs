// Generated from 05-scaling-laws.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/05-scaling-laws.cs -- --help

// %% [markdown]
// # 05 · Can scaling laws predict when growth pays off?
//
// **Question.** Fit L(N, D) = E + A/N^α + B/D^β separately to the scratch runs and to the warm (SZP) runs; the
// difference ΔL(N, D) = L_warm − L_scratch says where warm-starting should win (ΔL < 0).
//
// **The paper's claim (5).** Scaling-law fits over these runs predict when growth pays off. The fit follows the
// authors: in log space with a Huber loss (δ = 10⁻³), bounded BFGS from a grid of starts; exponents are kept
// non-negative. Two sets of runs: the language models of the budget study (four target sizes, 42k to 133k parameters, at
// 10/20/30 tokens per parameter, plus their bases) and the dense MLPs of notebook 07 (three widths at 20/35/50 samples per parameter,
// three seeds).

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
// to the file-based app: dotnet run notebooks/05-scaling-laws.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);         // seeds when regenerating
var TargetN = Workbook.Number("WARMSTART_TARGET_N", 5e4);       // advisor: parameters of the model you want
var TargetD = Workbook.Number("WARMSTART_TARGET_D", 25 * 5e4);  // advisor: tokens (samples) you can train it on

// %%
// Results: the committed ones, or sweeps trained now (their progress updates below; finished runs are reused).
var lm = Workbook.Open("budget", Scale, Regenerate, Seeds);
var mlp = Workbook.Open("mlp", Scale, Regenerate, Seeds);

// %% [markdown]
// ## Language models

// %%
var lmFits = Workbook.ScalingFits("budget", Scale, Regenerate, lm); // the committed fits unless regenerating
Workbook.Show(lmFits);

// %%
// The ΔL map needs both laws. A law that the runs cannot identify (fewer than 3 target sizes or budgets) is refused
// with its reason rather than drawn.
DeltaMap? lmMap = null;
try { lmMap = Workbook.DeltaMap("budget", Scale, Regenerate, lm, Method.Szp); }
catch (Exception e) { Workbook.Show($"Language models: no ΔL map — {e.Message}"); }
if (lmMap is not null)
    Workbook.Show(Figures.DeltaContour(lmMap.Grid, lmMap.Zero, lmMap.Observed, "Language models: ΔL(N, D) = L_SZP − L_scratch (negative: warm-starting wins)"));

// %%
// Claim 5 out of sample, as the study's report wrote it (analysis/holdout.csv): the laws refitted without the largest
// target (and, apart, without the largest budget) against two baselines that know the budget but have no law.
Workbook.Show(Display.HoldOut(Workbook.AnalysisTable("budget", Scale, Regenerate, AnalysisFiles.HoldOut)));

// %% [markdown]
// ## Dense MLPs

// %%
var mlpFits = Workbook.ScalingFits("mlp", Scale, Regenerate, mlp);
Workbook.Show(mlpFits);

// %%
// figure
Workbook.Show(Figures.FitTable(mlpFits));

// %%
// figure
DeltaMap? mlpMap = null;
try { mlpMap = Workbook.DeltaMap("mlp", Scale, Regenerate, mlp, Method.Szp); }
catch (Exception e) { Workbook.Show($"MLPs: no ΔL map — {e.Message}"); }
if (mlpMap is not null)
    Workbook.Show(Figures.DeltaContour(mlpMap.Grid, mlpMap.Zero, mlpMap.Observed, "MLPs: ΔL(N, D) = L_SZP − L_scratch (negative: warm-starting wins)", dataUnit: "samples"));

// %%
Workbook.Show(Display.HoldOut(Workbook.AnalysisTable("mlp", Scale, Regenerate, AnalysisFiles.HoldOut)));

// %% [markdown]
// ## Advisor
//
// For a target of `TargetN` parameters trained on `TargetD` tokens (or samples): the laws give ΔL there, and the
// iso-FLOP analysis at the nearest studied budget gives the best growth factor and the smallest sensible base.

// %%
var (_, lmIso) = IsoFlop.Compute(lm, Method.Szp, withBaseCompute: false);
var (_, mlpIso) = IsoFlop.Compute(mlp, Method.Szp, withBaseCompute: false);
Workbook.Show(lmMap is null ? "Language models: no advice without identified laws (see the ΔL map above)"
                      : "Language models: " + Advisor.Advise(TargetN, TargetD, lmMap.Scratch, lmMap.Warm, lmIso).Text);
Workbook.Show(mlpMap is null ? "MLPs: no advice without identified laws (see the ΔL map above)"
                       : "MLPs: " + Advisor.Advise(TargetN, TargetD, mlpMap.Scratch, mlpMap.Warm, mlpIso).Text);

// %%
// The paper's claims that these results address, decided from the data (Analysis/Verdicts.cs: best setting per
// configuration, paired by seed, 95% intervals over seeds, and the rule each verdict applies).
var verdicts = Workbook.Verdicts("budget", Scale, Regenerate, lm);
Workbook.Show(verdicts);
Workbook.Markdown(Readings.Markdown(verdicts)); // what each verdict means for its claim, written from the verdict

// %% [markdown]
// ## How to read it
//
// Every number here is computed from the runs: the fitted laws (with their bound flags), the ΔL maps, the hold-out
// tables and the verdict table are the ones each study's report wrote (rewritten whenever you regenerate); the
// advisor's iso-FLOP fits and the readings under the verdicts are computed as the notebook runs.
//
// * **A law is only as good as its identification.** The fit table says where a law is refused (fewer than three
//   distinct target sizes or budgets) or has a parameter at its bound; the ΔL map of such a law is a sketch.
// * **Inside and outside the data.** The map is drawn only over the observed N and D range (hatched beyond it, which is
//   extrapolation); the observed ΔL points are the runs themselves.
// * **Predicting when growth pays** is judged out of sample: the laws are refitted without the largest target (and,
//   apart, without the largest budget) and must predict those held-out cells better than baselines that know the
//   budget but have no law: the mean ΔL of the fitted cells at the same budget (only where a fitted cell has that
//   budget, so never for the budget hold-out) and a line in ln TPP through them. The table under each map gives every
//   predictor's mean error with its interval over seeds, and law − best baseline per seed: below 0 in both hold-outs,
//   the law predicts better (reproduced); above 0 in both, or the law's mean error not below the best baseline's in
//   either, it does not; a refused hold-out (too few target sizes or budgets left to fit) leaves the claim inconclusive.
// * **What the law cannot decide.** It has no g term, so it predicts ΔL per (N, D) pooled over growth factors; and it
//   can place ΔL = 0 ("growth stops paying") only where the observed ΔL take both signs.
// * MLPs: the scratch law's irreducible loss E can be compared with the teacher's label entropy, a check the language
//   models cannot offer. The paper's ladder (14.6M–1.2B) is what the fit needs; the advisor says when it extrapolates.
