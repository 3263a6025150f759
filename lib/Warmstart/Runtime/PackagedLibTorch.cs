using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Warmstart.Runtime;

/// <summary>
/// Makes TorchSharp use the libtorch this library was built against, even beside a system PyTorch. TorchSharp's first
/// loading step asks the dynamic loader for "libtorch_cpu" by name; in a notebook kernel (where TorchSharp.dll comes
/// straight from the NuGet cache, with no app folder of natives beside it) that finds whatever libtorch_cpu.so is on
/// the loader's path — Debian's libtorch-dev puts 1.13 there — and libLibTorchSharp.so, built for 2.10, then fails to
/// load. Loading the packaged libtorch by full path first settles it: glibc matches a later request by name against
/// the soname of a library already loaded, so every later "libtorch_cpu.so" is the packaged one.
/// </summary>
public static class PackagedLibTorch
{
    const string Cpu = "libtorch_cpu.so", Torch = "libtorch.so", PackageId = "libtorch-cpu-linux-x64";

    /// <summary>The libtorch version the build referenced (assembly metadata from Directory.Packages.props).</summary>
    public static string Version => typeof(PackagedLibTorch).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "LibTorchVersion")?.Value ?? "unknown";

    /// <summary>The folder the packaged libtorch was loaded from (null before <see cref="Preload"/>, or where none was found).</summary>
    public static string? LoadedFrom { get; private set; }

    /// <summary>
    /// Where the packaged natives are, most specific first: beside TorchSharp.dll (an app's output), the app's
    /// runtimes folder, TorchSharp's consolidated cpu/ folder, then the NuGet package itself.
    /// </summary>
    public static IEnumerable<string> CandidateFolders()
    {
        var torchsharp = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "";
        yield return torchsharp;
        yield return Path.Combine(torchsharp, "runtimes", "linux-x64", "native");
        yield return Path.Combine(torchsharp, "cpu");
        // TorchSharp.dll in a package cache sits at <packages>/torchsharp/<version>/lib/<tfm>/.
        var roots = new[]
        {
            Path.GetFullPath(Path.Combine(torchsharp, "..", "..", "..", "..")),
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? "",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        foreach (var root in roots.Where(r => r.Length > 0).Distinct())
            yield return Path.Combine(root, PackageId, Version, "runtimes", "linux-x64", "native");
    }

    /// <summary>
    /// Loads the packaged libtorch_cpu.so and libtorch.so by full path (Linux, CPU build; once). Returns the folder, or
    /// null where no packaged copy exists (TorchSharp then loads as it would have).
    /// </summary>
    public static string? Preload()
    {
        if (LoadedFrom is not null || !OperatingSystem.IsLinux() || TorchRuntime.IsCudaBuild) return LoadedFrom;
        var folder = CandidateFolders().FirstOrDefault(f => File.Exists(Path.Combine(f, Cpu)));
        if (folder is null) return null;
        NativeLibrary.Load(Path.Combine(folder, Cpu)); // pulls its libc10.so and libgomp from the same folder ($ORIGIN)
        if (File.Exists(Path.Combine(folder, Torch))) NativeLibrary.Load(Path.Combine(folder, Torch));
        return LoadedFrom = folder;
    }

    /// <summary>
    /// Copies of libtorch_cpu.so the dynamic loader could find by name — LD_LIBRARY_PATH's folders and the default ones —
    /// that are not the packaged copy: a system PyTorch's, typically.
    /// </summary>
    public static IReadOnlyList<string> SystemCopies()
    {
        var folders = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/lib", "/usr/lib", "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/usr/local/lib"]);
        return folders.Select(f => Path.Combine(f, Cpu)).Where(File.Exists)
            .Where(p => LoadedFrom is null || Path.GetFullPath(p) != Path.GetFullPath(Path.Combine(LoadedFrom, Cpu)))
            .Distinct().ToList();
    }

    /// <summary>What to tell a user whose TorchSharp failed to load: both libraries, and what to do.</summary>
    public static string Explain(Exception failure, string? packagedFolder, IReadOnlyList<string> systemCopies)
    {
        var packaged = packagedFolder is null
            ? $"no packaged libtorch {Version} was found (looked in: {string.Join(", ", CandidateFolders())}): build first (dotnet build -c Release), " +
              $"or in a notebook reference it: #r \"nuget: {PackageId}, {Version}\""
            : $"the packaged libtorch {Version} is {Path.Combine(packagedFolder, Cpu)}";
        var system = systemCopies.Count == 0
            ? "no other libtorch_cpu.so is on the loader's path"
            : $"another libtorch_cpu.so is on the loader's path ({string.Join(", ", systemCopies)}; a system PyTorch such as Debian's libtorch-dev), " +
              "and TorchSharp needs the packaged one: start the kernel or app without that folder in LD_LIBRARY_PATH, or remove the package's " +
              "unversioned libtorch*.so links";
        return $"TorchSharp could not load ({failure.GetType().Name}: {FirstLine(failure)}): {packaged}; {system}.";
    }

    static string FirstLine(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null) inner = inner.InnerException;
        return inner.Message.Split('\n')[0].Trim();
    }
}
