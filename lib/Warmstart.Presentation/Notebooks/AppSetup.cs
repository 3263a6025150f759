using System.Text.RegularExpressions;

namespace Warmstart.Notebooks;

/// <summary>
/// What a notebook's setup file (<c>notebooks/setup.dib</c>) gives a file-based app: the library project whose build
/// output the cell's DLLs come from (<c>#r "../lib/X/bin/…/X.dll"</c>, and the DLLs of the projects X references
/// beside it, become <c>#:project ../lib/X/X.csproj</c>, a path relative to the notebook's folder, as both forms are)
/// and the usings of that cell. Its <c>#r "nuget: …"</c> lines
/// are left out: the project brings the same packages, at the versions of Directory.Packages.props, which a test
/// holds equal to the .dib's pins; the rest of the .dib (kernel formatters, display) is for the kernel alone.
/// </summary>
public sealed partial record AppSetup(string Project, IReadOnlyList<string> Usings)
{
    /// <summary>The setup cell of the app: directives, usings, and the call that makes Workbook.Show write a page.</summary>
    public string Source => string.Join("\n",
    [
        "// The notebook's setup.dib as a file-based app: the library by #:project (its packages come with it, at the versions",
        "// of Directory.Packages.props), built in Release like the notebooks' library; not native AOT, which file-based apps",
        "// default to (the library reads records and charts by reflection).",
        $"#:project {Project}",
        "#:property Configuration=Release",
        "#:property PublishAot=false",
        .. Usings.Select(u => $"using {u};"),
        "Workbook.StartApp(args);",
    ]);

    /// <summary>Reads a .dib: the C# cell that references the library's DLL gives the project and the usings.</summary>
    public static AppSetup FromDib(string dibPath)
    {
        if (!File.Exists(dibPath)) throw new FileNotFoundException($"setup file '{dibPath}' does not exist", dibPath);
        var cells = DibCells(File.ReadAllText(dibPath));
        foreach (var cell in cells)
        {
            var references = LibraryReference().Matches(cell).Select(m => m.Groups["dll"].Value).ToList();
            if (references.Count == 0) continue;
            // A kernel needs every assembly it compiles against named (#r); an app needs only the project that built
            // them, the one named by the folder above bin/, which brings its references with it.
            var folders = references.Select(dll => dll.IndexOf("/bin/", StringComparison.Ordinal) is var bin and >= 0 ? dll[..bin] : null).ToList();
            if (folders.IndexOf(null) is var bad and >= 0)
                throw new InvalidDataException($"{Path.GetFileName(dibPath)}: '{references[bad]}' is not a project's build output (…/bin/…): cannot tell which project to reference");
            if (folders.Distinct().Count() > 1)
                throw new InvalidDataException($"{Path.GetFileName(dibPath)}: its DLLs come from several build folders ({string.Join(", ", folders.Distinct())}): reference one project's output");
            string folder = folders[0]!;
            string project = $"{folder}/{folder[(folder.LastIndexOf('/') + 1)..]}.csproj";
            if (!File.Exists(Path.Combine(Path.GetDirectoryName(dibPath)!, project)))
                throw new InvalidDataException($"{Path.GetFileName(dibPath)} references {references[0]}, but its project {project} does not exist");
            var usings = UsingLine().Matches(cell).Select(m => m.Groups["ns"].Value).ToList();
            return new AppSetup(project, usings);
        }
        throw new InvalidDataException($"{Path.GetFileName(dibPath)} has no C# cell that references the library (#r \"…/bin/…/X.dll\")");
    }

    // A .dib is cells, each opened by a line naming its kind (#!csharp, #!markdown, #!meta); only the C# ones matter.
    static List<string> DibCells(string text)
    {
        var cells = new List<string>();
        string? kind = null;
        var current = new List<string>();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n').Append("#!end"))
        {
            if (!CellKind().IsMatch(line)) { current.Add(line); continue; }
            if (kind == "csharp") cells.Add(string.Join("\n", current));
            kind = line[2..].Trim();
            current.Clear();
        }
        return cells;
    }

    [GeneratedRegex(@"^#r\s+""(?<dll>[^"":]+\.dll)""", RegexOptions.Multiline)]
    private static partial Regex LibraryReference();

    [GeneratedRegex(@"^using\s+(?<ns>[\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^#!(csharp|markdown|meta|fsharp|pwsh|javascript|html|sql|kql|value|mermaid|end)\s*$")]
    private static partial Regex CellKind();
}
