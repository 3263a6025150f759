using Warmstart.Runtime;
using Warmstart.Training;
namespace Warmstart.Tests.Cli;

/// <summary>Bad input through the CLI: exit code 2, one line naming the value and what is allowed, nothing written.</summary>
[Outer(OuterReason.Process)]
public class TrainCliTests
{
    static void AssertRejected(string[] args, string expected, string? outDir)
    {
        var result = CliRunner.Run(args);
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}: {result.Output}");
        Assert.Contains(expected, result.Output);
        Assert.DoesNotContain("   at ", result.Output); // no stack trace
        if (outDir is not null) Assert.False(Directory.Exists(outDir), "a rejected run left its output folder behind");
    }

    [Fact]
    public void BadTrainArgumentsAreRejectedWithoutWritingAnything()
    {
        using var dir = TestSupport.Temp();
        var o = dir["run"];
        AssertRejected(["train", "--preset", "giant", "--out", o], "unknown preset 'giant': allowed are smoke, quick, paper", o);
        AssertRejected(["train", "--heads", "4", "--head-size", "16", "--width", "60", "--out", o], "--width 60 does not match heads × head size = 4 × 16 = 64", o);
        AssertRejected(["train", "--layers", "0", "--out", o], "Layers must be a positive whole number, got 0", o);
        AssertRejected(["train", "--heads", "-2", "--out", o], "Heads must be a positive whole number, got -2", o);
        AssertRejected(["train", "--tokenizer", "wordpiece", "--out", o], "unknown tokenizer 'wordpiece'", o);
        AssertRejected(["train", "--data", dir["missing.txt"], "--out", o], "missing.txt' not found", o);
        File.WriteAllText(dir["empty.txt"], "");
        AssertRejected(["train", "--data", dir["empty.txt"], "--out", o], "is empty", o);
        File.WriteAllText(dir["short.txt"], "a few words\nand a second line\n");
        AssertRejected(["train", "--data", dir["short.txt"], "--out", o], "is longer than the data", o);
        AssertRejected(["train", "--device", "cuda", "--out", o], "CUDA is not available here", o);
        AssertRejected(["train", "--tpp", "-1", "--out", o], "must be positive, got -1", o);
        AssertRejected(["train", "--schedule", "linear", "--out", o], "unknown value 'linear': allowed are wsd, cosine, constant", o);
    }

    [Fact]
    public void ResumeNeedsAReadableCheckpointOfTheSameRun()
    {
        using var dir = TestSupport.Temp();
        var o = dir["run"];
        AssertRejected(["train", "--resume", "--out", o], "nothing to resume", null);

        var ok = CliRunner.Run("train", "--tokens", "20000", "--eval-every", "5", "--eval-batches", "1", "--out", o);
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("done:", ok.Output);

        // Same folder, different run.
        AssertRejected(["train", "--tokens", "20000", "--lr", "0.001", "--out", o], "holds a different run", null);
        // The same run again (with or without --resume): finished, so nothing is rewritten.
        var summaryPath = Path.Combine(o, "summary.json");
        var summaryBefore = File.ReadAllText(summaryPath);
        foreach (var again in new[] { CliRunner.Run("train", "--tokens", "20000", "--eval-every", "5", "--eval-batches", "1", "--out", o),
                                      CliRunner.Run("train", "--tokens", "20000", "--eval-every", "5", "--eval-batches", "1", "--resume", "--out", o) })
        {
            Assert.Equal(0, again.ExitCode);
            Assert.Contains("this run finished earlier", again.Output);
        }
        Assert.Equal(summaryBefore, File.ReadAllText(summaryPath));
        // Killed after a checkpoint (no summary yet), with the checkpoint truncated: resume refuses.
        File.Delete(summaryPath);
        var weights = Path.Combine(o, "checkpoint", "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        AssertRejected(["train", "--tokens", "20000", "--eval-every", "5", "--eval-batches", "1", "--resume", "--out", o], "truncated", null);
        // Killed before any checkpoint: the same command starts the run again and finishes it.
        Directory.Delete(Path.Combine(o, "checkpoint"), true);
        var restarted = CliRunner.Run("train", "--tokens", "20000", "--eval-every", "5", "--eval-batches", "1", "--out", o);
        Assert.Equal(0, restarted.ExitCode);
        Assert.Contains("done:", restarted.Output);
        Assert.Equal(Files.ReadJson<RunSummary>(summaryPath).FinalValLoss,
            System.Text.Json.JsonSerializer.Deserialize<RunSummary>(summaryBefore, Files.Json)!.FinalValLoss); // bit for bit
        // A non-empty folder that holds no run.
        Directory.CreateDirectory(dir["other"]);
        File.WriteAllText(dir["other/notes.txt"], "mine");
        AssertRejected(["train", "--out", dir["other"]], "is not empty and holds no run", null);
    }
}
