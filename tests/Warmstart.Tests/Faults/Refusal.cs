using Warmstart.Tests.Cli;

namespace Warmstart.Tests.Faults;

/// <summary>What every refused input must look like: exit 2, one line "error: …" naming the value, nothing left behind.</summary>
static class Refusal
{
    /// <summary>Runs the CLI in <paramref name="dir"/>'s terms and checks the one-line refusal; returns the line.</summary>
    public static string Check(TempFolder dir, params string[] args) => CheckNaming(dir, args, []);

    public static string CheckNaming(TempFolder dir, string[] args, params string[] fragments)
    {
        var before = Listing(dir.Path);
        var result = CliRunner.Run(args);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}: {result.Output}");
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}: {result.Output}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain("   at ", result.Output);
        foreach (var f in fragments) Assert.Contains(f, lines[0]);
        Assert.Equal(before, Listing(dir.Path)); // nothing created, changed or removed
        return lines[0];
    }

    /// <summary>Every file with its size and write time, and every folder (by name).</summary>
    public static List<string> Listing(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(p => File.Exists(p) ? $"{p} {new FileInfo(p).Length} {File.GetLastWriteTimeUtc(p).Ticks}" : p + "/")
            .Order(StringComparer.Ordinal).ToList();
}
