namespace Warmstart.Tests.Faults;

/// <summary>
/// Parse errors are one line naming the option, the value and the allowed form; a full help text would bury the one
/// line that matters.
/// </summary>
[Outer(OuterReason.Process)]
public class ParseErrorTests
{
    [Theory]
    [InlineData("--lr: 'abc' is not a number (e.g. 0.01 or 1e-3)", "train", "--out", "o", "--lr", "abc")]
    [InlineData("--tokens: '2.5' is not a whole number (e.g. 20000 or 2e7)", "train", "--out", "o", "--tokens", "2.5")]
    [InlineData("--threads: 'x' is not a whole number from -2147483648 to 2147483647", "train", "--out", "o", "--threads", "x")]
    [InlineData("--heads: '99999999999' is not a whole number from -2147483648 to 2147483647", "train", "--out", "o", "--heads", "99999999999")]
    [InlineData("--lr needs a number (e.g. 0.01 or 1e-3)", "train", "--out", "o", "--lr")]
    [InlineData("--steps: 'abc' is not a whole number from -2147483648 to 2147483647", "bench", "--steps", "abc")]
    [InlineData("--seeds: 'two' is not a whole number from -2147483648 to 2147483647", "sweep", "--preset", "smoke", "--out", "s", "--seeds", "two")]
    [InlineData("train: --out is required (run folder (spec.json, curve.csv, summary.json, checkpoint/))", "train")]
    [InlineData("train: unknown option or argument '--frobnicate' (see train --help)", "train", "--out", "o", "--frobnicate")]
    [InlineData("unknown verb 'frob': allowed are train, bench, data, grow, sweep, run, report, notebooks", "frob")]
    [InlineData("data: no subcommand given: allowed are brown", "data")]
    public void ParseErrorsAreOneLine(string expected, params string[] args)
    {
        using var dir = TestSupport.Temp();
        for (int i = 0; i < args.Length; i++) if (args[i] is "o" or "s") args[i] = dir[args[i]];
        Assert.Equal($"error: {expected}", Refusal.Check(dir, args));
    }

    [Fact]
    public void NegativeValuesReachValidation()
    {
        using var dir = TestSupport.Temp();
        Assert.Equal("error: threads must be ≥ 0 (0 = default), got -1", Refusal.Check(dir, "train", "--out", dir["o"], "--threads", "-1"));
        Assert.Equal("error: threads per run must be a positive count, got -1", Refusal.Check(dir, "sweep", "--preset", "smoke", "--out", dir["s"], "--threads-per-run", "-1"));
        Assert.Equal("error: --workers must be a positive count, got -1", Refusal.Check(dir, "sweep", "--preset", "smoke", "--out", dir["s"], "--workers", "-1"));
        Assert.Equal("error: --threads must be ≥ 0 (0 = one per core), got -1", Refusal.Check(dir, "bench", "--threads", "-1"));
    }
}
