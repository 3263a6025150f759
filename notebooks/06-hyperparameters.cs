// Generated from 06-hyperparameters.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/06-hyperparameters.cs -- --help

// %% [markdown]
// # 06 · Does the base's tuned learning rate transfer to the grown model?
//
// **Question.** Under µP the best learning rate should not move with width, so the LR tuned on the small base should
// also suit the target — grown or from scratch. Sweep the LR for the base, the scratch target and the SZP-grown target.
//
// **The paper's setup.** The target reuses the base's tuned LR ("LR transfer"); the authors' grid was
// {3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4} and their tuned LRs sat at 0.003–0.005. The Spearman rank correlation of final
// losses across the grid measures agreement (1: the LRs rank identically).

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
// to the file-based app: dotnet run notebooks/06-hyperparameters.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores) | paper (a GPU)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 1);         // seeds when regenerating (the committed results have more)

// %%
// Results: the committed ones, or a sweep trained now (its progress updates below; finished runs are reused).
var results = Workbook.Open("lr", Scale, Regenerate, Seeds);

// %%
var (lrTable, spearman) = Summaries.LrTransfer(results);
Workbook.Show(lrTable);

// %%
Workbook.Show(spearman);

// %%
// figure
Workbook.Show(Figures.LrSweep(lrTable));

// %%
// What the LR table shows, written from it: no sentence here is typed by hand.
Workbook.Markdown(Readings.LrTransfer(lrTable, spearman));

// %% [markdown]
// ## Is every method at its best? (the `tune` study)
//
// The authors keep, per configuration, the best learning curve over the hyperparameters they tried, so every method —
// scratch included — is compared at its best. The `tune` study trains the target from scratch, grown by SZP and grown by
// the function-preserving operator at its kept noise σ (g ≈ 2.2 and 9, one base per seed and g at the default setting)
// over a grid of learning rate × init scale (a multiplier on every init std of the litgpt µP scheme; for a grown model it
// scales the fresh init its operator mixes in). It trains on the selection seeds 100 and 101, which no reported run
// uses. Each method keeps one setting for every g — the lowest loss on held-out validation batches, averaged over the
// g's — and that setting must lie strictly inside the grid: where it sat on an edge, the grid was extended in √2 steps
// and trained again (docs/research.md, rules of 2026-12-07). Each setting is compared with the default (the bases' LR
// and init), paired by seed; the reading below says which setting each method keeps and whether the grid brackets it.

// %%
// The tune study has smoke and quick scales only: at the paper scale the committed quick grid is shown.
var tuneScale = Scale == "paper" ? "quick" : Scale;
var tune = Workbook.Open("tune", tuneScale, Regenerate && Scale != "paper", Seeds);
Workbook.Show(Workbook.AnalysisTable("tune", tuneScale, Regenerate && Scale != "paper", AnalysisFiles.Tune)); // the grid the study's report wrote

// %%
// Computed from the grid above (never typed), as the study's report wrote it: each method's best setting, and SZP − scratch at their best.
Workbook.Markdown(Workbook.Reading(ReadingTopic.Tuning, "tune", tuneScale, Regenerate && Scale != "paper", tune));

// %% [markdown]
// ### The same question on the reported seeds
//
// Two selection seeds cannot tell small differences apart. The growth study trains scratch at its kept setting on
// seeds 0–7, and the `scratch-default` study trains the same target at the former default on the same seeds; their
// difference, paired by seed, says whether the tuning moved scratch where the claims are read.

// %%
// Computed (never typed): scratch at its kept setting (the growth study) − scratch at the default (scratch-default), paired by seed.
var growthAtKept = Workbook.Open("growth", tuneScale, Regenerate && Scale != "paper", Seeds);
var scratchAtDefault = Workbook.Open("scratch-default", tuneScale, Regenerate && Scale != "paper", Seeds);
var scratchCheck = Tuning.ScratchAtKeptVsDefault(growthAtKept, scratchAtDefault);
Workbook.Markdown(scratchCheck.Count == 0 ? "No seed has scratch at both settings." : string.Join(" ", scratchCheck.Select(Readings.ScratchAtBest)));

// %% [markdown]
// ## How to read it
//
// The LR table, the rank correlations, the figure and the readings are computed from the results (`lr-quick`: an LR
// grid for the 60k-parameter base, the 133k scratch target and the SZP-grown target, g ≈ 2.2, µP relative to d = 64;
// `tune-quick`: the grid of learning rate × init scale above).
//
// * **Transfer** means the same LR is best at both sizes and the LRs rank the same way across the grid (ρ near 1): the
//   paper reuses the base's tuned LR on the target, and µP is what should make that safe.
// * **A coarse test.** Four LRs a factor ≈ 3 apart and a width ratio of only 1.6 between base and target: a shift of the
//   best LR by less than one grid step would not show.
// * **Seeds.** The LR grid has one seed, so its differences carry no interval; the tune grid has two selection seeds
//   (its intervals are wide), and the check on the reported seeds has eight.
