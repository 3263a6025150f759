using Warmstart.Growth;
using Warmstart.Runtime;
using Warmstart.Tests.Cli;

namespace Warmstart.Tests.Faults;

/// <summary>Bad inputs give one line saying what is wrong, not a stack trace, and leave no half-written output behind.</summary>
[Outer(OuterReason.Process)]
public class OneLineErrorTests
{
    public OneLineErrorTests() => TestSupport.Init();

    [Fact]
    public void OutNamingAnExistingFileIsRefusedByTrainGrowAndSweep()
    {
        using var dir = TestSupport.Temp();
        var file = dir["taken.txt"];
        File.WriteAllText(file, "mine");
        string expected = $"--out '{file}' is a file, not a folder: choose a new or empty folder";
        Assert.Equal($"error: {expected}", Refusal.Check(dir, "train", "--tokens", "20000", "--out", file));
        Assert.Equal($"error: {expected}", Refusal.Check(dir, "sweep", "--preset", "smoke", "--out", file));
        // grow checks --out before reading the base: no base run is needed to see it
        var e = Assert.Throws<ArgumentException>(() => OutputPath.Check(file));
        Assert.Equal(expected, e.Message);
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Fact]
    public void ABinFileWithIdsBeyondTheVocabularyIsRefusedBeforeAnythingIsWritten()
    {
        using var dir = TestSupport.Temp();
        var odd = dir["odd.bin"];
        var bytes = new byte[5000];
        new Random(1).NextBytes(bytes);
        File.WriteAllBytes(odd, bytes);
        var line = Refusal.CheckNaming(dir, ["train", "--out", dir["o"], "--data", odd], odd, "but the model's vocabulary has 256 ids (0 … 255)");
        Assert.Matches("holds token id \\d+ \\(at training token", line);
        Assert.False(Directory.Exists(dir["o"])); // no spec.json or curve.csv left behind
    }

    [Fact]
    public void AHugeVocabularyIsRefusedWithTheEstimate()
    {
        using var dir = TestSupport.Temp();
        Refusal.CheckNaming(dir, ["train", "--out", dir["o"], "--vocab", "2000000000"],
            "vocabulary 2000000000", "has 256 G parameters", "holds at most 2,147,483,647");
    }

    [Fact]
    public void AnAbsurdLearningRateIsRefused()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal("error: lr must be in (0, 10000], got 1E+300", Refusal.Check(dir, "train", "--out", dir["o"], "--lr", "1e300"));
    }
}
