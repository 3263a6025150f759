// Generated from 01-function-preservation.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/01-function-preservation.cs -- --help

// %% [markdown]
// # 01 · Does preserving the base function matter?
//
// **Question.** A function-preserving operator hands the target exactly the base's loss; SZP throws much of it away at
// initialisation. Which reaches the lower loss after training, for the same compute?
//
// **The paper's claim (1 and 2).** Preserving the function is *not* needed for good final loss, and the simple SZP beats
// the function-preserving operator. The ablation compares Scratch, Zeros, Zeros+Shrink, Zeros+Perturb, SZP and the
// function-preserving operator grown from the same base (g ≈ 2), all trained for the target's full budget.

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
// to the file-based app: dotnet run notebooks/01-function-preservation.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores) | paper (a GPU)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);         // seeds when regenerating (the committed results have more)

// %%
// Results: the committed ones, or a sweep trained now (its progress updates below; finished runs are reused).
var results = Workbook.Open("ablation", Scale, Regenerate, Seeds);

// %%
var ablation = Summaries.Ablation(results);
Workbook.Show(ablation);

// %%
// figure
Workbook.Show(Figures.GrownVsFinal(ablation));

// %%
// figure
var seed0 = results.Runs.Where(r => r.Seed == 0).ToList();
Workbook.Show(Figures.LearningCurves(seed0, results.Curves, "Operator ablation: validation loss vs FLOPs (seed 0; dashed: the base's final loss)"));

// %%
// The paper's claims that these results address, decided from the data (Analysis/Verdicts.cs: best setting per
// configuration, paired by seed, 95% intervals over seeds, and the rule each verdict applies).
var verdicts = Workbook.Verdicts("ablation", Scale, Regenerate, results);
Workbook.Show(verdicts);
Workbook.Markdown(Readings.Markdown(verdicts)); // what each verdict means for its claim, written from the verdict

// %% [markdown]
// ## How to read it
//
// Every number here is computed: the operator table, the verdict table and the readings under it are recomputed from
// the results each time the notebook runs (`ablation-quick`: one base, g ≈ 2.2, every operator trained for the
// target's full budget on the Brown corpus).
//
// * **Where each operator starts and where it ends are different questions.** The *loss after growth* column says how
//   much of the base's function an operator keeps; the final loss says whether keeping it paid. Claim 1 is about the
//   second: read the paired ΔL (SZP − fp) and its interval in the verdict table, not the starting losses.
// * **Shrink, perturb, or both.** Zeros (shrink only), the perturbation alone and SZP (both) come from the same base:
//   their paired differences against scratch show which ingredient, if either alone, carries the gain.
// * Caveats: one growth factor, a 133k-parameter byte-level model; operators whose intervals overlap are not ranked by
//   their means.
