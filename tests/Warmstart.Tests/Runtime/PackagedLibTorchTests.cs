using Warmstart.Tests.Notebooks;
using Warmstart.Runtime;

namespace Warmstart.Tests.Runtime;

/// <summary>TorchSharp loads the libtorch the build referenced, whatever else is on the loader's path.</summary>
public class PackagedLibTorchTests
{
    public PackagedLibTorchTests() => TestSupport.Init();

    [Fact]
    public void TheVersionLookedForIsTheOneTheBuildReferences()
    {
        var props = File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "Directory.Packages.props"));
        Assert.Contains($"<LibTorchVersion>{PackagedLibTorch.Version}</LibTorchVersion>", props);
        Assert.Contains(PackagedLibTorch.CandidateFolders(), f => f.Contains(Path.Combine("libtorch-cpu-linux-x64", PackagedLibTorch.Version)));
    }

    [Fact]
    public void TheProcessMapsOnlyThePackagedLibTorch()
    {
        if (!OperatingSystem.IsLinux()) return; // the loader trouble and its fix are Linux's
        Assert.NotNull(PackagedLibTorch.LoadedFrom);
        var packaged = Path.GetFullPath(Path.Combine(PackagedLibTorch.LoadedFrom!, "libtorch_cpu.so"));
        var mapped = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && Path.GetFileName(f[5]).StartsWith("libtorch_cpu.so", StringComparison.Ordinal))
            .Select(f => f[5]).Distinct().ToList();
        Assert.Equal([packaged], mapped);
    }

    [Fact]
    public void AFailedLoadNamesBothLibrariesAndWhatToDo()
    {
        var failure = new TypeInitializationException("TorchSharp.torch", new DllNotFoundException("libLibTorchSharp.so: undefined symbol: _ZN3c10"));
        var text = PackagedLibTorch.Explain(failure, "/opt/pkgs/libtorch/native", ["/usr/lib/x86_64-linux-gnu/libtorch_cpu.so"]);
        Assert.Contains("/opt/pkgs/libtorch/native/libtorch_cpu.so", text);
        Assert.Contains("/usr/lib/x86_64-linux-gnu/libtorch_cpu.so", text);
        Assert.Contains("LD_LIBRARY_PATH", text);
        Assert.Contains("undefined symbol", text); // the loader's own words, not only ours
        var none = PackagedLibTorch.Explain(failure, null, []);
        Assert.Contains("dotnet build -c Release", none);
        Assert.Contains($"#r \"nuget: libtorch-cpu-linux-x64, {PackagedLibTorch.Version}\"", none);
    }

    [Fact]
    public void ACopyOnLdLibraryPathIsFound()
    {
        using var folder = TestSupport.Temp();
        File.WriteAllText(folder["libtorch_cpu.so"], "not a library");
        using var _ = TestSupport.Environment("LD_LIBRARY_PATH", $"/nonexistent:{folder.Path}");
        Assert.Contains(Path.Combine(folder.Path, "libtorch_cpu.so"), PackagedLibTorch.SystemCopies());
    }
}

/// <summary>
/// A notebook kernel that trains beside a real system PyTorch (Debian's libtorch-dev puts libtorch_cpu.so 1.13 on the
/// loader's default path; .ci/run installs it as root): skipped with "skipped: …" where no such copy is installed.
/// </summary>
[Outer(OuterReason.Process)]
[Outer(OuterReason.Slow)]
public class SystemLibTorchTests
{
    [SystemLibTorchFact]
    public void TheTourNotebookTrainsInAKernel()
    {
        // The tour's kernel run at its smoke scale: the same run as NotebookTests', made once per test process.
        var result = NotebookTests.OnCommittedResults("00-tour.ipynb");
        var failed = result.Cells.Where(c => c.Errors.Count > 0).ToList();
        Assert.True(result.Cells.Count > 0 && failed.Count == 0 && result.ExitCode == 0,
            $"beside {string.Join(", ", PackagedLibTorch.SystemCopies())}: " +
            string.Join("\n", failed.Select(c => $"cell {c.Index}: {string.Join("; ", c.Errors)}")) + $"\n{result.Log[^Math.Min(2000, result.Log.Length)..]}");
    }
}

/// <summary>Skipped with "skipped: no system libtorch …" unless a libtorch_cpu.so other than the packaged one is on the loader's path.</summary>
public sealed class SystemLibTorchFactAttribute : FactAttribute
{
    public SystemLibTorchFactAttribute()
    {
        TestSupport.Init();
        if (PackagedLibTorch.SystemCopies().Count == 0)
            Skip = "skipped: no system libtorch on the loader's path (apt-get install libtorch-dev; .ci/run installs it)";
    }
}
