// Generated from 09-controls.ipynb, its source: edit the notebook, then run
//   dotnet run --project lib/Warmstart.Cli -c Release -- notebooks sync
// (a test fails while the two differ). Runs without a notebook kernel and writes a page under runs/notebooks/:
//   dotnet run notebooks/09-controls.cs -- --help

// %% [markdown]
// # 09 · What does SZP transfer: what the base learned, or a better starting scale?
//
// **Question.** SZP's start has larger weights than a fresh initialisation (the base's trained weights, shrunk, plus a
// fresh draw), so its gain over scratch could come from *what the base learned* or merely from *a better starting
// scale*. The paper has no control that separates the two; this study adds three, at g ≈ 2 and g ≈ 9 (quick scale; the
// smoke scale runs g ≈ 2 only):
//
// | arm | what it keeps of the base | what it removes |
// | --- | --- | --- |
// | SZP from the trained base | everything (the method) | — |
// | SZP from an **untrained** base of the same shape | the shapes and the growth | everything the base learned |
// | SZP from the trained base with each tensor's entries **permuted** | the trained values and their norms | their structure |
// | **scratch rescaled** per tensor to the norms of SZP's start | the starting scale | the base altogether |
//
// The rescaled scratch keeps SZP's norms *everywhere*, the readout included: a fresh µP readout is zero, SZP's is not
// (it holds the shrunk base readout), so the rescaled arm's readout is drawn at the norm of SZP's and its first loss is
// above a fresh model's uniform ln V — a faithful copy of SZP's scale, not a gentler start.
//
// **Reading rule** (`Analysis/Controls.cs`, paired by seed, 95% intervals over seeds). SZP's gain over scratch splits,
// seed by seed and exactly, into two terms that add up: *scale* = rescaled scratch − scratch, and *the rest* = SZP −
// rescaled scratch, what the trained base gives beyond its norms. If SZP is not below scratch there is nothing to
// explain; if both terms are below 0, "both"; if only the rest is, "what the base learned"; if only the scale term is,
// "the starting scale"; anything else (fewer than two pairs included) is inconclusive. With three seeds or more, a
// label counts only if leaving out any one seed keeps it; where one seed turns it, the answer says so and is
// inconclusive. The permuted base is
// reported apart, as its own test (SZP from the permuted base − scratch, and SZP − it): it is not a share of the gain.

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
// to the file-based app: dotnet run notebooks/09-controls.cs -- --scale smoke --regenerate
var Regenerate = Workbook.Flag("WARMSTART_REGENERATE", false); // false: plot the committed results in data/results; true: train now
var Scale = Workbook.Text("WARMSTART_SCALE", "quick");          // smoke (seconds) | quick (minutes on 2 cores)
var Seeds = (int)Workbook.Number("WARMSTART_SEEDS", 8);         // seeds when regenerating (the study's default is 8)

// %%
// Results: the committed ones, or a sweep trained now (its progress updates below; finished runs are reused).
var results = Workbook.Open("controls", Scale, Regenerate, Seeds);

// %%
// Each arm against scratch and against SZP, paired by seed (Δ = arm − reference; "wins": seeds below scratch).
var controls = Workbook.AnalysisTable("controls", Scale, Regenerate, AnalysisFiles.Controls); // as the study's report wrote it
Workbook.Show(controls);

// %%
// figure
Workbook.Show(Figures.Controls(controls));

// %%
// figure
// Seed 0's arms (the untrained bases are zero-step runs: a point each, left out here).
var seed0Arms = results.Runs.Where(r => r.Seed == 0 && r.Method != Method.Untrained).ToList();
Workbook.Show(Figures.LearningCurves(seed0Arms, results.Curves, "Controls: validation loss vs FLOPs (seed 0)"));

// %%
// The answer, computed from the table above by the reading rule (never typed by hand), as the study's report wrote it.
Workbook.Markdown(Workbook.Reading(ReadingTopic.Controls, "controls", Scale, Regenerate, results));

// %% [markdown]
// ### Is the scale term the setting?
//
// The rescaled scratch trains at SZP's setting, scratch at its own (a smaller LR), so the scale term carries that step
// too. The `scratch-default` study trains the same scratch target at SZP's LR (with the default init scale) on the same
// seeds; paired with this study's scratch, it says what the step to SZP's LR alone is worth to scratch at its own
// scale.

// %%
// Computed (never typed): this study's scratch (its kept setting) − the same target at the former default, SZP's LR
// (the scratch-default study), paired by seed.
var scratchAtDefault = Workbook.Open("scratch-default", Scale, Regenerate, Seeds);
var settingStep = Tuning.ScratchAtKeptVsDefault(results, scratchAtDefault);
Workbook.Markdown(settingStep.Count == 0 ? "No seed has scratch at both settings." : string.Join(" ", settingStep.Select(Readings.ScratchAtBest)));

// %% [markdown]
// ## How to read it
//
// The answer above is the one the study's report wrote from these results, in the words the README shows; the report
// rewrites it whenever the results change. The figure shows what the answer reads:
// the share of SZP's gain that each control recovers (rescaled scratch: the starting scale; the permuted base: the
// base's values without their structure), with Fieller's interval, and each control's paired difference against SZP.
// Only the rescaled scratch's share is a part of SZP's gain: the scale term (rescaled scratch − scratch) and the rest
// (SZP − rescaled scratch) add up to SZP − scratch. The permuted base's share is a separate test, so the two shares
// need not add up to 100%.
// Two more columns are worth a look: the *loss after growth* (where each arm starts: a control that starts far above
// SZP and still catches up has learned quickly rather than started well) and *diverged* (runs left out of the
// differences). Compare g ≈ 2 and g ≈ 9, where the base is a much smaller share of the target.
// The tuned-baseline question (is scratch at its best LR and init scale?) is the `tune` study's; here scratch trains at
// its own kept setting and every other arm at SZP's (`SweepPresets.KeptSettings`), so that each control differs from
// SZP only in its start. The scale term (rescaled scratch − scratch) therefore also carries the step from scratch's setting to
// SZP's LR; the cell above says what that step is worth to scratch alone (from its own scale, not SZP's). The rest
// (SZP − rescaled scratch) compares two arms at one setting.
