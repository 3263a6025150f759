namespace Warmstart.Runtime;

/// <summary>
/// Ties a worker process to the process that started it. The parent holds the write end of the worker's standard
/// input and never writes; when the parent ends — however it ends, SIGKILL included — the system closes that end, the
/// worker reads end-of-file and exits at once. Simpler and more portable than PR_SET_PDEATHSIG, which fires when the
/// parent's starting thread ends (a thread-pool thread may retire long before the parent does).
/// </summary>
public static class ParentLifeline
{
    /// <summary>Exit code of a worker whose parent is gone (128 + SIGHUP's 1, as a shell reports a hang-up).</summary>
    public const int ExitCode = 129;

    /// <summary>Starts a background thread that ends this process, with one line on stderr, when standard input closes.</summary>
    public static void ExitWhenStandardInputCloses(string message)
    {
        var watcher = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (input.Read(buffer, 0, buffer.Length) > 0) { } // the parent writes nothing; anything it did is ignored
            }
            catch (IOException) { } // a broken pipe is the same news
            Console.Error.WriteLine(message);
            Environment.Exit(ExitCode);
        }) { IsBackground = true, Name = "parent lifeline" };
        watcher.Start();
    }
}
