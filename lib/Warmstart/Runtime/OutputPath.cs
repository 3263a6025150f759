namespace Warmstart.Runtime;

/// <summary>
/// Checks an output folder before anything is written, so a path that names a file or an unwritable place fails with
/// one line and leaves nothing behind.
/// </summary>
public static class OutputPath
{
    /// <summary>Returns the full path when the folder exists and is writable, or can be created; throws ArgumentException naming the path otherwise.</summary>
    public static string Check(string path, string option = "--out")
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{option} is empty: give a folder path");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new ArgumentException($"{option} '{path}' is not a valid path: {e.Message}", e);
        }
        if (File.Exists(full)) throw new ArgumentException($"{option} '{path}' is a file, not a folder: choose a new or empty folder");
        // The nearest existing folder decides: it must be a folder, and we must be able to write into it.
        string? dir = full;
        while (dir is not null && !Directory.Exists(dir))
        {
            if (File.Exists(dir)) throw new ArgumentException($"{option} '{path}' cannot be created: '{dir}' is a file, not a folder");
            dir = Path.GetDirectoryName(dir);
        }
        if (dir is null) throw new ArgumentException($"{option} '{path}' cannot be created: none of its parent folders exists");
        var probe = Path.Combine(dir, $".warmstart-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e switch
            {
                UnauthorizedAccessException => "permission denied",
                FileNotFoundException or DirectoryNotFoundException => "its file system takes no new files",
                _ => e.Message.Replace(probe, dir),
            };
            string verb = dir == full ? "written" : "created";
            throw new ArgumentException($"{option} '{path}' cannot be {verb}: '{dir}' does not accept new files ({why})", e);
        }
        finally
        {
            if (File.Exists(probe)) File.Delete(probe); // DeleteOnClose already did, except on odd file systems
        }
        return full;
    }
}
