// Marks one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK), so that the dynamic
// loader treats a missing version as non-fatal. Used for TorchSharp 0.107.0's libLibTorchSharp.so, which lists
// GLIBCXX_3.4.32 (a never-called marker that GCC >= 13 emits) and therefore fails to load on Debian 12 / Ubuntu 22.04.
// This file is compiled twice: into the build (an MSBuild inline task, see TorchSharpNativeFix.targets) and into the
// library (a run-time check before TorchSharp is first touched). Keep it dependency-free.
using System;
using System.IO;
using System.Text;

namespace Warmstart.Build
{
    public static class ElfVersionPatch
    {
        const uint ShtGnuVerneed = 0x6ffffffe;
        const ushort VerFlgWeak = 0x2;

        public enum Outcome { Patched, AlreadyWeak, NotReferenced, NotElf64 }

        /// <summary>True when the system C++ runtime already provides <paramref name="version"/>, so no patch is needed.</summary>
        public static bool SystemProvides(string version)
        {
            foreach (var path in new[]
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
                "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            })
            {
                if (!File.Exists(path)) continue;
                var needle = Encoding.ASCII.GetBytes(version + "\0");
                var bytes = File.ReadAllBytes(path);
                return IndexOf(bytes, needle) >= 0;
            }
            return false; // no libstdc++ found where we look: patching is harmless (weak only matters when missing)
        }

        /// <summary>Sets VER_FLG_WEAK on the Vernaux entry named <paramref name="version"/>; idempotent.</summary>
        public static Outcome MarkWeak(string path, string version)
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            var header = new byte[64];
            if (fs.Read(header, 0, 64) != 64 || header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L'
                || header[3] != (byte)'F' || header[4] != 2 /* ELFCLASS64 */ || header[5] != 1 /* little endian */)
                return Outcome.NotElf64;
            long shoff = (long)BitConverter.ToUInt64(header, 0x28);
            int shentsize = BitConverter.ToUInt16(header, 0x3A), shnum = BitConverter.ToUInt16(header, 0x3C);
            var sections = ReadAt(fs, shoff, shentsize * shnum);
            for (int i = 0; i < shnum; i++)
            {
                int s = i * shentsize;
                if (BitConverter.ToUInt32(sections, s + 4) != ShtGnuVerneed) continue;
                long offset = (long)BitConverter.ToUInt64(sections, s + 0x18);
                int size = (int)BitConverter.ToUInt64(sections, s + 0x20);
                int link = (int)BitConverter.ToUInt32(sections, s + 0x28);
                int count = (int)BitConverter.ToUInt32(sections, s + 0x2C);
                int l = link * shentsize;
                var strtab = ReadAt(fs, (long)BitConverter.ToUInt64(sections, l + 0x18), (int)BitConverter.ToUInt64(sections, l + 0x20));
                var verneed = ReadAt(fs, offset, size);
                int need = 0;
                for (int n = 0; n < count; n++)
                {
                    int auxCount = BitConverter.ToUInt16(verneed, need + 2);
                    int aux = need + (int)BitConverter.ToUInt32(verneed, need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        string name = CString(strtab, (int)BitConverter.ToUInt32(verneed, aux + 8));
                        if (name == version)
                        {
                            ushort flags = BitConverter.ToUInt16(verneed, aux + 4);
                            if ((flags & VerFlgWeak) != 0) return Outcome.AlreadyWeak;
                            var patched = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
                            fs.Seek(offset + aux + 4, SeekOrigin.Begin);
                            fs.Write(patched, 0, 2);
                            return Outcome.Patched;
                        }
                        aux += (int)BitConverter.ToUInt32(verneed, aux + 12);
                    }
                    need += (int)BitConverter.ToUInt32(verneed, need + 12);
                }
            }
            return Outcome.NotReferenced;
        }

        static byte[] ReadAt(FileStream fs, long offset, int count)
        {
            var buffer = new byte[count];
            fs.Seek(offset, SeekOrigin.Begin);
            int read = 0;
            while (read < count)
            {
                int r = fs.Read(buffer, read, count - read);
                if (r <= 0) throw new EndOfStreamException($"{fs.Name}: truncated ELF file");
                read += r;
            }
            return buffer;
        }

        static string CString(byte[] table, int start)
        {
            int end = start;
            while (end < table.Length && table[end] != 0) end++;
            return Encoding.ASCII.GetString(table, start, end - start);
        }

        static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return i;
            }
            return -1;
        }
    }
}

#if !WARMSTART_LIBRARY
namespace Warmstart.Build
{
    using System.Collections.Generic;
    using Microsoft.Build.Framework;
    using Microsoft.Build.Utilities;

    /// <summary>
    /// Makes every copy of libLibTorchSharp.so that this build can reach loadable on a system whose libstdc++ lacks
    /// GLIBCXX_3.4.32: the NuGet-cache copy (which notebooks load through #r "nuget:"), any copy TorchSharp's loader
    /// consolidated next to it, and the copies in this project's output folders.
    /// </summary>
    public class PatchTorchSharpNative : Task
    {
        public string NuGetPackageRoot { get; set; } = "";
        public string[] OutputFolders { get; set; } = Array.Empty<string>();
        const string Version = "GLIBCXX_3.4.32";

        public override bool Execute()
        {
            if (ElfVersionPatch.SystemProvides(Version)) return true;
            var files = new List<string>();
            var torchSharpCache = Path.Combine(NuGetPackageRoot, "torchsharp");
            if (NuGetPackageRoot.Length > 0 && Directory.Exists(torchSharpCache))
                files.AddRange(Directory.GetFiles(torchSharpCache, "libLibTorchSharp.so", SearchOption.AllDirectories));
            foreach (var folder in OutputFolders)
                if (folder.Length > 0 && Directory.Exists(folder))
                    files.AddRange(Directory.GetFiles(folder, "libLibTorchSharp.so", SearchOption.AllDirectories));
            foreach (var file in files)
            {
                var outcome = ElfVersionPatch.MarkWeak(file, Version);
                if (outcome == ElfVersionPatch.Outcome.Patched)
                    Log.LogMessage(MessageImportance.High, $"TorchSharp native fix: marked {Version} weak in {file}");
            }
            return !Log.HasLoggedErrors;
        }
    }
}
#endif
