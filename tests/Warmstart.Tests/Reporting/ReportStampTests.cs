using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Reporting;

public class ReportStampTests
{
    /// <summary>A copy of the committed lambda study's run files (10 runs), without its analysis.</summary>
    static TempFolder LambdaStudy()
    {
        var temp = TestSupport.Temp();
        var from = Path.Combine(NotebookRunner.RepoRoot, "data", "results", "lambda-quick");
        File.Copy(Path.Combine(from, ResultStore.IndexFile), temp[ResultStore.IndexFile]);
        foreach (var run in Directory.GetDirectories(Path.Combine(from, "runs")))
        {
            var to = Path.Combine(temp.Path, "runs", Path.GetFileName(run));
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(run)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        return temp;
    }

    [Fact]
    public void AReportIsRewrittenOnlyWhenWhatItReadsChanged()
    {
        using var study = LambdaStudy();
        Assert.True(Report.WriteUnlessCurrent(study.Path, charts: false));
        var speedup = Path.Combine(study.Path, "analysis", "speedup.csv");
        Assert.True(File.Exists(speedup));
        var written = File.GetLastWriteTimeUtc(speedup);

        // Same runs, same bytes, same build: nothing is rewritten.
        Assert.False(Report.WriteUnlessCurrent(study.Path, charts: false));
        Assert.Equal(written, File.GetLastWriteTimeUtc(speedup));

        // A sweep that trained nothing still stamps the index with its time: that is not a change of what is analysed.
        var index = study[ResultStore.IndexFile];
        File.WriteAllText(index, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(index), "\"updated\": \"[^\"]*\"", "\"updated\": \"2030-01-01T00:00:00+00:00\""));
        Assert.Contains("2030-01-01", File.ReadAllText(index));
        Assert.False(Report.WriteUnlessCurrent(study.Path, charts: false));

        // One run's summary changes (a retrained run): the report is written again.
        var summary = Directory.GetFiles(Path.Combine(study.Path, "runs"), Trainer.SummaryFile, SearchOption.AllDirectories).First();
        File.AppendAllText(summary, " ");
        string before = Report.InputsHash(study.Path);
        Assert.True(Report.WriteUnlessCurrent(study.Path, charts: false));
        Assert.Equal(before, File.ReadAllText(study[Report.InputsStamp]).Trim());

        // A plain report (the CLI's) replaces what the stamp vouched for, so it removes the stamp.
        Report.Write(study.Path, charts: false);
        Assert.False(File.Exists(study[Report.InputsStamp]));
        Assert.True(Report.WriteUnlessCurrent(study.Path, charts: false));

        // A deleted analysis folder is rewritten even though the stamp still matches.
        Directory.Delete(Path.Combine(study.Path, "analysis"), recursive: true);
        Assert.True(Report.WriteUnlessCurrent(study.Path, charts: false));
        Assert.True(File.Exists(speedup));
    }

    [Fact]
    public void TheBuildEmbedsTheHashOfBothLibrariesSources()
    {
        // Not the fallback (a version id), so the build target ran in both projects; the two differ, as their sources do.
        Assert.Matches("^[0-9A-F]{64} [0-9A-F]{64}$", Report.LibrarySources);
        var hashes = Report.LibrarySources.Split(' ');
        Assert.NotEqual(hashes[0], hashes[1]);
    }
}
