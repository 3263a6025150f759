// Generated from 08-weights.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/08-weights.cs -- --help

// %% [markdown]
// # 08 · Why does function-preserving growth do worse? A look at the weights
//
// **Question.** Track a few layers (embedding, one attention projection, one MLP matrix, the head; for the MLP its input,
// first hidden and output layers) through training after growth: the effective rank of each matrix (exp of the entropy
// of its normalised singular values), the cosine similarity to the previous snapshot, and how much the weights move
// along themselves (radial) versus rotate (angular).
//
// **The paper's reading.** Function-preserving growth copies units, so the grown matrices start with duplicated rows
// and columns (low effective rank) that gradient descent only slowly separates; SZP's fresh perturbation breaks the
// symmetry at once.

// %%
// The notebook's setup.dib as a file-based app: the library by #:project (its packages come with it, at the versions
// of Directory.Packages.props), built in Release like the notebooks' library; not native AOT, which file-based apps
// default to (the library reads records and charts by reflection).
#:project ../lib/Warmstart/Warmstart.csproj
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
// to the file-based app: dotnet run notebooks/08-weights.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores) | paper (a GPU)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);         // seeds when regenerating (the committed results have more)
Workbook.CheckParameters("weights", Scale, Seeds);
Workbook.Show($"{(Regenerate ? "training" : "loading")} the weights study at scale '{Scale}' → preset '{Workbook.PresetName("weights", Scale)}'");

// %%
// Results: the committed ones, or a sweep trained now (progress updates below; finished runs are reused).
var progress = Workbook.Progress("…");
var results = Workbook.Results("weights", Scale, Regenerate, text => progress.Update(text), Seeds);
progress.Update($"{results.Runs.Count} runs, {results.Curves.Count} validation points");

// %%
// The metrics come from analysis/weights.csv: the report computes them from the snapshots (which stay local).
var weights = Workbook.AnalysisTable("weights", Scale, Regenerate, AnalysisFiles.Weights);
// effective rank right after growth (step 0) and at the end, per run and layer
Workbook.Show(WeightAnalysis.RankAtStartAndEnd(weights));

// %%
// figure
Workbook.Show(Figures.WeightMetric(weights, WeightMeasure.EffectiveRank));

// %%
// figure
Workbook.Show(Figures.WeightMetric(weights, WeightMeasure.CosineToPrevious));

// %%
// figure
Workbook.Show(Figures.WeightMetric(weights, WeightMeasure.AngularChange));

// %%
// figure
Workbook.Show(Figures.WeightMetric(weights, WeightMeasure.RadialChange));

// %% [markdown]
// ## What the data show
//
// The weight metrics and their figures above are computed from the snapshots of the committed results
// (`weights-quick`: the notebook 01 runs at g ≈ 2.2 and a width-64 MLP grown from width 45, one seed).
//
// * **Function-preserving growth leaves low-rank weights that stay low-rank**: the effective rank of the attention and
//   MLP matrices right after cloning is well below SZP's and scratch's and stays there, and so does the dense MLP's hidden
//   matrix.
// * **The cloned weights barely move at first**: their cosine similarity to the previous snapshot after the first
//   interval is close to 1, far above SZP's and scratch's, with correspondingly smaller angular change.
// * Duplicated units receive identical gradients, so the copies stay copies and the extra width is largely wasted;
//   SZP's fresh perturbation gives the new units their own directions from the start. This is the paper's explanation,
//   and these snapshots agree with it — for one seed and one growth factor.
