using System.Text.Json;

namespace Warmstart.Tests;

/// <summary>
/// Runs a notebook top to bottom headless with dotnet-repl (the local tool in .config/dotnet-tools.json), from the
/// notebook's own folder as VS Code would, and reads the executed notebook back: which cells failed and what each
/// cell displayed.
/// </summary>
public static class NotebookRunner
{
    public sealed record Cell(int Index, string Source, List<string> Errors, List<string> Outputs);
    public sealed record Result(int ExitCode, List<Cell> Cells, string Log, TimeSpan Elapsed);

    /// <summary>The repository root, found as the notebooks find it (the test host starts in the test binaries' folder, inside it).</summary>
    public static string RepoRoot => Warmstart.Notebooks.Workbook.RepoRoot;

    public static Result Run(string notebook, IDictionary<string, string> environment, TimeSpan timeout)
    {
        var path = Path.Combine(RepoRoot, "notebooks", notebook);
        var output = Path.Combine(Path.GetTempPath(), "warmstart-notebooks", Guid.NewGuid().ToString("N") + ".ipynb");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var variables = environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        variables["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        var run = TestProcess.Run("dotnet", ["tool", "run", "dotnet-repl", "--", "--run", path, "--exit-after-run", "--output-format", "ipynb", "--output-path", output],
            timeout, Path.GetDirectoryName(path)!, variables); // dotnet-repl ignores --working-dir: start it in the notebook's folder
        var log = run.Output;
        var cells = File.Exists(output) ? ReadCells(output) : [];
        try { File.Delete(output); } catch (IOException) { }
        return new Result(run.ExitCode, cells, log, run.Elapsed);
    }

    static List<Cell> ReadCells(string ipynb)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ipynb));
        var cells = new List<Cell>();
        int index = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            string source = Joined(cell.GetProperty("source"));
            var errors = new List<string>();
            var outputs = new List<string>();
            if (cell.TryGetProperty("outputs", out var outs))
                foreach (var o in outs.EnumerateArray())
                {
                    var type = o.GetProperty("output_type").GetString();
                    if (type == "error")
                        errors.Add($"{o.GetProperty("ename").GetString()}: {o.GetProperty("evalue").GetString()}");
                    else if (o.TryGetProperty("data", out var data))
                        foreach (var item in data.EnumerateObject()) outputs.Add(item.Name + ": " + Joined(item.Value));
                    else if (o.TryGetProperty("text", out var text))
                        outputs.Add("text: " + Joined(text));
                }
            cells.Add(new Cell(index, source, errors, outputs));
        }
        return cells;
    }

    static string Joined(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => string.Concat(e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.ToString())),
        JsonValueKind.String => e.GetString() ?? "",
        _ => e.ToString(),
    };
}
