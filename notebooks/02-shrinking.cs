// Generated from 02-shrinking.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/02-shrinking.cs -- --help

// %% [markdown]
// # 02 · How much should SZP shrink the base?
//
// **Question.** SZP initialises the target as λ · ZeroPad(base) + σ · (fresh init). How does the final loss depend on
// the shrink λ (at σ = 1) and on the perturbation σ (at λ = 0.4)?
//
// **The paper's claim.** λ ≈ 0.4 works well (the default; the authors swept 0.2 … 1.0); λ = 1 (no shrink) is worse,
// λ = 0 is training from scratch.

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
// to the file-based app: dotnet run notebooks/02-shrinking.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores) | paper (a GPU)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);         // seeds when regenerating (the committed results have more)

// %%
// Results: the committed ones, or a sweep trained now (its progress updates below; finished runs are reused).
var results = Workbook.Open("lambda", Scale, Regenerate, Seeds);

// %%
var lambda = Summaries.LambdaSweep(results);
Workbook.Show(lambda);

// %%
// figure
Workbook.Show(Figures.LambdaSweep(lambda));

// %%
// What the table shows, written from it: no sentence here is typed by hand.
Workbook.Markdown(Readings.Shrinking(lambda));

// %% [markdown]
// ## How to read it
//
// The table, the figure and the reading above are computed from the results (`lambda-quick`: the target and base
// shapes of notebook 01, g ≈ 2.2, trained at the former default setting, the bases' own, not at the settings the tuning keeps).
//
// * **λ = 0 is a check.** With σ = 1, λ = 0 is the target's own initialisation, so it must end exactly where scratch
//   ends; any difference there would be a bug, not an effect.
// * **Shrink against keep.** A small λ keeps a faint copy of what the base learned under a fresh initialisation; λ = 1
//   adds the base at full scale to it, so the target starts with the base's weights at their trained size.
// * **Perturbation.** σ = 0 keeps only the shrunk base and zeros elsewhere, so the new units start without the fresh
//   initialisation's symmetry breaking.
// * **Seeds.** The committed study has one seed per setting: read differences against the seed spread of notebook 01.
