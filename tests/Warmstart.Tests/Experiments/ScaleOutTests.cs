using Warmstart.Runtime;
using System.Security.Cryptography;
using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Tests.Cli;
using Warmstart.Training;

namespace Warmstart.Tests.Experiments;

/// <summary>The run verb, local worker processes and moved results folders.</summary>
public class ScaleOutTests
{
    public ScaleOutTests() => TestSupport.Init();

    static Dictionary<string, string> Fingerprints(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}locks{Path.DirectorySeparatorChar}"))
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))) + File.GetLastWriteTimeUtc(f).Ticks);

    static Dictionary<string, double> FinalLosses(string dir) =>
        Directory.GetFiles(Path.Combine(dir, "runs"), "summary.json", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetFileName(Path.GetDirectoryName(f))!, f => Files.ReadJson<RunSummary>(f).FinalValLoss);

    static void CopyTree(string from, string to)
    {
        foreach (var d in Directory.GetDirectories(from, "*", SearchOption.AllDirectories)) Directory.CreateDirectory(d.Replace(from, to));
        foreach (var f in Directory.GetFiles(from, "*", SearchOption.AllDirectories)) File.Copy(f, f.Replace(from, to));
    }

    [Fact]
    [Outer(OuterReason.Process)]
    [Outer(OuterReason.Slow)]
    public void WorkersGiveTheSameLossesAsTheSerialRunnerAtEqualThreads()
    {
        using var dir = TestSupport.Temp();
        var serial = SweepRunner.Run(SweepPresets.Get("smoke"), dir["serial"], new SweepOptions { Workers = 1, ThreadsPerRun = 1 });
        var parallel = SweepRunner.Run(SweepPresets.Get("smoke"), dir["parallel"], new SweepOptions { Workers = 2, ThreadsPerRun = 1, Cli = WorkerCommand.Locate() });
        Assert.Equal((7, 0), (serial.Trained, serial.Failed));
        Assert.Equal((7, 0), (parallel.Trained, parallel.Failed));
        Assert.Equal(FinalLosses(dir["serial"]), FinalLosses(dir["parallel"])); // bit for bit: same specs, same threads
        foreach (var summary in Directory.GetFiles(dir["parallel"], "summary.json", SearchOption.AllDirectories))
            Assert.Equal(1, Files.ReadJson<RunSummary>(summary).Threads);
        var provenance = Files.ReadJson<Provenance>(Path.Combine(dir["parallel"], "provenance.json"));
        Assert.Equal((2, 1), (provenance.Workers, provenance.Threads));
        // A study keeps one thread count.
        var e = Assert.Throws<ArgumentException>(() => SweepRunner.Run(SweepPresets.Get("smoke"), dir["parallel"], new SweepOptions { ThreadsPerRun = 2 }));
        Assert.Contains("trains every run with 1 thread(s)", e.Message);
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void AFailedBaseMarksItsDependentsFailedUnderWorkers()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        var warm = sweep.Ordered().First(s => s.IsWarm);
        var broken = warm with { Base = warm.Base! with { Data = new CorpusData { Source = dir["no-such-corpus.txt"] } } };
        var outcome = SweepRunner.Run(sweep with { Runs = [broken] }, dir["results"], new SweepOptions { Workers = 2, ThreadsPerRun = 1, Cli = WorkerCommand.Locate() });
        Assert.Equal(2, outcome.Failed);
        var store = new ResultStore(dir["results"]);
        Assert.Contains("no-such-corpus.txt", store.Failure(broken.Base!.Id)!.Error);                 // the base's own error
        Assert.Equal($"base run {broken.Base!.Id} failed: {store.Failure(broken.Base.Id)!.Error}", store.Failure(broken.Id)!.Error);
        Assert.False(Directory.Exists(store.RunDir(broken.Id)));                                      // never started
    }

    [Fact]
    [Outer(OuterReason.Slow)]
    public void ACopiedSweepFolderResumesAndReports()
    {
        using var dir = TestSupport.Temp();
        using var cancel = new CancellationTokenSource();
        int finished = 0;
        var progress = new SynchronousProgress<SweepProgress>(p => { if (p.Event == "finished" && ++finished == 4) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() =>
            SweepRunner.Run(SweepPresets.Get("smoke"), dir["original"], new SweepOptions { Progress = progress, Cancel = cancel.Token }));
        CopyTree(dir["original"], dir["copy"]);
        Directory.Delete(dir["original"], true);                 // nothing may point back to the old place
        var rest = SweepRunner.Run(SweepPresets.Get("smoke"), dir["copy"]);
        Assert.Equal((4, 3, 0), (rest.Skipped, rest.Trained, rest.Failed));
        var written = Report.Write(dir["copy"], charts: false);
        Assert.Contains(Path.Combine(new ResultStore(dir["copy"]).Root, "analysis", "speedup.csv"), written.Files);
        foreach (var file in Directory.GetFiles(dir["copy"], "*.json", SearchOption.AllDirectories))
            Assert.DoesNotContain(dir["original"], File.ReadAllText(file));
    }

    /// <summary>
    /// A study staged on one machine and carried on on another: the warm run's growth report travelled, its grown
    /// weights did not. The run grows its base again and ends where the uninterrupted run ended, bit for bit.
    /// </summary>
    [Fact]
    [Outer(OuterReason.Slow)]
    public void AWarmRunWhoseGrownWeightsStayedBehindGrowsItsBaseAgain()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        var warm = sweep.Ordered().First(s => s.IsWarm);
        var first = SweepRunner.Run(sweep with { Runs = [warm] }, dir.Path);
        Assert.Equal((2, 0), (first.Trained, first.Failed));
        var store = new ResultStore(dir.Path);
        double before = store.Summary(warm.Id)!.FinalValLoss;
        var reportFile = Path.Combine(store.GrownDir(warm.Id), GrownCheckpoint.ReportFile);
        string? grownHash = Files.ReadJson<GrowthReport>(reportFile).WeightsSha256;
        Directory.Delete(store.RunDir(warm.Id), true);                                      // not finished here
        File.Delete(Path.Combine(store.GrownDir(warm.Id), GrownCheckpoint.WeightsFile));    // the report came, the weights did not
        var again = SweepRunner.Run(sweep with { Runs = [warm] }, dir.Path);
        Assert.Equal((1, 1, 0), (again.Skipped, again.Trained, again.Failed));
        Assert.Equal(before, store.Summary(warm.Id)!.FinalValLoss);
        Assert.NotNull(grownHash);
        Assert.Equal(grownHash, Files.ReadJson<GrowthReport>(reportFile).WeightsSha256);    // the same weights, grown again
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void RunOnAFinishedSpecChangesNothing()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        var scratch = sweep.Ordered().First(s => !s.IsWarm);
        // Both runs go through the CLI, as workers and Slurm jobs call it, so nothing the test process did earlier
        // (another test's state) can decide whether the first one finishes.
        SweepRunner.Prepare(sweep with { Runs = [scratch] }, dir.Path, 1, null);
        var plan = new ResultStore(dir.Path).PlanFile(scratch.Id);
        var first = CliRunner.Run("run", plan);
        Assert.True(first.ExitCode == 0 && new ResultStore(dir.Path).Summary(scratch.Id) is not null, $"the first run did not finish:\n{first.Output}");
        var before = Fingerprints(dir.Path);
        var again = CliRunner.Run("run", plan);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains($"{scratch.Id}: finished earlier; nothing to do", again.Output);
        Assert.Equal(before, Fingerprints(dir.Path));
    }

    [Fact]
    [Outer(OuterReason.Process)]
    public void RunRefusesAWarmSpecWhoseBaseHasNotFinished()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        SweepRunner.Prepare(sweep, dir.Path, 1, null);
        var warm = sweep.Ordered().First(s => s.IsWarm);
        var result = CliRunner.Run("run", new ResultStore(dir.Path).PlanFile(warm.Id));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: cannot train {warm.Id}: base run {warm.Base!.Id} has not finished in", result.Output);
        Assert.False(Directory.Exists(new ResultStore(dir.Path).RunDir(warm.Id)));
    }

    [Fact]
    public void SlurmDryRunWritesThePlanAndOneScriptPerLevel()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        var submission = SlurmBackend.Submit(sweep, dir.Path, new SlurmOptions { DryRun = true, Partition = "debug", Time = "00:10:00", MaxConcurrent = 2, Cli = WorkerCommand.Locate() })!;
        var folder = Path.Combine(dir.Path, "slurm", submission.Name);
        Assert.Equal(7, Directory.GetFiles(Path.Combine(dir.Path, "plan")).Length);
        Assert.Equal(["level0.sbatch", "level1.sbatch", "report.sbatch"], Directory.GetFiles(folder, "*.sbatch").Select(Path.GetFileName).Order());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "level0.list")).Length);   // the scratch target and two bases
        Assert.Equal(4, File.ReadAllLines(Path.Combine(folder, "level1.list")).Length);   // SZP and fp from each base
        var submit = File.ReadAllText(Path.Combine(folder, "submit.sh"));
        Assert.Contains("--array=0,1,2%2 level0.sbatch", submit);
        Assert.Equal(2, submit.Split('\n').Count(l => l.Contains("--dependency=afterok:${J0}_"))); // each warm pair waits for its own base
        Assert.Contains("--dependency=afterany:${J0}:${J1}:${J2} report.sbatch", submit);
        var level0 = File.ReadAllText(Path.Combine(folder, "level0.sbatch"));
        Assert.Contains("#SBATCH --partition=debug", level0);
        Assert.Contains("#SBATCH --time=00:10:00", level0);
        Assert.Contains(" run ", level0);
        Assert.Contains("report --results", File.ReadAllText(Path.Combine(folder, "report.sbatch")));
        Assert.True(submission.DryRun);
    }
}
