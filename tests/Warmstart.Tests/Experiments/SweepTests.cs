using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Growth;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Experiments;

[Outer(OuterReason.Slow)]
public class SweepTests
{
    public SweepTests() => TestSupport.Init();

    static Dictionary<string, DateTime> SummaryTimes(string dir) =>
        Directory.GetFiles(Path.Combine(dir, "runs"), "summary.json", SearchOption.AllDirectories)
            .ToDictionary(f => f, File.GetLastWriteTimeUtc);

    [Fact]
    public void ASecondSweepOfTheSamePresetTrainsNothing()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        var first = SweepRunner.Run(sweep, dir.Path);
        Assert.Equal(first.Total, first.Trained);
        Assert.Equal(0, first.Failed);
        var before = SummaryTimes(dir.Path);
        var second = SweepRunner.Run(SweepPresets.Get("smoke"), dir.Path);
        Assert.Equal(0, second.Trained);
        Assert.Equal(first.Total, second.Skipped);
        Assert.Equal(before, SummaryTimes(dir.Path));
    }

    [Fact]
    public void BasesAreSharedAcrossWarmRuns()
    {
        var sweep = SweepPresets.Get("smoke");
        var ordered = sweep.Ordered().ToList();
        var warm = ordered.Where(s => s.IsWarm).ToList();
        Assert.Equal(4, warm.Count);                                   // 2 growth factors × (SZP, fp)
        Assert.Equal(2, warm.Select(w => w.Base!.Id).Distinct().Count()); // one base per growth factor
        Assert.Equal(ordered.Count, ordered.Select(s => s.Id).Distinct().Count());
        foreach (var w in warm) Assert.True(ordered.IndexOf(ordered.Single(s => s.Id == w.Base!.Id)) < ordered.IndexOf(w)); // bases first
    }

    [Fact]
    public void AKilledSweepFinishesTheRestWithoutRedoingFinishedRuns()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        using var cancel = new CancellationTokenSource();
        int finished = 0;
        var progress = new SynchronousProgress<SweepProgress>(p =>
        {
            if (p.Event == "finished" && ++finished == 3) cancel.Cancel();          // kill after three runs …
            if (finished == 3 && p.Training is { Step: 20 }) cancel.Cancel();      // … or midway through the fourth
        });
        Assert.Throws<OperationCanceledException>(() => SweepRunner.Run(sweep, dir.Path, new SweepOptions { Progress = progress, Cancel = cancel.Token }));
        var before = SummaryTimes(dir.Path);
        Assert.Equal(3, before.Count);
        var rest = SweepRunner.Run(SweepPresets.Get("smoke"), dir.Path);
        Assert.Equal(3, rest.Skipped);
        Assert.Equal(rest.Total - 3, rest.Trained);
        foreach (var (file, time) in before) Assert.Equal(time, File.GetLastWriteTimeUtc(file));
    }

    [Fact]
    public void ADivergedRunIsRecordedAndTheSweepCompletes()
    {
        using var dir = TestSupport.Temp();
        var good = SweepPresets.Get("smoke");
        // One base trained at an absurd LR diverges; its warm runs are recorded as failed; the rest completes.
        var bad = good.Ordered().First(s => !s.IsWarm && good.Runs.Any(r => r.Base?.Id == s.Id));
        var badBase = bad with { Train = bad.Train with { Lr = 1e4, WarmupFraction = 0, Schedule = Schedule.Constant } };
        var runs = good.Runs.Select(r => r.Base?.Id == bad.Id ? r with { Base = badBase } : r).ToList();
        var outcome = SweepRunner.Run(good with { Runs = runs }, dir.Path);
        Assert.Equal(1, outcome.Diverged);
        Assert.Equal(2, outcome.Failed); // the two warm runs of the diverged base
        var tables = new ResultStore(dir.Path).Load();
        var rows = tables.Runs;
        Assert.Single(rows, r => r.Diverged);
        Assert.Equal(2, rows.Count(r => r.Status == RunStatus.Failed));
        Assert.Contains("diverged", File.ReadAllText(Path.Combine(dir.Path, "failures", rows.First(r => r.Status == RunStatus.Failed).RunId + ".json")));
        Assert.Equal(outcome.Total - 3, rows.Count(r => r.IsFinished && !r.Diverged));
    }

    [Fact]
    public void AResultsFolderOfAnotherPresetIsRejected()
    {
        using var dir = TestSupport.Temp();
        SweepRunner.Run(SweepPresets.Get("smoke"), dir.Path);
        var e = Assert.Throws<ArgumentException>(() => SweepRunner.Run(SweepPresets.Get("ablation-smoke"), dir.Path));
        Assert.Contains("holds preset 'smoke', not 'ablation-smoke'", e.Message);
    }

    [Fact]
    public void BadPresetsAndBudgetsAreClearErrors()
    {
        Assert.Contains("unknown preset 'huge'", Assert.Throws<ArgumentException>(() => SweepPresets.Get("huge")).Message);
        Assert.Contains("budgets must be positive", Assert.Throws<ArgumentException>(() => SweepPresets.Get("smoke", budgets: [0])).Message);
        Assert.Contains("seeds must be a positive count", Assert.Throws<ArgumentException>(() => SweepPresets.Get("smoke", seeds: 0)).Message);
    }

    [Fact]
    public void AWarmRunWhoseBaseIsMissingIsRecordedAsFailed()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        var warm = sweep.Ordered().First(s => s.IsWarm);
        // The base cannot be trained (its data file is gone), so the warm run has no base to grow from.
        var missingBase = warm.Base! with { Data = new CorpusData { Source = dir["no-such-corpus.txt"] } };
        var outcome = SweepRunner.Run(sweep with { Runs = [warm with { Base = missingBase }] }, dir.Path);
        Assert.Equal(2, outcome.Failed);
        var failure = File.ReadAllText(Path.Combine(dir.Path, "failures", (warm with { Base = missingBase }).Id + ".json"));
        Assert.Contains($"base run {missingBase.Id} failed: ", failure); // with the base's own error
        Assert.Contains("no-such-corpus.txt", File.ReadAllText(Path.Combine(dir.Path, "failures", missingBase.Id + ".json")));
    }

    [Fact]
    public void ReportWritesTheAnalysesAndStandaloneCharts()
    {
        using var dir = TestSupport.Temp();
        SweepRunner.Run(SweepPresets.Get("smoke"), dir.Path);
        var written = Report.Write(dir.Path);
        foreach (var f in new[] { "runs.csv", "curves.csv", "analysis/speedup.csv", "analysis/isoflop_fits_szp.csv", "analysis/scaling_fits.csv",
                     "charts/speedup_vs_g.html", "charts/isoflop_szp.html", "charts/learning_curves.html" })
            Assert.True(File.Exists(Path.Combine(dir.Path, f)), f);
        var html = File.ReadAllText(Path.Combine(dir.Path, "charts/speedup_vs_g.html"));
        Assert.DoesNotContain("<script src=\"https://cdn.plot.ly", html); // plotly.js is embedded, not fetched
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains(written.Notes, n => n.Contains("too few runs"));
        Assert.Equal(SweepPresets.Get("smoke").Ordered().Count, ResultTables.Read(dir.Path).Runs.Count);
    }
}
