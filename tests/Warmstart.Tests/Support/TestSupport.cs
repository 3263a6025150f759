using Warmstart.Model;
using Warmstart.Runtime;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // 2 cores: torch uses both; tests take turns

namespace Warmstart.Tests;

/// <summary>Shared helpers: torch setup, temp folders, tiny configs.</summary>
static class TestSupport
{
    static TestSupport()
    {
        TorchRuntime.EnsureLoadable();
        TorchRuntime.SetThreads(2);
    }

    public static void Init() { } // touching the class runs the static constructor

    public static GptConfig Tiny(int heads = 2, int layers = 2, Parameterization param = Parameterization.MuP) => new()
    {
        VocabSize = 64, ContextLength = 16, Layers = layers, Heads = heads, HeadSize = 8, BaseWidth = 16, Param = param,
    };

    public static TempFolder Temp() => new();

    /// <summary>Sets an environment variable until disposed, then puts back what was there (tests run one at a time).</summary>
    public static IDisposable Environment(string name, string? value)
    {
        var before = System.Environment.GetEnvironmentVariable(name);
        System.Environment.SetEnvironmentVariable(name, value);
        return new Restore(() => System.Environment.SetEnvironmentVariable(name, before));
    }

    sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    /// <summary>A model's parameters by their state-dict names.</summary>
    public static Dictionary<string, TorchSharp.torch.Tensor> Parameters(TrainableModel model) =>
        model.named_parameters().ToDictionary(p => p.name, p => (TorchSharp.torch.Tensor)p.parameter);
}

/// <summary>A fresh folder under /tmp, removed on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "warmstart-tests", Guid.NewGuid().ToString("N"));
    public TempFolder() => Directory.CreateDirectory(Path);
    public string this[string name] => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}

/// <summary>
/// A test that needs a running Slurm cluster (build/slurm/start-cluster.sh; .ci/run starts one): skipped with
/// "skipped: no Slurm cluster" where sinfo does not answer.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    static readonly Lazy<string?> Missing = new(() =>
    {
        try
        {
            var run = TestProcess.Run("sinfo", ["-h", "-o", "%T"], TimeSpan.FromSeconds(10));
            string states = run.Stdout;
            if (run.ExitCode != 0) return "skipped: no Slurm cluster (sinfo failed)";
            return states.Contains("idle") || states.Contains("mix") || states.Contains("alloc") ? null : $"skipped: no Slurm cluster (no node up: '{states.Trim()}')";
        }
        catch (TimeoutException) { return "skipped: no Slurm cluster (sinfo did not answer in 10 s)"; }
        catch (System.ComponentModel.Win32Exception) { return "skipped: no Slurm cluster (no sinfo)"; }
    });

    public SlurmFactAttribute()
    {
        if (Missing.Value is { } why) Skip = why;
    }
}

/// <summary>A test that needs Debian's chromium (build/chromium/install.sh; .ci/run installs it): skipped with "skipped: no chromium" elsewhere.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Warmstart.Reporting.ChartRenderer.IsAvailable()) Skip = $"skipped: no chromium (looked for {Warmstart.Reporting.ChartRenderer.ExecutablePath}; apt-get install chromium)";
    }
}

/// <summary>Why a test is outside the unit tier (see <see cref="OuterAttribute"/>).</summary>
public enum OuterReason
{
    /// <summary>Trains models for more than a few steps, runs a whole sweep, or recomputes fits or verdicts over the committed results.</summary>
    Slow,
    /// <summary>Starts a process: the CLI, a notebook kernel, or python3.</summary>
    Process,
    /// <summary>Needs a Slurm cluster (skipped without one).</summary>
    Slurm,
    /// <summary>Needs chromium (skipped without it).</summary>
    Browser,
}

/// <summary>
/// Puts a test, or every test of a class, outside the unit tier, and says why. It gives the traits Tier=Outer and
/// Category=&lt;reason&gt;. The unit tier — in-process tests that train at most a few steps, the inner loop — is every
/// test without it: <c>dotnet test Workbook.sln -c Release --filter Tier!=Outer</c>. It is defined by what it
/// leaves out, so that a new test joins the inner loop unless it is marked as slow, and so that test files need
/// no marking to be in it.
/// </summary>
[TraitDiscoverer("Warmstart.Tests.OuterTierDiscoverer", "Warmstart.Tests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true)]
public sealed class OuterAttribute(OuterReason reason) : Attribute, ITraitAttribute
{
    public OuterReason Reason { get; } = reason;
}

/// <summary>The traits of <see cref="OuterAttribute"/>: Tier=Outer, and the reason as the Category.</summary>
public sealed class OuterTierDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new("Tier", "Outer");
        yield return new("Category", traitAttribute.GetNamedArgument<OuterReason>(nameof(OuterAttribute.Reason)).ToString());
    }
}

/// <summary>
/// A test that needs PyTorch: skipped with "skipped: no PyTorch (…)" where neither <c>python3</c> on the PATH nor the
/// system's <c>/usr/bin/python3</c> (Debian's python3-torch) can <c>import torch</c>, so that nothing is trained for a
/// check that cannot run. <see cref="Python"/> is the interpreter that can.
/// </summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    static readonly Lazy<(string? Python, string Why)> Found = new(() =>
    {
        var tried = new List<string>();
        foreach (var python in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                var run = TestProcess.Run(python, ["-c", "import torch"], TimeSpan.FromMinutes(1));
                if (run.ExitCode == 0) return (python, "");
                tried.Add($"{python}: {run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? $"exit code {run.ExitCode}"}");
            }
            catch (TimeoutException) { tried.Add($"{python}: did not answer in a minute"); }
            catch (System.ComponentModel.Win32Exception) { tried.Add($"{python}: not installed"); }
        }
        return (null, $"skipped: no PyTorch (import torch failed in {string.Join("; ", tried)})");
    });

    /// <summary>A python3 that can import torch (only read by a test that was not skipped).</summary>
    public static string Python => Found.Value.Python ?? throw new InvalidOperationException(Found.Value.Why);

    public PyTorchFactAttribute()
    {
        if (Found.Value.Python is null) Skip = Found.Value.Why;
    }
}
