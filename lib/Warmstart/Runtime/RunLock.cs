namespace Warmstart.Runtime;

/// <summary>
/// An exclusive lock on a file (an OS file lock, released when the process dies, even by kill -9): at most one
/// process trains a given run, and "running" can be told apart from "killed" by whether the lock is held.
/// </summary>
public sealed class RunLock : IDisposable
{
    readonly FileStream stream;
    readonly string path;

    RunLock(FileStream stream, string path) => (this.stream, this.path) = (stream, path);

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    public static RunLock? TryTake(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var w = new StreamWriter(stream, leaveOpen: true)) w.Write($"{Environment.MachineName} {Environment.ProcessId}\n");
            stream.Flush();
            return new RunLock(stream, path);
        }
        catch (IOException) { return null; }
    }

    /// <summary>Whether some process holds the lock at <paramref name="path"/> now.</summary>
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException) { return false; }
        catch (IOException) { return true; }
    }

    public void Dispose()
    {
        try { File.Delete(path); } catch (IOException) { }
        stream.Dispose();
    }
}
