using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Reporting;

/// <summary>
/// One report of one results folder, section by section (<see cref="Report.Write"/> calls them in order): what each
/// section saves goes under analysis/, each chart under charts/, and what the data cannot support into the notes.
/// The sections read the raw tables (every setting a study tried) or the compared ones (one setting per configuration,
/// chosen on held-out batches, the controls' untrained bases left out), as each analysis needs.
/// </summary>
sealed class ReportWriter
{
    readonly ResultStore store;
    readonly string analysis, chartDir;
    readonly bool charts;
    readonly ResultTables raw, compared;
    readonly List<Method> warmMethods;
    readonly string tokenizer;
    // Tokens to scratch's loss per warm run and per (method, g): the speedup section saves them, the readings read them.
    readonly List<SpeedupRow> speedup;
    readonly List<SpeedupSummaryRow> summary;

    public List<string> Files { get; } = [];
    public List<string> Notes { get; } = [];
    public List<string> Pages { get; } = [];

    public ReportWriter(ResultStore store, bool charts)
    {
        this.store = store;
        this.charts = charts;
        analysis = AnalysisFiles.Of(store.Root);
        chartDir = Path.Combine(store.Root, "charts");
        raw = store.LoadTables();
        raw.Write(store.Root);
        // One selection step before every comparison: one setting (LR × init scale) per configuration for all seeds,
        // chosen on held-out batches. A study without a grid is unchanged. LR transfer and weight metrics read the raw tables.
        var (selected, bestSettings) = Selection.BestPerConfiguration(raw);
        Save(AnalysisFiles.BestSettings, bestSettings);
        if (Selection.HasGrid(bestSettings))
            Notes.Add("several settings per configuration: analyses use one setting per configuration, the lowest mean loss over seeds on held-out batches (best_settings.csv)");
        compared = Report.Compared(selected);
        speedup = Speedup.Compute(compared);
        summary = Speedup.Summary(speedup);
        warmMethods = raw.Runs.Select(r => r.Method).Where(m => m != Method.Scratch && m != Method.Untrained).Distinct().Order().ToList();
        foreach (var r in raw.Runs.Where(r => !r.IsFinished))
            Notes.Add(store.Problems.TryGetValue(r.RunId, out var problem) ? $"run {r.RunId}: invalid, left out of the analyses: {problem}" : $"run {r.RunId}: {Csv.Spelling(r.Status)}");
        foreach (var r in raw.Runs.Where(r => r.Diverged)) // kept in runs.csv, but no speedup or iso-FLOP point can come from it
            Notes.Add($"run {r.RunId}: diverged ({store.Summary(r.RunId)?.DivergedReason ?? "see its summary.json"}), left out of the speedup and iso-FLOP analyses");
        // The tables do not record the tokenizer; the runs' specs do, and the figures' loss axes name its unit.
        tokenizer = raw.Runs.Select(r => store.ReadSpec(r.RunId)?.Data).OfType<Data.CorpusData>().Select(c => c.Tokenizer).FirstOrDefault() ?? Units.ByteTokenizer;
    }

    void Save<T>(TableFile<T> table, IEnumerable<T> rows) { table.Write(analysis, rows); Files.Add(table.In(analysis)); }

    void Text(string name, string text) { var p = Path.Combine(analysis, name); Runtime.Files.WriteTextAtomic(p, text); Files.Add(p); }

    void Html(Func<Plotly.NET.GenericChart> chart, string name)
    {
        if (!charts) return;
        var p = Path.Combine(chartDir, name);
        Figures.SaveStandalone(chart(), p, sharedPlotlyJs: true);
        Files.Add(p);
        Pages.Add(p);
    }

    /// <summary>Tokens to reach scratch's loss, per warm run and per (method, g), with both compute accountings.</summary>
    public void Speedups()
    {
        Save(AnalysisFiles.Speedup, speedup);
        Save(AnalysisFiles.SpeedupSummary, summary);
        if (speedup.Count > 0) Html(() => Figures.SpeedupVsG(summary), "speedup_vs_g.html");
        if (summary.Any(r => r.Paired > 0)) Html(() => Figures.DeltaVsG(summary, tokenizer), "delta_vs_g.html");
    }

    /// <summary>The authors' iso-FLOP quadratics in ln g, with and without the base's compute, with and without scratch as g = 1.</summary>
    public void IsoFlops()
    {
        foreach (var method in warmMethods)
        foreach (bool withBase in new[] { false, true })
        foreach (bool withScratch in new[] { false, true })
        {
            // Both views: the paper's (scratch not a point) and with scratch as the g = 1 point of the quadratic.
            var (points, fits) = IsoFlop.Compute(compared, method, withBase, includeScratch: withScratch);
            Save(AnalysisFiles.IsoFlopPoints(method, withBase, withScratch), points);
            Save(AnalysisFiles.IsoFlopFits(method, withBase, withScratch), fits);
            if (withScratch) continue; // the g = 1 view is a table beside the paper's; only the paper's view is drawn
            // One chart per target model and budget: the FLOP levels of different targets do not share an axis.
            string view = AnalysisFiles.IsoFlopView(method, withBase, withScratch);
            var targets = fits.Select(f => (f.Model, f.Tpp)).Distinct().ToList();
            for (int t = 0; t < targets.Count && points.Count > 0; t++)
            {
                var (model, tpp) = targets[t];
                string name = targets.Count == 1 ? $"isoflop_{view}.html" : $"isoflop_{view}_{t + 1}.html";
                string title = $"Iso-FLOP loss vs g: {method}{(withBase ? ", base compute included" : "")}" + (targets.Count == 1 ? "" : $" — {model}, {tpp:0.#} TPP");
                Html(() => Figures.IsoFlop(IsoFlop.ForTarget(points, model, tpp), IsoFlop.ForTarget(fits, model, tpp), title, tokenizer), name);
            }
        }
    }

    /// <summary>The operator ablation, the λ/σ sweep and the learning curves.</summary>
    public void Summaries()
    {
        Save(AnalysisFiles.Ablation, Analysis.Summaries.Ablation(compared));
        var lambda = Analysis.Summaries.LambdaSweep(compared);
        Save(AnalysisFiles.Lambda, lambda);
        if (raw.Runs.Where(r => r.Method == Method.Szp).Select(r => (r.Lambda, r.Sigma)).Distinct().Count() > 1) Html(() => Figures.LambdaSweep(lambda, tokenizer), "lambda_sweep.html");
        Html(() => Figures.LearningCurves(compared.Runs, compared.Curves, "Learning curves vs FLOPs", tokenizer), "learning_curves.html");
    }

    /// <summary>L(N, D) = E + A/N^α + B/D^β per method, and the ΔL(N, D) map of each warm method against scratch.</summary>
    public void ScalingLaws()
    {
        var fits = ScalingLaw.FitByMethod(compared);
        Save(AnalysisFiles.ScalingFits, fits);
        if (Figures.HasAnyFit(fits)) Html(() => Figures.FitTable(fits), "scaling_fits.html");
        foreach (var fit in fits)
        {
            if (fit.Reason.Length > 0) Notes.Add($"scaling fit for {fit.Method}: {fit.Reason}");
            if (fit.AtBounds.Length > 0) Notes.Add($"scaling fit for {fit.Method}: parameters at their bounds, the law is not identified by these runs ({fit.AtBounds})");
        }
        foreach (var method in warmMethods)
        {
            DeltaMap map;
            try { map = ScalingLaw.Map(compared, method); }
            catch (ArgumentException) { continue; } // the reason is already in scaling_fits.csv and the notes
            Save(AnalysisFiles.DeltaGrid(method), map.Grid);
            Save(AnalysisFiles.DeltaZero(method), map.Zero);
            Save(AnalysisFiles.DeltaObserved(method), map.Observed);
            string unit = Units.Data(raw.Runs.Select(r => r.Model));
            Html(() => Figures.DeltaContour(map.Grid, map.Zero, map.Observed, $"ΔL(N, D) = L_{method} − L_scratch", unit, tokenizer), $"delta_{method}.html");
        }
    }

    /// <summary>Weight metrics of the runs that kept snapshots, and LR transfer where a study tried several LRs (raw tables).</summary>
    public void WeightsAndLearningRates()
    {
        var weights = Report.WeightMetrics(store, raw.Runs);
        if (weights.Count > 0)
        {
            Save(AnalysisFiles.Weights, weights);
            foreach (var measure in Enum.GetValues<WeightMeasure>())
                Html(() => Figures.WeightMetric(weights, measure), $"weights_{Csv.Spelling(measure)}.html");
        }
        if (raw.Runs.Select(r => r.Lr).Distinct().Count() > 1)
        {
            var (table, spearman) = Analysis.Summaries.LrTransfer(raw);
            Save(AnalysisFiles.LrTransfer, table);
            Save(AnalysisFiles.LrRankCorrelation, spearman);
            Html(() => Figures.LrSweep(table, tokenizer), "lr_sweep.html");
        }
    }

    /// <summary>The paper's claims this study addresses, and the readings beyond them (controls, fp noise, tuning, routes, progressive growth).</summary>
    public void ClaimsAndReadings()
    {
        // Claim 5's hold-out errors are a table of their own, and its verdict reads them (the fits run once).
        var holdOut = HoldOut.Of(raw);
        if (holdOut is not null) Save(AnalysisFiles.HoldOut, holdOut.Rows());
        var verdicts = Verdicts.ForStudy(raw, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(store.Root))), holdOut);
        Save(AnalysisFiles.Verdicts, verdicts);
        Text("verdicts.md", verdicts.Count == 0 ? "No claim of the paper is addressed by this study.\n" : AnalysisMarkdown.Verdicts(verdicts));
        if (Controls.Applies(raw))
        {
            var controls = Controls.Compare(raw);
            Save(AnalysisFiles.Controls, controls);
            Text("controls.md", AnalysisMarkdown.Controls(raw));
            Html(() => Figures.Controls(controls, tokenizer), "controls.html");
        }
        if (FpNoise.Applies(raw))
        {
            var noise = FpNoise.Table(raw);
            Save(AnalysisFiles.FpNoise, noise);
            Text("fp_noise.md", Readings.FpNoise(noise));
        }
        if (Tuning.Applies(raw))
        {
            Save(AnalysisFiles.Tune, Tuning.Grid(raw));
            Text("tune.md", AnalysisMarkdown.Tuning(raw));
        }
        if (Routes.Planned(raw))
        {
            Save(AnalysisFiles.Routes, Routes.Compare(raw));
            Save(AnalysisFiles.RouteContrasts, Routes.Contrasts(raw));
        }
        Save(StudyReadings.File, StudyReadings.Of(raw, summary));
    }

    /// <summary>The notes, last: every section has added its own.</summary>
    public void WriteNotes() => Runtime.Files.WriteTextAtomic(Path.Combine(analysis, "notes.txt"), string.Join("\n", Notes) + "\n");
}
