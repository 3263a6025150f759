using System.Text.Json;
using System.Text.RegularExpressions;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Reporting;

/// <summary>
/// A claim's outcome reaches a reader only from a computed verdict: <see cref="Readings"/> writes the sentences, and
/// no hand-written prose (a notebook's readings, the README outside its generated findings) may state an outcome.
/// </summary>
public class ReadingsTests
{
    static VerdictRow Row(string claim, Verdict verdict, double value = -0.05, double lo = -0.08, double hi = -0.02, int n = 3) =>
        new(claim, verdict, "ΔL final (SZP − scratch)", value, lo, hi, n, "quick", "detail", "rule");

    /// <summary>
    /// A study's readings (analysis/readings.csv): the controls' answer one part per g and "overall" last, each the
    /// sentence <see cref="Readings.Controls"/> writes; a reading of several lines, with quotes and commas, reads back as written.
    /// </summary>
    [Fact]
    public void AStudysReadingsHoldOnePartPerAnswerAndReadBackAsWritten()
    {
        var controls = ResultTables.Read(Path.Combine(NotebookRunner.RepoRoot, "data", "results", "controls-quick"));
        var rows = StudyReadings.Of(controls);
        var answers = Controls.Answer(controls);
        Assert.Equal(answers.Select(Readings.Controls), rows.Select(r => r.Markdown));
        Assert.All(rows, r => Assert.Equal(ReadingTopic.Controls, r.Topic));
        Assert.Equal(StudyReadings.Overall, rows[^1].Part);
        Assert.All(rows.SkipLast(1), r => Assert.StartsWith("g = ", r.Part));
        rows.Add(new(ReadingTopic.Routes, "", "- **Deeper**: \"a\", b\n- second line, with a comma"));
        Assert.Equal(rows, Warmstart.Runtime.Csv.Parse<ReadingRow>(Warmstart.Runtime.Csv.Format(rows)));
    }

    [Fact]
    public void ScratchAtItsKeptSettingReadsItsEffectFromTheInterval()
    {
        ScratchAtBest Row(double v, double lo, double hi, int n = 8) => new("M", 20, 0.007, 0.5, 0.01, 1, new Estimate(v, lo, hi, n), 6);
        Assert.Equal("On the reported seeds, scratch at its kept setting (LR 0.007, init × 0.5) − scratch at the default (LR 0.01, init × 1) = " +
                     "-0.02 [-0.03, -0.01] nats of final loss (6 of 8 seeds lower; the tuning made scratch better, so the comparison needed it).",
                     Readings.ScratchAtBest(Row(-0.02, -0.03, -0.01)));
        Assert.Contains("the two settings are not told apart", Readings.ScratchAtBest(Row(-0.01, -0.03, 0.01)));
        Assert.Contains("the kept setting is worse than the default here", Readings.ScratchAtBest(Row(0.02, 0.01, 0.03)));
        Assert.Contains("one seed, no interval", Readings.ScratchAtBest(Row(0.02, double.NaN, double.NaN, 1)));
    }

    [Fact]
    public void EachVerdictReadsAsWhatItMeansForItsClaim()
    {
        Assert.Equal("**Claim 2** (SZP beats the function-preserving operator): **reproduced** — the data support it; " +
                     "ΔL final (SZP − scratch) = -0.05 [-0.08, -0.02], n = 3 seeds (`quick`).", Readings.Sentence(Row("2", Verdict.Reproduced)));
        Assert.Contains("**not reproduced** — the data go against it", Readings.Sentence(Row("1", Verdict.NotReproduced)));
        Assert.Contains("**inconclusive** — the data do not decide it", Readings.Sentence(Row("4b", Verdict.Inconclusive)));
        var bound = Readings.Sentence(Row("3", Verdict.NotObservedUpTo(22.71)));
        Assert.Contains("(there is an upper bound on g beyond which scratch is as good or better)", bound);
        Assert.Contains("a bound is not observed up to g = 22.7 — SZP still beats scratch at the largest g tried", bound);
        // A statistic without an interval (claim 5's held-out error) names its cells, not seeds.
        Assert.EndsWith("= 0.01, over 7 held-out cells (`quick`).", Readings.Sentence(Row("5", Verdict.Reproduced, 0.01, double.NaN, double.NaN, 7)));
        // One seed: no interval, and the reading says so rather than counting held-out cells.
        Assert.EndsWith("= -0.05, one seed (no interval) (`quick`).", Readings.Sentence(Row("1", Verdict.Inconclusive, -0.05, double.NaN, double.NaN, 1)));
        // No statistic: the detail says why.
        Assert.Equal("**Claim 4** (g ≈ 2 is the most reliable; gains are largest at ≤ 20 TPP and shrink as the budget grows): **inconclusive** — " +
                     "the data do not decide it (detail) (`quick`).", Readings.Sentence(Row("4", Verdict.Inconclusive, double.NaN, double.NaN, double.NaN)));
        Assert.Equal(2, Readings.Markdown([Row("1", Verdict.Reproduced), Row("2", Verdict.Inconclusive)]).Split('\n').Length);
    }

    static SpeedupSummaryRow Cell(Method method, double g, double mean, double lo, double hi, int paired = 3) =>
        new(method, "M", g, 20, paired, paired, 1, 0, 1, 0) { Paired = paired, DeltaLossMean = mean, DeltaLossLo = lo, DeltaLossHi = hi };

    /// <summary>
    /// Progressive growth, per schedule (the last growth's g tells one growth from two), with the speedup that counts every
    /// stage, beside one-shot stacking from a base trained apart at the same g.
    /// </summary>
    [Fact]
    public void ProgressiveGrowthIsReadPerScheduleBesideOneShotStacking()
    {
        SpeedupSummaryRow Flops(Method method, double g, double mean, double speedup) =>
            Cell(method, g, mean, mean - 0.01, mean + 0.01, paired: 5) with { Runs = 5, Reached = 4, SpeedupWithBaseMean = speedup, SpeedupWithBaseLo = speedup - 0.1, SpeedupWithBaseHi = speedup + 0.1 };
        string reading = Readings.Progressive([
            Flops(Method.StackProgressive, 2.81, -0.02, 1.3), Flops(Method.StackProgressive, 1.75, -0.01, 1.1),
            Flops(Method.Stack, 2.81, -0.03, 0.9),
        ]);
        var lines = reading.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("- **One growth (the 1-block model, then stacked)**, last growth at g = 2.81: ΔL -0.02 [-0.03, -0.01] (n = 5); " +
                          "speedup in training FLOPs with every stage counted 1.3 [1.2, 1.4] (reached 4 of 5). One-shot stacking from a base trained apart at this g: ΔL -0.03", lines[0]);
        Assert.StartsWith("- **Two growths (1 → 2 blocks, then stacked again)**, last growth at g = 1.75", lines[1]);
        Assert.DoesNotContain("One-shot", lines[1]); // no one-shot run at g = 1.75
        Assert.Equal("No progressive runs here.", Readings.Progressive([Flops(Method.Stack, 2.81, -0.03, 0.9)]));
    }

    [Fact]
    public void TheHeadlineLineSaysPerMethodWhereItsIntervalLies()
    {
        var line = Readings.DeltaByG([
            Cell(Method.Fp, 2, 0.01, -0.02, 0.04), Cell(Method.Fp, 4, 0.2, 0.1, 0.3),
            Cell(Method.Szp, 2, -0.09, -0.15, -0.03), Cell(Method.Szp, 4, -0.08, -0.16, -0.01), Cell(Method.Szp, 8, -0.06, -0.16, 0.04),
            Cell(Method.Szp, 16, -0.05, double.NaN, double.NaN, paired: 1), // one seed: no interval, left out
        ]);
        Assert.Equal("SZP's final loss is below scratch's at g = 2, 4, not told apart from scratch's at g = 8; " +
                     "FP's final loss is above scratch's at g = 4, not told apart from scratch's at g = 2 (95% intervals of the paired ΔL over up to 3 seeds).", line);
        Assert.StartsWith("No method has two or more seeds", Readings.DeltaByG([Cell(Method.Szp, 2, -0.1, double.NaN, double.NaN, paired: 1)]));
    }

    static LambdaRow Shrink(double lambda, double sigma, double loss, int runs = 1) =>
        new(Method.Szp, "M", 1000, 20, lambda, sigma, runs, loss, runs > 1 ? 0.01 : double.NaN, 1.80);

    [Fact]
    public void TheShrinkingReadingIsWrittenFromItsTable()
    {
        string reading = Readings.Shrinking([
            Shrink(0, 1, 1.80), Shrink(0.2, 1, 1.72), Shrink(0.4, 1, 1.75), Shrink(1, 1, 1.83),
            Shrink(0.4, 0, 1.81), Shrink(0.4, 0.5, 1.75)]);
        var lines = reading.Split('\n');
        Assert.Equal("- **Shrink (σ = 1).** λ = 0 ends the same as scratch; the lowest final loss is at λ = 0.2 (1.72, 0.08 below scratch); " +
                     "the paper's default λ = 0.4 ranks 2 of 4, 0.03 above λ = 0.2; no shrink (λ = 1) ends 0.03 above scratch.", lines[0]);
        Assert.Equal("- **Perturbation (λ = 0.4).** σ = 0 ends 0.06 above σ = 1 and 0.01 above scratch; σ = 0.5 ends the same as σ = 1 and 0.05 below scratch.", lines[1]);
        Assert.StartsWith("- **One seed.** Each value is a single run, with no interval", lines[2]);
        // The default winning is not ranked against itself; two seeds are read as means, not as a paired effect.
        reading = Readings.Shrinking([Shrink(0, 1, 1.80, 2), Shrink(0.4, 1, 1.70, 2)]);
        Assert.DoesNotContain("ranks", reading);
        Assert.Contains("the lowest final loss is at λ = 0.4 (1.7, 0.1 below scratch)", reading);
        Assert.Contains("- **2 seeds.** Each value is a mean over seeds", reading);
        Assert.DoesNotContain("Perturbation", reading);
        // Without a scratch run there is nothing to subtract: the reading says so instead of printing a difference.
        Assert.Contains("λ = 0.4 (1.7, with no scratch to compare)", Readings.Shrinking([Shrink(0.4, 1, 1.70) with { ScratchLossMean = double.NaN }]));
    }

    [Fact]
    public void TheLrReadingIsWrittenFromItsTable()
    {
        List<LrRow> table = [new(0.001, 0, 2.2, 1.99, 1.86, Method.Szp), new(0.003, 0, 2.0, 1.78, 1.70, Method.Szp),
                             new(0.01, 0, 1.98, 1.77, 1.69, Method.Szp), new(0.03, 0, 2.1, 1.98, 2.05, Method.Szp)];
        var (_, spearman) = Summaries.LrTransfer(new Warmstart.Experiments.ResultTables([], []));
        string reading = Readings.LrTransfer(table, [new("base vs scratch target", 4, 1), new("base vs warm target", 4, 0.8), new("scratch vs warm target", 4, double.NaN)]);
        var lines = reading.Split('\n');
        Assert.Equal("- **Best LR.** The lowest final loss is at LR 0.01 for the base, 0.01 for the scratch target and 0.01 for the SZP-grown target, over a grid of 4 LRs.", lines[0]);
        Assert.Equal("- **Rank agreement across the grid** (Spearman, 1: the LRs rank identically): base vs scratch target ρ = 1; base vs warm target ρ = 0.8.", lines[1]);
        Assert.Equal("- **Warm against scratch.** The SZP-grown target ends below scratch at 3 of 4 LRs (0.001, 0.003, 0.01).", lines[2]);
        Assert.StartsWith("- **One seed.**", lines[3]);
        Assert.All(spearman, r => Assert.True(double.IsNaN(r.Spearman))); // an empty study has no correlation to read
        Assert.Equal("No finished LR runs to read.", Readings.LrTransfer([], spearman));
    }

    [Fact]
    public void TheWeightsReadingIsWrittenFromTheSnapshots()
    {
        WeightMetricRow Snap(string run, Method method, double step, double rank, double cosine) =>
            new(run, method, "h.0.mlp.c_fc.weight", step, rank, cosine, 1, double.NaN, double.NaN);
        string reading = Readings.Weights([
            Snap("s", Method.Scratch, 0, 60, double.NaN), Snap("s", Method.Scratch, 50, 61, 0.9), Snap("s", Method.Scratch, 100, 62, 0.99),
            Snap("f", Method.Fp, 0, 30, double.NaN), Snap("f", Method.Fp, 50, 31, 0.999), Snap("f", Method.Fp, 100, 35, 0.9995),
            Snap("z", Method.Szp, 0, 58, double.NaN), Snap("z", Method.Szp, 50, 59, 0.95), Snap("z", Method.Szp, 100, 60, 0.99)]);
        var lines = reading.Split('\n');
        Assert.Equal("- **Effective rank, right after growth → at the end.** `h.0.mlp.c_fc.weight`: FP 30 → 35, SZP 58 → 60, scratch 60 → 62.", lines[0]);
        Assert.Equal("- **Cosine to the previous snapshot after the first interval** (1: the weights did not turn). `h.0.mlp.c_fc.weight`: FP 0.999, SZP 0.95, scratch 0.9.", lines[1]);
        Assert.StartsWith("- **One seed, one growth factor.**", lines[2]);
        Assert.Equal("No weight snapshots to read.", Readings.Weights([]));
    }

    // A sentence that refers to one of the paper's claims …
    static readonly Regex RefersToAClaim = new(
        @"\bclaims? \d|\bupper bound\b|\bg_upper\b|\bmost reliable\b|\bgains? (\w+ ){0,2}shrinks?\b|\bshrinks? as the budget\b|\bpredict when growth pays",
        RegexOptions.IgnoreCase);

    // … and states how it came out (a rule's wording — "reproduced if …" — is not an outcome).
    static readonly Regex StatesAnOutcome = new(
        @"\b(reproduc\w*|inconclusive|resolved|holds?|supported|refuted|confirm\w*|agrees?|appears|cannot be shown|not observed|no upper bound|shrinks?)\b(?! (if|when|only))",
        RegexOptions.IgnoreCase);

    static IEnumerable<string> Sentences(string text) =>
        Regex.Split(Regex.Replace(text, @"```.*?```", " ", RegexOptions.Singleline), @"(?<=[.!?:])\s+|\n\s*[*-] |\n\n|\|")
            .Select(s => Regex.Replace(s, @"\s+", " ").Trim()).Where(s => s.Length > 0);

    static List<string> Outcomes(string where, string text) =>
        Sentences(text).Where(s => RefersToAClaim.IsMatch(s) && StatesAnOutcome.IsMatch(s)).Select(s => $"{where}: {s}").ToList();

    [Fact]
    public void TheGuardCatchesOutcomesButNotRulesOrQuestions()
    {
        Assert.NotEmpty(Outcomes("t", "* Claim 4 (g ≈ 2 most reliable) is not resolved: the intervals overlap."));
        Assert.NotEmpty(Outcomes("t", "So **no upper bound g_upper appears** at this scale."));
        Assert.NotEmpty(Outcomes("t", "**The gains shrink as the budget grows**, which agrees with the paper."));
        Assert.NotEmpty(Outcomes("t", "This agrees with the paper's claims 1 and 2."));
        Assert.Empty(Outcomes("t", "Claim 3 is reproduced if at some g the interval lies above −δ."));
        Assert.Empty(Outcomes("t", "Where is the upper bound on g beyond which scratch is as good?"));
        Assert.Empty(Outcomes("t", "The ΔL map shows where SZP ends below scratch."));
    }

    [Fact]
    public void NoNotebookReadingStatesAClaimsOutcome()
    {
        var found = new List<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(NotebookRunner.RepoRoot, "notebooks"), "*.ipynb").Order())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            bool afterCode = false; // the introduction before the first code cell states the paper's claims, not ours
            int index = 0;
            foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
            {
                index++;
                if (cell.GetProperty("cell_type").GetString() == "code") { afterCode = true; continue; }
                if (!afterCode) continue;
                string text = string.Concat(cell.GetProperty("source").EnumerateArray().Select(s => s.GetString()));
                found.AddRange(Outcomes($"{Path.GetFileName(path)} cell {index}", text));
            }
        }
        Assert.True(found.Count == 0, "hand-written prose states a claim's outcome; show Readings.Markdown(verdicts) instead:\n" + string.Join("\n", found));
    }

    [Fact]
    public void TheReadmeStatesOutcomesOnlyInItsGeneratedBlocks()
    {
        string readme = File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "README.md"));
        var generated = new Regex(@"<!-- (\w+):start.*?<!-- \1:end -->", RegexOptions.Singleline);
        var found = Outcomes("README.md", generated.Replace(readme, " "));
        Assert.True(found.Count == 0, "README prose states a claim's outcome outside the generated findings:\n" + string.Join("\n", found));
    }

    /// <summary>Every reading of a table, given nothing, one row, or only non-finite losses, says so in one line.</summary>
    [Fact]
    public void ReadingsOfNothingOneRowOrNonFiniteLossesAreOneLineWithoutNaN()
    {
        string Study(string s) => Path.Combine(NotebookRunner.RepoRoot, "data", "results", s);
        var summary = AnalysisFiles.SpeedupSummary.Read(AnalysisFiles.Of(Study("quick")));
        var lambda = AnalysisFiles.Lambda.Read(AnalysisFiles.Of(Study("lambda-quick")));
        var lr = AnalysisFiles.LrTransfer.Read(AnalysisFiles.Of(Study("lr-quick")));
        var weights = AnalysisFiles.Weights.Read(AnalysisFiles.Of(Study("weights-quick")));
        var readings = new Dictionary<string, string>
        {
            ["ΔL by g, none"] = Readings.DeltaByG([]),
            ["ΔL by g, one"] = Readings.DeltaByG([summary[0]]),
            ["ΔL by g, NaN"] = Readings.DeltaByG(summary.Select(r => r with { DeltaLossMean = double.NaN, DeltaLossLo = double.NaN, DeltaLossHi = double.NaN }).ToList()),
            ["λ, none"] = Readings.Shrinking([]),
            ["λ, one"] = Readings.Shrinking([lambda[0]]),
            ["λ, NaN"] = Readings.Shrinking(lambda.Select(r => r with { FinalLossMean = double.NaN, ScratchLossMean = double.NaN }).ToList()),
            ["LR, none"] = Readings.LrTransfer([], []),
            ["LR, one"] = Readings.LrTransfer([lr[0]], []),
            ["LR, NaN"] = Readings.LrTransfer(lr.Select(r => r with { BaseLoss = double.NaN, ScratchLoss = double.NaN, WarmLoss = double.NaN }).ToList(), []),
            ["weights, none"] = Readings.Weights([]),
            ["weights, one"] = Readings.Weights([weights[0]]),
            ["weights, NaN"] = Readings.Weights(weights.Select(w => w with { EffectiveRank = double.NaN, CosineToPrevious = double.NaN }).ToList()),
        };
        foreach (var (what, text) in readings)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{what}: empty reading");
            Assert.DoesNotContain("NaN", text);
            Assert.DoesNotContain("∞", text);
            if (what.EndsWith("none")) Assert.DoesNotContain('\n', text.Trim());
        }
    }
}
