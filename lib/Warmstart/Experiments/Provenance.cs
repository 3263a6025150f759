using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Warmstart.Experiments;

/// <summary>Where and how a set of results was produced (provenance.json beside them).</summary>
public sealed record Provenance(
    string Preset, string Commit, DateTimeOffset Date, string Machine, string Os, string Cpu, int Cores, int Threads,
    string Dotnet, string TorchSharp, double WallSeconds, double RunSeconds, int Runs, string Command, int Workers = 1)
{
    /// <param name="threads">CPU threads of every run</param>
    /// <param name="workers">runs trained at once (separate processes when more than one)</param>
    public static Provenance Capture(string preset, double wallSeconds, double runSeconds, int runs, int workers, int threads) => new(
        preset, GitCommit(), DateTimeOffset.UtcNow, Environment.MachineName, RuntimeInformation.OSDescription, CpuName(),
        Environment.ProcessorCount, threads, RuntimeInformation.FrameworkDescription,
        typeof(global::TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?", wallSeconds, runSeconds, runs,
        string.Join(' ', Environment.GetCommandLineArgs().Skip(1)), workers);

    static string GitCommit()
    {
        try
        {
            var info = new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(info)!;
            var sha = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            var dirty = new ProcessStartInfo("git", "status --porcelain --untracked-files=no") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var d = Process.Start(dirty)!;
            bool isDirty = d.StandardOutput.ReadToEnd().Trim().Length > 0;
            d.WaitForExit(5000);
            return p.ExitCode == 0 && sha.Length > 0 ? sha + (isDirty ? "+uncommitted" : "") : "unknown";
        }
        catch (Exception) { return "unknown"; }
    }

    static string CpuName()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo)) return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
