using System.CommandLine;
using Spectre.Console;
using Warmstart.Cli;
using Warmstart.Cli.Commands;

// The workbook's command line: one verb per job; each verb's logic lives in the library.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200; // logs and CI: do not wrap tables at 80 columns
var root = new RootCommand("Warmstart Workbook: train, grow and compare language models (arXiv 2605.13405)")
{
    TrainCommand.Create(),
    BenchCommand.Create(),
    DataCommand.Create(),
    GrowCommand.Create(),
    SweepCommand.Create(),
    RunCommand.Create(),
    ReportCommand.Create(),
    NotebooksCommand.Create(),
};
try
{
    var parse = root.Parse(args);
    if (parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction)
    {
        // One line instead of the help text: the option, the value and the allowed form.
        Cli.ErrorLine(ParseErrors.Describe(parse));
        return 2;
    }
    return parse.Invoke();
}
catch (Exception e) when (Cli.IsUserError(e))
{
    Cli.Error(e);
    return 2;
}

namespace Warmstart.Cli
{
    static class Cli
    {
        /// <summary>Bad input (a value, a path, a file) as opposed to a bug: shown as one line, no stack trace.</summary>
        public static bool IsUserError(Exception e) =>
            e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or OperationCanceledException
            || e.InnerException is not null && IsUserError(e.InnerException);

        public static void Error(Exception e)
        {
            while (e is System.Reflection.TargetInvocationException or TypeInitializationException && e.InnerException is not null)
                e = e.InnerException;
            ErrorLine(e.Message);
        }

        /// <summary>"error: …" as one line: written past Spectre, which wraps long lines at its console width.</summary>
        public static void ErrorLine(string message)
        {
            message = message.ReplaceLineEndings(" ");
            Console.Out.WriteLine(Console.IsOutputRedirected ? $"error: {message}" : $"\u001b[31merror:\u001b[0m {message}");
        }

        /// <summary>Runs a verb's body, turning user errors into exit code 2 with a one-line message.</summary>
        public static int Guard(Func<int> body)
        {
            try { return body(); }
            catch (Exception e) when (IsUserError(e))
            {
                Error(e);
                return 2;
            }
        }
    }
}
