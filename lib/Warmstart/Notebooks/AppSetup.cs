using System.Text.RegularExpressions;

namespace Warmstart.Notebooks;

/// <summary>
/// What a notebook's setup file (<c>notebooks/setup.dib</c>) gives a file-based app: the library project behind the
/// built DLL it references (<c>#r "../lib/X/bin/…/X.dll"</c> becomes <c>#:project ../lib/X/X.csproj</c>, a path
/// relative to the notebook's folder, as both forms are) and the usings of that cell. Its <c>#r "nuget: …"</c> lines
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
            if (LibraryReference().Match(cell) is not { Success: true } reference) continue;
            string dll = reference.Groups["dll"].Value;
            int bin = dll.IndexOf("/bin/", StringComparison.Ordinal);
            if (bin < 0) throw new InvalidDataException($"{Path.GetFileName(dibPath)}: '{dll}' is not a project's build output (…/bin/…): cannot tell which project to reference");
            string project = $"{dll[..bin]}/{Path.GetFileNameWithoutExtension(dll)}.csproj";
            if (!File.Exists(Path.Combine(Path.GetDirectoryName(dibPath)!, project)))
                throw new InvalidDataException($"{Path.GetFileName(dibPath)} references {dll}, but its project {project} does not exist");
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
