using Warmstart.Build;

namespace Warmstart.Tests.Runtime;

/// <summary>The Debian 12 fix: marking GLIBCXX_3.4.32 weak in a copy of libLibTorchSharp.so.</summary>
public class ElfPatchTests
{
    static string? FindLibrary()
    {
        var dir = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location)!;
        return new[] { Path.Combine(dir, "runtimes/linux-x64/native/libLibTorchSharp.so"), Path.Combine(dir, "libLibTorchSharp.so") }
            .FirstOrDefault(File.Exists);
    }

    [Fact]
    public void MarkingTheVersionWeakIsIdempotentAndTouchesTwoBytes()
    {
        if (!OperatingSystem.IsLinux()) return; // the ELF fix only concerns Linux builds
        var library = FindLibrary();
        Assert.NotNull(library);
        using var dir = TestSupport.Temp();
        var copy = dir["lib.so"];
        File.Copy(library!, copy);
        // Reset the flag in the copy so the test does not depend on whether the build already patched the original.
        var outcome = ElfVersionPatch.MarkWeak(copy, "GLIBCXX_3.4.32");
        Assert.True(outcome is ElfVersionPatch.Outcome.Patched or ElfVersionPatch.Outcome.AlreadyWeak);
        Assert.Equal(ElfVersionPatch.Outcome.AlreadyWeak, ElfVersionPatch.MarkWeak(copy, "GLIBCXX_3.4.32"));
        var before = File.ReadAllBytes(library!);
        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        Assert.InRange(before.Zip(after).Count(p => p.First != p.Second), 0, 2);
        Assert.Equal(ElfVersionPatch.Outcome.NotReferenced, ElfVersionPatch.MarkWeak(copy, "GLIBCXX_9.9.99"));
    }

    [Fact]
    public void NonElfFilesAreLeftAlone()
    {
        using var dir = TestSupport.Temp();
        File.WriteAllText(dir["x.so"], "not an elf file at all, just text padding to 64 bytes.................");
        Assert.Equal(ElfVersionPatch.Outcome.NotElf64, ElfVersionPatch.MarkWeak(dir["x.so"], "GLIBCXX_3.4.32"));
    }
}
