using Warmstart.Runtime;

namespace Warmstart.Experiments;

public static partial class SweepRunner
{
    /// <summary>
    /// The options and the results folder, checked before the first file or run: a bad value fails once with one line,
    /// not once per run. Run calls it; the CLI calls it before printing anything.
    /// </summary>
    public static void CheckBeforeStart(Sweep sweep, string dir, SweepOptions options)
    {
        if (options.Device is { } device) TorchRuntime.ValidateDevice(device);
        if (options.Threads is < 0) throw new ArgumentException($"threads must be ≥ 0 (0 = one per core), got {options.Threads}");
        var full = OutputPath.Check(dir);
        var index = Path.Combine(full, ResultStore.IndexFile);
        if (Directory.Exists(full) && !File.Exists(index) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new ArgumentException($"results folder '{dir}' is not empty and holds no sweep ({ResultStore.IndexFile}): choose an empty or new folder");
        if (File.Exists(index) && Files.ReadJson<SweepIndex>(index).Preset is var preset && preset != sweep.Preset)
            throw new ArgumentException($"results folder '{dir}' holds preset '{preset}', not '{sweep.Preset}': use another --out for a different preset");
    }
}
