using System.Globalization;
using Warmstart.Experiments;

namespace Warmstart.Notebooks;

/// <summary>A bad parameter or missing input, reported in a notebook cell as one readable line.</summary>
public sealed class WorkbookException(string message) : Exception(message)
{
    public override string? StackTrace => null; // the message is the whole story; no trace wall under the cell
}

/// <summary>A line of text that a cell shows and then updates (a sweep's progress): see <see cref="Workbook.Progress"/>.</summary>
public sealed class ProgressLine(Action<string> update)
{
    public void Update(string text) => update(text);
}

/// <summary>
/// What the notebooks call: parameters (from the environment, or a file-based app's command line), the committed
/// cached results or a fresh sweep, and <see cref="Show(object?, int)"/>, which displays in a notebook kernel and
/// writes a page in a file-based app. Notebooks hold prose, parameters and plots; this holds the logic.
/// </summary>
public static partial class Workbook
{
    /// <summary>The repository root (the folder holding Workbook.sln), found from the current folder upwards.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Workbook.sln"))) return dir.FullName;
            throw new WorkbookException($"cannot find the workbook (Workbook.sln) above '{Directory.GetCurrentDirectory()}': open the notebook from the repository's notebooks/ folder");
        }
    }

    /// <summary>Committed results of a preset (data/results/&lt;preset&gt;).</summary>
    public static string CachedResults(string preset) => Path.Combine(RepoRoot, "data", "results", preset);

    /// <summary>Where regenerated results go (runs/&lt;preset&gt;, ignored by git), so the committed cache stays intact.</summary>
    public static string RegeneratedResults(string preset) => Path.Combine(RepoRoot, "runs", preset);

    /// <summary>A text parameter: the file-based app's option, else the environment variable, else <paramref name="fallback"/>.</summary>
    public static string Text(string variable, string fallback) =>
        Parameter(variable) is ({ Length: > 0 } v, _) ? v.Trim() : fallback;

    /// <summary>A switch parameter (true/false, yes/no, on/off, 1/0); anything else is a one-line error naming it.</summary>
    public static bool Flag(string variable, bool fallback) => Parameter(variable) is ({ Length: > 0 } v, var source)
        ? v.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw new WorkbookException($"{source}='{v}' is not a switch: use true or false"),
        }
        : fallback;

    /// <summary>A number parameter; anything that is not a number is a one-line error naming it.</summary>
    public static double Number(string variable, double fallback) => Parameter(variable) is ({ Length: > 0 } v, var source)
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d
            : throw new WorkbookException($"{source}='{v}' is not a number")
        : fallback;

    // A file-based app's command line wins over the environment, which the notebook kernels and their tests use.
    static (string? Value, string Source) Parameter(string variable) =>
        App is { } app && app.TryGetParameter(variable, out var value, out var option)
            ? (value, option)
            : (Environment.GetEnvironmentVariable(variable), variable);

    /// <summary>Runs notebook logic, turning bad input into a <see cref="WorkbookException"/> (one readable line).</summary>
    public static T Guard<T>(Func<T> body)
    {
        try { return body(); }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new WorkbookException(e.Message);
        }
    }

    /// <summary>Checks a study's parameters before anything runs; throws a one-line error naming the bad value.</summary>
    public static void CheckParameters(string study, string scale, int seeds = 1, IReadOnlyList<double>? budgets = null) =>
        Guard(() => SweepPresets.Get(study, scale, seeds, budgets));

    public static string PresetName(string study, string scale) => SweepPresets.PresetName(study, scale);
}
