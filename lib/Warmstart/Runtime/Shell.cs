namespace Warmstart.Runtime;

/// <summary>POSIX shell quoting for the scripts the workbook writes (sbatch files).</summary>
public static class Shell
{
    /// <summary>The value in single quotes (an embedded quote closes, escapes and reopens); plain words stay bare.</summary>
    public static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''") + "'";
}
