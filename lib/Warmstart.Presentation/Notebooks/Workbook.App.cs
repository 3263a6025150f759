using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Warmstart.Notebooks;

/// <summary>A notebook run as a file-based app: its start and how it ends.</summary>
public static partial class Workbook
{
    /// <summary>The file-based app this process runs, once its setup cell has called <see cref="StartApp"/>; null in a kernel.</summary>
    public static NotebookApp? App { get; private set; }

    /// <summary>
    /// The setup cell of a notebook run as a file-based app (generated from <c>#!import setup.dib</c>): reads the
    /// parameters from <paramref name="args"/>, sends what the cells show to the console and a page under
    /// runs/notebooks/, writes the page when the program ends, and ends a run that hit bad input with one line
    /// (exit code 2) instead of a stack trace. <c>--help</c> prints the options and exits.
    /// </summary>
    public static void StartApp(string[] args, [CallerFilePath] string source = "")
    {
        Runtime.TorchRuntime.EnsureLoadable(); // the Debian 12 loading fix, before TorchSharp first loads
        NotebookApp? app;
        try { app = NotebookApp.Start(source, args, Console.Out); }
        catch (WorkbookException e) { Console.Error.WriteLine($"error: {e.Message}"); Environment.Exit(2); return; }
        if (app is null) Environment.Exit(0); // --help
        if (NotebookApp.StaleLibraryWarning(app.Name, RepoRoot) is { } stale) Console.Error.WriteLine(stale);
        App = app;
        AppDomain.CurrentDomain.UnhandledException += (_, e) => Stop(app, e.ExceptionObject as Exception, source);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => app.Finish();
        StaticFigures.WarmUp(); // chromium starts in the background while the results load
    }

    // A cell threw: bad input ends the run with its one line; anything else with the page so far and the whole exception.
    static void Stop(NotebookApp app, Exception? error, string source)
    {
        while (error is TypeInitializationException or System.Reflection.TargetInvocationException && error.InnerException is not null)
            error = error.InnerException;
        int line = error is null ? 0 : new StackTrace(error, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName() == source)?.GetFileLineNumber() ?? 0;
        bool badInput = error is WorkbookException;
        if (app.Page.Items.Count > 0) app.Finish(badInput ? error!.Message : error?.ToString() ?? "the run stopped", line);
        else app.Discard();
        Console.Error.WriteLine(badInput ? $"error: {error!.Message}" : $"error: {error}");
        Environment.Exit(badInput ? 2 : 1);
    }
}
