using System.Text.RegularExpressions;

namespace Warmstart.Notebooks;

/// <summary>How a notebook parameter is read: <see cref="Workbook.Flag"/>, <see cref="Workbook.Text"/> or <see cref="Workbook.Number"/>.</summary>
public enum ParameterKind { Switch, Text, Number }

/// <summary>
/// A parameter that a notebook reads from an environment variable (<c>Workbook.Flag("WARMSTART_REGENERATE", …)</c>),
/// and the command-line option that sets it in the file-based app: the variable's name without its WARMSTART_
/// prefix, lower case, words joined by '-' (<c>--regenerate</c>, <c>--scale</c>, <c>--target-n</c>).
/// </summary>
public sealed partial record NotebookParameter(string Variable, ParameterKind Kind)
{
    const string Prefix = "WARMSTART_";

    public string Option => "--" + (Variable.StartsWith(Prefix, StringComparison.Ordinal) ? Variable[Prefix.Length..] : Variable)
        .ToLowerInvariant().Replace('_', '-');

    /// <summary>The option as usage text: <c>--regenerate</c>, <c>--scale &lt;text&gt;</c>, <c>--seeds &lt;number&gt;</c>.</summary>
    public string Usage => Kind switch
    {
        ParameterKind.Switch => Option,
        ParameterKind.Number => $"{Option} <number>",
        _ => $"{Option} <text>",
    };

    /// <summary>The parameters a notebook's source reads, in the order it first reads them.</summary>
    public static List<NotebookParameter> FoundIn(string source) =>
        Read().Matches(source)
            .Select(m => new NotebookParameter(m.Groups["variable"].Value, m.Groups["kind"].Value switch
            {
                "Flag" => ParameterKind.Switch,
                "Number" => ParameterKind.Number,
                _ => ParameterKind.Text,
            }))
            .DistinctBy(p => p.Variable).ToList();

    [GeneratedRegex(@"Workbook\.(?<kind>Flag|Text|Number)\(\s*""(?<variable>[A-Za-z_][A-Za-z0-9_]*)""")]
    private static partial Regex Read();
}

/// <summary>
/// The command line of a notebook run as a file-based app (<c>dotnet run notebooks/NN-name.cs -- …</c>): one option
/// per parameter the notebook reads (<c>--scale smoke</c>, <c>--scale=smoke</c>; a switch alone means true, or
/// <c>--regenerate=false</c>), plus <c>--out &lt;folder&gt;</c> for the page and <c>--help</c>. Anything else is refused
/// in one line that names it and lists what the notebook takes.
/// </summary>
public sealed class AppArguments
{
    public const string OutOption = "--out", HelpOption = "--help";

    static readonly HashSet<string> SwitchWords = ["true", "false", "yes", "no", "on", "off", "1", "0"];

    /// <summary>Values given on the command line, by the variable they stand for.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The option that set each variable (for messages that name what the user typed).</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>The folder given with --out, or null for the default.</summary>
    public string? OutputFolder { get; }

    public bool Help { get; }

    AppArguments(Dictionary<string, string> values, Dictionary<string, string> options, string? output, bool help) =>
        (Values, Options, OutputFolder, Help) = (values, options, output, help);

    /// <summary>The usage line of a notebook's app.</summary>
    public static string UsageLine(string name, IReadOnlyList<NotebookParameter> parameters) =>
        $"usage: dotnet run notebooks/{name}.cs -- {string.Join(" ", parameters.Select(p => $"[{p.Usage}]"))} [{OutOption} <folder>] [{HelpOption}]".Replace("  ", " ");

    /// <summary>Parses the app's arguments; throws a <see cref="WorkbookException"/> naming a bad one.</summary>
    public static AppArguments Parse(IReadOnlyList<string> args, string name, IReadOnlyList<NotebookParameter> parameters)
    {
        var byOption = parameters.ToDictionary(p => p.Option, StringComparer.Ordinal);
        string takes = parameters.Count == 0 ? $"{name} takes no parameters, only {OutOption} <folder>"
            : $"{name} takes {string.Join(", ", parameters.Select(p => p.Usage))} (and {OutOption} <folder>)";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        string? output = null;
        bool help = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
                throw new WorkbookException($"unexpected argument '{arg}': options start with --; {takes}");
            int equals = arg.IndexOf('=');
            string option = equals < 0 ? arg : arg[..equals];
            string? inline = equals < 0 ? null : arg[(equals + 1)..];
            bool NextIsValue() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            if (option == HelpOption) { help = true; continue; }
            if (option == OutOption)
            {
                output = inline ?? (NextIsValue() ? args[++i] : throw new WorkbookException($"{OutOption} needs a value: {OutOption} <folder>"));
                continue;
            }
            if (!byOption.TryGetValue(option, out var parameter))
                throw new WorkbookException($"unknown option '{option}': {takes}");
            if (values.ContainsKey(parameter.Variable))
                throw new WorkbookException($"{option} is given twice: give it once");
            string value = parameter.Kind == ParameterKind.Switch
                ? inline ?? (NextIsValue() && SwitchWords.Contains(args[i + 1].ToLowerInvariant()) ? args[++i] : "true")
                : inline ?? (NextIsValue() ? args[++i] : throw new WorkbookException($"{option} needs a value: {parameter.Usage}"));
            values[parameter.Variable] = value;
            options[parameter.Variable] = option;
        }
        return new AppArguments(values, options, output, help);
    }
}
