namespace Warmstart.Tests.Cli;

/// <summary>Runs the real CLI (the Warmstart.Cli.dll copied beside the tests) as a user would, capturing its output.</summary>
static class CliRunner
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(params string[] args) =>
        RunProgram("dotnet", [Path.Combine(AppContext.BaseDirectory, "Warmstart.Cli.dll"), .. args]);

    /// <summary>Runs <paramref name="program"/> with two threads for libtorch, capturing stdout and stderr; five minutes at most.</summary>
    public static Result RunProgram(string program, params string[] args)
    {
        var run = TestProcess.Run(program, args, TimeSpan.FromMinutes(5), environment: new Dictionary<string, string?> { ["OMP_NUM_THREADS"] = "2" });
        return new Result(run.ExitCode, run.Output);
    }
}
