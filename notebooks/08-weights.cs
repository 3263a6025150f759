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
// to the file-based app: dotnet run notebooks/08-weights.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores) | paper (a GPU)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);         // seeds when regenerating (the committed results have more)

// %%
// Results: the committed ones, or a sweep trained now (its progress updates below; finished runs are reused).
var results = Workbook.Open("weights", Scale, Regenerate, Seeds);

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

// %%
// What the snapshots show, written from their metrics: no sentence here is typed by hand.
Workbook.Markdown(Readings.Weights(weights));

// %% [markdown]
// ## How to read it
//
// The weight metrics, their figures and the reading above are computed from the snapshots of the results
// (`weights-quick`: the shapes of notebook 01 at g ≈ 2.2 and a width-64 MLP grown from width 45; trained at the
// generation before, with every method at the former default setting and the function-preserving rival an exact clone,
// σ = 0, which is the rival whose copies this notebook looks at).
//
// * **What the paper's explanation predicts.** Function-preserving growth copies units, so its grown matrices start with
//   duplicated rows and columns: a lower effective rank than SZP's and scratch's. Duplicated units receive identical
//   gradients, so the copies would stay copies and the rank stay low; SZP's fresh perturbation gives the new units their
//   own directions from the start. Compare the FP and SZP ranks in the reading with that.
// * **Effective rank counts directions, not size**: a matrix of zeros has rank 0, however it is scaled.
// * **Cosine to the previous snapshot** near 1 means the weights hardly turned over the interval; the angular change
//   says the same in degrees, and the radial change how much they grew or shrank along themselves.
// * **One seed and one growth factor**: a picture of one run per method, not a measured effect.
