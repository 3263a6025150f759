using System.Diagnostics;

namespace Warmstart.Tests.Cli;

/// <summary>Runs the real CLI (the Warmstart.Cli.dll copied beside the tests) as a user would, capturing its output.</summary>
static class CliRunner
{
    public sealed record Result(int ExitCode, string Output);

    public static Result Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Warmstart.Cli.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["OMP_NUM_THREADS"] = "2";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"CLI did not finish: {string.Join(' ', args)}");
        }
        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }
}
