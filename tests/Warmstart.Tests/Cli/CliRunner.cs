using System.Diagnostics;

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
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["OMP_NUM_THREADS"] = "2";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish: {string.Join(' ', args)}");
        }
        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }
}
