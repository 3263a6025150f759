using Warmstart.Model;
using Warmstart.Runtime;

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
