using Xunit.Abstractions;
using System.Diagnostics;
using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Runtime;
using Warmstart.Tests.Cli;
using Warmstart.Training;

namespace Warmstart.Tests.Experiments;

/// <summary>
/// Sweeps on a real Slurm cluster (one node, started by build/slurm/start-cluster.sh; .ci/run starts it). Skipped
/// with "skipped: no Slurm cluster" where sinfo does not answer.
/// </summary>
[Outer(OuterReason.Slurm)]
public class SlurmTests
{
    readonly ITestOutputHelper output;
    public SlurmTests(ITestOutputHelper output) { TestSupport.Init(); this.output = output; }

    /// <summary>Waits until none of <paramref name="jobIds"/> is queued or running (bounded).</summary>
    void WaitFor(IEnumerable<string> jobIds, TimeSpan limit)
    {
        var ids = jobIds.ToList();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var live = SlurmBackend.LiveTasks().Keys.Select(k => k.Split('_')[0]).ToHashSet();
            if (!ids.Any(live.Contains)) { output.WriteLine($"jobs {string.Join(",", ids)} done after {clock.Elapsed.TotalSeconds:F0} s"); return; }
            Thread.Sleep(1000);
        }
        throw new TimeoutException($"Slurm jobs {string.Join(",", ids)} still queued after {limit}");
    }

    static Dictionary<string, double> FinalLosses(string dir) =>
        Directory.GetFiles(Path.Combine(dir, "runs"), "summary.json", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetFileName(Path.GetDirectoryName(f))!, f => Files.ReadJson<RunSummary>(f).FinalValLoss);

    [SlurmFact]
    public void ASmokeSweepOnSlurmMatchesTheLocalRunAndResubmitsNothing()
    {
        using var dir = TestSupport.Temp();
        var clock = Stopwatch.StartNew();
        var submit = CliRunner.Run("sweep", "--preset", "smoke", "--backend", "slurm", "--out", dir["slurm"]);
        output.WriteLine(submit.Output);
        Assert.Equal(0, submit.ExitCode);
        Assert.Contains("submitted 7 runs of smoke as 4 jobs", submit.Output);
        var submission = Files.ReadJson<SlurmSubmission>(Path.Combine(dir["slurm"], "slurm", "001", "submission.json"));
        WaitFor(submission.Jobs.Select(j => j.JobId!), TimeSpan.FromMinutes(6));
        output.WriteLine($"slurm: smoke sweep of 7 runs in {clock.Elapsed.TotalSeconds:F0} s (jobs {string.Join(",", submission.Jobs.Select(j => j.JobId))})");

        var store = new ResultStore(dir["slurm"]);
        Assert.All(store.ReadIndex()!.Runs, id => Assert.Equal(RunState.Finished, store.State(id)));
        Assert.True(File.Exists(Path.Combine(dir["slurm"], "analysis", "speedup.csv")), "the report job wrote the analyses");

        var local = SweepRunner.Run(SweepPresets.Get("smoke"), dir["local"], new SweepOptions { ThreadsPerRun = 1 });
        Assert.Equal(0, local.Failed);
        Assert.Equal(FinalLosses(dir["local"]), FinalLosses(dir["slurm"])); // same specs, same threads: same numbers

        var again = CliRunner.Run("sweep", "--preset", "smoke", "--backend", "slurm", "--out", dir["slurm"]);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to submit", again.Output);
        Assert.False(Directory.Exists(Path.Combine(dir["slurm"], "slurm", "002")));
        var status = CliRunner.Run("sweep", "--status", dir["slurm"]);
        Assert.Contains("finished", status.Output);
        Assert.Contains("7", status.Output);
    }

    [SlurmFact]
    public void AFailedBaseIsRecordedItsDependentsFailAndTheReportStillRuns()
    {
        using var dir = TestSupport.Temp();
        var sweep = SweepPresets.Get("smoke");
        var good = sweep.Ordered().Where(s => s.IsWarm).ToList();
        var broken = good[0] with { Base = good[0].Base! with { Data = new CorpusData { Source = dir["no-such-corpus.txt"] } } };
        var brokenSibling = good[1].Base!.Id == good[0].Base!.Id ? good[1] with { Base = broken.Base } : null;
        var runs = new List<RunSpec> { broken, good[^1] };
        if (brokenSibling is not null) runs.Add(brokenSibling);
        var submission = SlurmBackend.Submit(sweep with { Runs = runs }, dir.Path, new SlurmOptions { Cli = WorkerCommand.Locate() })!;
        WaitFor(submission.Jobs.Select(j => j.JobId!), TimeSpan.FromMinutes(5));

        var store = new ResultStore(dir.Path);
        Assert.Equal(RunState.Failed, store.State(broken.Base!.Id));
        Assert.Contains("no-such-corpus.txt", store.Failure(broken.Base.Id)!.Error);       // the base's own error, recorded by its job
        Assert.Equal(RunState.Failed, store.State(broken.Id));                         // cancelled by Slurm, recorded by the report job
        Assert.StartsWith($"base run {broken.Base.Id} failed", store.Failure(broken.Id)!.Error);
        Assert.Equal(RunState.Finished, store.State(good[^1].Id));                     // a run with a good base is unaffected
        Assert.True(File.Exists(Path.Combine(dir.Path, "runs.csv")), "the report job ran after the failures");
    }
}
