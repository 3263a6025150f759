using System.Diagnostics;

namespace Warmstart.Tests.Notebooks;

/// <summary>No process the library starts outlives the one that started it (here: the notebook apps' chromium).</summary>
[Outer(OuterReason.Process)]
[Outer(OuterReason.Browser)]
public class ProcessLifetimeTests
{
    /// <summary>
    /// An app that stops on an error — notebook 03 at the smoke scale, whose results are not committed — exits with 2,
    /// its output pipe closes (a caller reading it does not wait on a leftover chromium), and no process it started is
    /// left: every process that carries the app's environment (a tag set for this test alone) is gone.
    /// </summary>
    [ChromiumFact]
    public void AnAppThatStopsOnAnErrorLeavesNoChromiumAndClosesItsOutput()
    {
        string tag = Guid.NewGuid().ToString("N");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = NotebookRunner.RepoRoot };
        foreach (var a in new[] { "run", "--no-cache", Path.Combine("notebooks", "03-growth-factor.cs"), "--", "--scale", "smoke" }) info.ArgumentList.Add(a);
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(v => v.StartsWith("WARMSTART_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        info.Environment["WARMSTART_LIFETIME_TAG"] = tag;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var app = Process.Start(info)!;
        var stdout = app.StandardOutput.ReadToEndAsync();
        var stderr = app.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(app.WaitForExit(TimeSpan.FromMinutes(8)), "the app did not stop within 8 minutes");
            // The pipe closes once every process holding its write end has ended: the app's and any child it left.
            Assert.True(Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(30)), "the app exited but its output pipe stayed open: a child process still holds it");
            Assert.Equal(2, app.ExitCode);
            Assert.Contains("error:", stderr.Result);
            Thread.Sleep(TimeSpan.FromSeconds(2));
            Assert.Empty(ProcessesTagged(tag));
        }
        finally
        {
            foreach (var pid in ProcessesTagged(tag)) try { Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (ArgumentException) { }
        }
    }

    /// <summary>Every live process whose environment carries WARMSTART_LIFETIME_TAG=<paramref name="tag"/>, with its command line.</summary>
    static List<int> ProcessesTagged(string tag)
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains($"WARMSTART_LIFETIME_TAG={tag}")) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // gone, or not ours to read
        }
        return found;
    }
}
