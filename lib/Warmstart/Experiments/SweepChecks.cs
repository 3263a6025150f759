using Warmstart.Runtime;

namespace Warmstart.Experiments;

public static partial class SweepRunner
{
    /// <summary>
    /// The options and the results folder, checked before the first file or run: a bad value fails once with one line,
    /// not once per run. Run calls it; the CLI calls it before printing anything.
    /// </summary>
    public static void CheckBeforeStart(Sweep sweep, string dir, string? device, int threadsPerRun)
    {
        if (device is not null) TorchRuntime.ValidateDevice(device);
        if (threadsPerRun <= 0) throw new ArgumentException($"threads per run must be a positive count, got {threadsPerRun}");
        var full = OutputPath.Check(dir);
        var index = Path.Combine(full, ResultStore.IndexFile);
        if (Directory.Exists(full) && !File.Exists(index) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new ArgumentException($"results folder '{dir}' is not empty and holds no sweep ({ResultStore.IndexFile}): choose an empty or new folder");
        if (!File.Exists(index)) return;
        var existing = Files.ReadJson<SweepIndex>(index);
        if (existing.Preset != sweep.Preset)
            throw new ArgumentException($"results folder '{dir}' holds preset '{existing.Preset}', not '{sweep.Preset}': use another --out for a different preset");
        if (existing.ThreadsPerRun is { } t && t != threadsPerRun)
            throw new ArgumentException(
                $"results folder '{dir}' trains every run with {t} thread(s) (sweep.json), not {threadsPerRun}: " +
                $"pass --threads-per-run {t}, or use another --out (a study keeps one thread count)");
    }
}
