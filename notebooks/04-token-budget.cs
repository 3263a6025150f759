// Generated from 04-token-budget.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/04-token-budget.cs -- --help

// %% [markdown]
// # 04 · Do the gains shrink as the token budget grows?
//
// **Question.** The same growth study at 10, 20 and 30 tokens per parameter (four target sizes, 42k to 133k parameters): does
// warm-starting help less when the target trains longer?
//
// **The paper's claim (4).** Gains are largest at budgets ≤ 20 tokens per parameter and shrink as the budget grows.

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
// to the file-based app: dotnet run notebooks/04-token-budget.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores) | paper (a GPU)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);         // seeds when regenerating (the committed results have more)

// %%
// Results: the committed ones, or a sweep trained now (its progress updates below; finished runs are reused).
var results = Workbook.Open("budget", Scale, Regenerate, Seeds);

// %%
var speedupSummary = Workbook.AnalysisTable("budget", Scale, Regenerate, AnalysisFiles.SpeedupSummary); // as the study's report wrote it
Workbook.Show(Display.SpeedupSummary(speedupSummary)); // answer columns first, rounded; spread only where ≥ 2 seeds
Workbook.FullTable("budget", Scale, Regenerate, AnalysisFiles.SpeedupSummary); // where every column lives (a CSV)

// %%
// figure
var largestTarget = results.Runs.Where(r => r.Method == Method.Szp).MaxBy(r => r.Params)!.Model;
Workbook.Show(Figures.SpeedupVsG(speedupSummary.Where(r => r.Model == largestTarget).ToList()));

// %%
var (points, fits) = IsoFlop.Compute(results, Method.Szp, withBaseCompute: false);
// g_opt and g_upper at full compute (the last FLOP level) per budget and target size
Workbook.Show(IsoFlop.AtFullCompute(fits));

// %%
// figure
var largest = results.Runs.Where(r => r.Method == Method.Szp).MaxBy(r => r.Params)!.Model;
var lowest = points.Min(p => p.Tpp);
Workbook.Show(Figures.IsoFlop(IsoFlop.ForTarget(points, largest, lowest), IsoFlop.ForTarget(fits, largest, lowest), $"SZP at {lowest:0.#} tokens per parameter ({largest})"));

// %%
// The paper's claims that these results address, decided from the data (Analysis/Verdicts.cs: best setting per
// configuration, paired by seed, 95% intervals over seeds, and the rule each verdict applies).
var verdicts = Workbook.Verdicts("budget", Scale, Regenerate, results);
Workbook.Show(verdicts);
Workbook.Markdown(Readings.Markdown(verdicts)); // what each verdict means for its claim, written from the verdict

// %% [markdown]
// ## How to read it
//
// Every number here is computed from the runs (`budget-quick`: the growth study at 10, 20 and 30 tokens per parameter):
// the speedup summary and the verdict table are the ones the study's report wrote (rewritten whenever you regenerate),
// and the iso-FLOP fits and the readings under the verdicts are computed as the notebook runs.
//
// * **Two accountings.** *Speedup* is the paper's: tokens scratch needs to reach its final loss over the tokens the grown
//   model needs, the base's training left out ("if the base exists"). *With base compute* counts the base's training
//   FLOPs too ("if you train it for this"): below 1, growing cost more than training the target from scratch.
//
// * **Compare budgets on the paired ΔL, not on single cells**: each cell has few seeds, and the claim about budgets is
//   decided by the verdict's contrast between the smallest and largest budget, with its interval.
// * **Below the target at the start.** At 10 tokens per parameter a grown model can already start below the short
//   scratch run's final loss (its base was trained for 20 of its own tokens per parameter): the summary marks that
//   state with a finite lower bound ("≥"), never ∞.
// * **Iso-FLOP per budget**: where a ✕ (g_upper) is drawn, the fit crosses scratch there; where none is drawn, it stays
//   below scratch over the g tried.
