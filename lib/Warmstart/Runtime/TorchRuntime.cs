using TorchSharp;
using Warmstart.Build;
using static TorchSharp.torch;

namespace Warmstart.Runtime;

/// <summary>Process-wide TorchSharp setup: the Debian 12 loading fix, device choice and thread count.</summary>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static bool _ready;

    /// <summary>
    /// Makes TorchSharp loadable before its static constructor first runs, then loads it. The build already patches every
    /// copy of libLibTorchSharp.so it can reach (build/TorchSharpNativeFix.targets); this covers copies the build never
    /// saw, e.g. a notebook kernel that consolidated the natives into a fresh folder (a no-op where libstdc++ has
    /// GLIBCXX_3.4.32). It then loads the packaged libtorch by full path (<see cref="PackagedLibTorch"/>), so a system
    /// PyTorch on the loader's path is never picked up; a load that still fails says which libraries it saw. Idempotent.
    /// </summary>
    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (_ready) return;
            if (OperatingSystem.IsLinux() && !ElfVersionPatch.SystemProvides("GLIBCXX_3.4.32"))
            {
                var dir = Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "";
                foreach (var candidate in new[]
                {
                    Path.Combine(dir, "libLibTorchSharp.so"),
                    Path.Combine(dir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                    Path.Combine(dir, "cpu", "libLibTorchSharp.so"),
                    Path.Combine(dir, "..", "..", "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                })
                {
                    if (!File.Exists(candidate)) continue;
                    try { ElfVersionPatch.MarkWeak(candidate, "GLIBCXX_3.4.32"); }
                    catch (UnauthorizedAccessException) { } // read-only install: the build must have patched it
                    catch (IOException) { }
                }
            }
            var packaged = PackagedLibTorch.Preload();
            if (!IsCudaBuild) // a CUDA build must initialise its CUDA backend first; CPU builds load now, to explain a failure
            {
                try { torch.TryInitializeDeviceType(DeviceType.CPU); }
                catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException or EntryPointNotFoundException)
                {
                    throw new InvalidOperationException(PackagedLibTorch.Explain(e, packaged, PackagedLibTorch.SystemCopies()), e);
                }
            }
            _ready = true;
        }
    }

    /// <summary>Resolves "auto", "cpu" or "cuda" (optionally "cuda:N") to a device; CUDA where none exists is an error.</summary>
    public static Device ResolveDevice(string spec)
    {
        ValidateDevice(spec);
        EnsureLoadable();
        var s = (spec ?? "").Trim().ToLowerInvariant();
        if (s == "cpu") return CPU;
        if (s == "auto") return cuda.is_available() ? CUDA : CPU;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new ArgumentException(
                    $"device '{spec}' was asked for, but CUDA is not available here (this build uses the " +
                    $"{(IsCudaBuild ? "CUDA" : "CPU")} libtorch; build with -p:TorchBackend=cuda on a machine with an NVIDIA driver, or use --device cpu|auto)");
            return s == "cuda" ? CUDA : new Device(s);
        }
        throw new InvalidOperationException($"unreachable: device '{spec}' passed validation");
    }

    /// <summary>
    /// Checks the spelling of a device ("auto", "cpu", "cuda", "cuda:N") without loading TorchSharp or touching a GPU,
    /// so a sweep or run can refuse a bad --device before it starts anything. Availability is ResolveDevice's job.
    /// </summary>
    public static string ValidateDevice(string spec)
    {
        var s = (spec ?? "").Trim().ToLowerInvariant();
        bool known = s is "auto" or "cpu" or "cuda"
                     || s.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(s[5..], System.Globalization.NumberStyles.None, null, out _);
        if (!known) throw new ArgumentException($"unknown device '{spec}': allowed are auto, cpu, cuda, cuda:N (N = a GPU index)");
        return s;
    }

    /// <summary>True when the build referenced the CUDA libtorch (-p:TorchBackend=cuda).</summary>
    public static bool IsCudaBuild =>
#if TORCH_CUDA
        true;
#else
        false;
#endif

    /// <summary>Sets intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public static void SetThreads(int threads)
    {
        EnsureLoadable();
        if (threads < 0) throw new ArgumentException($"threads must be ≥ 0 (0 = libtorch default), got {threads}");
        if (threads > 0 && torch.get_num_threads() != threads) torch.set_num_threads(threads);
    }
}
