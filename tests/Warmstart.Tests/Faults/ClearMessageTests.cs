namespace Warmstart.Tests.Faults;

/// <summary>Error messages say what is wrong with which value, so that the user can fix the input without reading code.</summary>
[Outer(OuterReason.Process)]
public class ClearMessageTests
{
    [Fact]
    public void AnUnwritableOutSaysItCannotBeCreatedAndWhy()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal("error: --out '/proc/x' cannot be created: '/proc' does not accept new files (its file system takes no new files)",
            Refusal.Check(dir, "train", "--out", "/proc/x"));
        var file = dir["f"];
        File.WriteAllText(file, "");
        Assert.Equal($"error: --out '{file}/run' cannot be created: '{file}' is a file, not a folder", Refusal.Check(dir, "train", "--out", file + "/run"));
    }

    [Fact]
    public void AHugeBatchIsRefusedWithTheMemoryEstimateAndLeavesNothing()
    {
        using var dir = TestSupport.Temp();
        var line = Refusal.CheckNaming(dir, ["train", "--out", dir["o"], "--batch-size", "100000000"], "activations for 100000000 × 128 tokens");
        Assert.Matches(@"^error: this run needs about [\d.]+ TiB of memory", line);
        Assert.False(Directory.Exists(dir["o"]));
    }

    [Fact]
    public void BenchWidthsMustBePositiveMultiplesOfTheHeadSize()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal("error: --widths: 0 is not allowed: widths must be positive multiples of the head size 16 (e.g. 64)", Refusal.Check(dir, "bench", "--widths", "0"));
        Assert.Equal("error: --widths: 60 is not allowed: widths must be positive multiples of the head size 16 (e.g. 64)", Refusal.Check(dir, "bench", "--widths", "64", "60"));
    }

    [Fact]
    public void ReportOnAMissingFolderSaysItDoesNotExist()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal("error: results folder '/nonexistent' does not exist: give a folder that sweep wrote", Refusal.Check(dir, "report", "--results", "/nonexistent"));
    }
}
