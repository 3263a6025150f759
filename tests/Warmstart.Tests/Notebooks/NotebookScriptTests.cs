using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Warmstart.Notebooks;

namespace Warmstart.Tests.Notebooks;

/// <summary>
/// The notebooks and their file-based apps stay one source: each notebooks/NN-name.cs is what its .ipynb generates
/// (a changed notebook or a hand-edited script fails here, naming the line), the generator refuses kernel-only cells,
/// and the setup file's package pins agree with Directory.Packages.props. No process is started.
/// </summary>
public class NotebookScriptTests
{
    static string NotebooksFolder => Path.Combine(NotebookRunner.RepoRoot, "notebooks");

    [Fact]
    public void EveryFileBasedAppIsWhatItsNotebookGenerates()
    {
        var differences = NotebookScripts.Check(NotebooksFolder);
        Assert.True(differences.Count == 0, string.Join("\n", differences.Select(d => $"{Path.GetFileName(d.Script)}: {d.Problem}")));
        Assert.Equal(Directory.GetFiles(NotebooksFolder, "*.ipynb").Length, Directory.GetFiles(NotebooksFolder, "*.cs").Length);
    }

    /// <summary>A copy of the notebooks folder's layout (a notebook, setup.dib, and the library project the .dib points at).</summary>
    static string CopyOfNotebook(TempFolder temp, string notebook = "03-growth-factor.ipynb")
    {
        string folder = temp["notebooks"];
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(NotebooksFolder, notebook), Path.Combine(folder, notebook));
        File.Copy(Path.Combine(NotebooksFolder, "setup.dib"), Path.Combine(folder, "setup.dib"));
        Directory.CreateDirectory(temp["lib/Warmstart.Presentation"]);
        File.WriteAllText(temp["lib/Warmstart.Presentation/Warmstart.Presentation.csproj"], "<Project />");
        NotebookScripts.Sync(folder);
        return folder;
    }

    [Fact]
    public void CheckFailsOnAScriptEditedByHandAndOnANotebookEditedWithoutSync()
    {
        using var temp = TestSupport.Temp();
        string folder = CopyOfNotebook(temp);
        string script = Path.Combine(folder, "03-growth-factor.cs"), notebook = Path.Combine(folder, "03-growth-factor.ipynb");
        Assert.Empty(NotebookScripts.Check(folder));

        // The script edited by hand: the check names the line and both versions of it.
        string original = File.ReadAllText(script);
        File.WriteAllText(script, original.Replace("var Scale = Workbook.Text(\"WARMSTART_SCALE\", \"quick\");", "var Scale = \"smoke\";"));
        var edited = Assert.Single(NotebookScripts.Check(folder));
        Assert.Equal(script, edited.Script);
        int line = original.Split('\n').ToList().FindIndex(l => l.StartsWith("var Scale = ", StringComparison.Ordinal)) + 1;
        Assert.Contains($"at line {line}: the notebook gives `var Scale = Workbook.Text(\"WARMSTART_SCALE\", \"quick\");", edited.Problem);
        Assert.Contains("the script has `var Scale = \"smoke\";", edited.Problem);
        Assert.Contains(NotebookScripts.SyncCommand, edited.Problem);

        // Sync restores it; then the notebook edited without a sync is caught the same way.
        Assert.Equal([script], NotebookScripts.Sync(folder));
        Assert.Empty(NotebookScripts.Check(folder));
        var json = JsonNode.Parse(File.ReadAllText(notebook))!;
        var cell = json["cells"]!.AsArray().First(c => c!["source"]!.ToJsonString().Contains("var speedupSummary = "))!;
        cell["source"] = JsonValue.Create("var speedups = Speedup.Compute(results, 0.5);\n");
        File.WriteAllText(notebook, json.ToJsonString());
        Assert.Contains("the notebook gives `var speedups = Speedup.Compute(results, 0.5);`", Assert.Single(NotebookScripts.Check(folder)).Problem);

        // A missing script, and a script whose notebook is gone.
        File.Delete(script);
        Assert.Contains("missing", Assert.Single(NotebookScripts.Check(folder)).Problem);
        NotebookScripts.Sync(folder);
        File.WriteAllText(Path.Combine(folder, "99-orphan.cs"), "// %%\n");
        Assert.Contains("has no notebook 99-orphan.ipynb", Assert.Single(NotebookScripts.Check(folder)).Problem);
    }

    [Fact]
    public void TheScriptIsThePercentFormatOfTheNotebookCellForCell()
    {
        string notebook = Path.Combine(NotebooksFolder, "03-growth-factor.ipynb");
        var cells = NotebookScripts.ReadNotebook(notebook);
        var parsed = PercentScript.Parse(File.ReadAllText(Path.ChangeExtension(notebook, ".cs")));
        Assert.Equal(cells.Count, parsed.Count);
        for (int i = 0; i < cells.Count; i++)
        {
            Assert.Equal(cells[i].IsCode, parsed[i].IsCode);
            if (cells[i].Source.Trim() != "#!import setup.dib") Assert.Equal(cells[i].Source.TrimEnd('\n'), parsed[i].Source); // the setup cell is translated
        }
        string text = File.ReadAllText(Path.ChangeExtension(notebook, ".cs"));
        Assert.Contains("\n// %% [markdown]\n// # 03 · How large a growth factor still pays?\n//\n// **Question.**", text);
        Assert.DoesNotContain("#!", text);
        Assert.DoesNotContain("#r ", text);
    }

    [Fact]
    public void ParsedCellsKnowTheLinesTheySpan()
    {
        string script = PercentScript.Write([new(false, "# Title\n\nprose"), new(true, "var a = 1;\n\nWorkbook.Show(a);"), new(true, "Workbook.Show(2);\n")], ["// header"]);
        Assert.Equal("// header\n\n// %% [markdown]\n// # Title\n//\n// prose\n\n// %%\nvar a = 1;\n\nWorkbook.Show(a);\n\n// %%\nWorkbook.Show(2);\n", script);
        var cells = PercentScript.Parse(script);
        Assert.Equal(["# Title\n\nprose", "var a = 1;\n\nWorkbook.Show(a);", "Workbook.Show(2);"], cells.Select(c => c.Source));
        var lines = script.Split('\n');
        Assert.Equal("var a = 1;", lines[cells[1].FirstLine - 1]);
        Assert.Equal("Workbook.Show(a);", lines[cells[1].LastLine - 1]);
        Assert.True(cells[2].Holds(Array.IndexOf(lines, "Workbook.Show(2);") + 1));
        Assert.False(cells[1].Holds(cells[2].FirstLine));
    }

    [Theory]
    [InlineData("var x = 1;\ndisplay(x);", "calls the kernel's display(...)")]
    [InlineData("#r \"nuget: Foo, 1.0.0\"\nvar x = 1;", "'#r \"nuget: Foo, 1.0.0\"' is a notebook-kernel command")]
    [InlineData("#!set --name x --value 1", "'#!set --name x --value 1' is a notebook-kernel command")]
    [InlineData("var speedups = Speedup.Compute(results);\nspeedups", "ends in a bare expression")]
    public void TheGeneratorRefusesCellsThatOnlyAKernelRuns(string source, string message)
    {
        using var temp = TestSupport.Temp();
        string folder = CopyOfNotebook(temp);
        string notebook = Path.Combine(folder, "03-growth-factor.ipynb");
        var json = JsonNode.Parse(File.ReadAllText(notebook))!;
        var cells = json["cells"]!.AsArray();
        int index = cells.ToList().FindIndex(c => c!["source"]!.ToJsonString().Contains("var speedupSummary = "));
        cells[index]!["source"] = JsonValue.Create(source);
        File.WriteAllText(notebook, json.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => NotebookScripts.Generate(notebook));
        Assert.Contains($"03-growth-factor.ipynb cell {index + 1}", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("speedupSummary", true)]
    [InlineData("Workbook.Show(Figures.SpeedupVsG(s))", true)]
    [InlineData("var x = 1;", false)]
    [InlineData("Workbook.Show(\"a\");\n// done", false)]
    [InlineData("#!import setup.dib", false)]
    [InlineData("foreach (var a in b)\n{\n}", false)]
    [InlineData("Figures.IsoFlop(a, b,\n    $\"title {c:0.#}\") // a comment", true)]
    public void RecognisesCellsThatEndInAnExpression(string source, bool expression) =>
        Assert.Equal(expression, NotebookScripts.EndsInExpression(source));

    [Fact]
    public void TheSetupFileBecomesTheProjectDirectiveAndItsUsings()
    {
        var setup = AppSetup.FromDib(Path.Combine(NotebooksFolder, "setup.dib"));
        Assert.Equal("../lib/Warmstart.Presentation/Warmstart.Presentation.csproj", setup.Project);
        Assert.True(File.Exists(Path.Combine(NotebooksFolder, setup.Project)));
        Assert.Equal(["Microsoft.Data.Analysis", "Warmstart.Analysis", "Warmstart.Experiments", "Warmstart.Notebooks", "Warmstart.Reporting", "Warmstart.Training"], setup.Usings);
        Assert.StartsWith("// The notebook's setup.dib", setup.Source);
        Assert.Contains("\n#:project ../lib/Warmstart.Presentation/Warmstart.Presentation.csproj\n", setup.Source);
        Assert.EndsWith("using Warmstart.Training;\nWorkbook.StartApp(args);", setup.Source);
        Assert.DoesNotContain("nuget", setup.Source);                       // the project brings the packages
        Assert.DoesNotContain("Interactive", setup.Source);                 // the kernel's formatter namespace stays in the kernel
    }

    [Fact]
    public void ASetupWhoseDllsComeFromTwoBuildFoldersIsRefusedByName()
    {
        using var temp = TestSupport.Temp();
        File.WriteAllText(temp["setup.dib"], "#!csharp\n\n#r \"../lib/A/bin/Release/net10.0/A.dll\"\n#r \"../lib/B/bin/Release/net10.0/B.dll\"\nusing A;\n");
        var error = Assert.Throws<InvalidDataException>(() => AppSetup.FromDib(temp["setup.dib"]));
        Assert.Contains("several build folders (../lib/A, ../lib/B)", error.Message);
    }

    /// <summary>
    /// Package versions have one home, Directory.Packages.props; the notebook kernels need them again as
    /// <c>#r "nuget: …"</c> pins in setup.dib (the formatters load only that way), so every pin there must carry the
    /// same version, and every package the library references must be pinned (or the kernel would miss it).
    /// </summary>
    [Fact]
    public void SetupPinsEveryLibraryPackageAtTheVersionOfDirectoryPackagesProps()
    {
        var file = XDocument.Load(Path.Combine(NotebookRunner.RepoRoot, "Directory.Packages.props"));
        // A version may name a property of the file ("$(LibTorchVersion)"): read it as MSBuild would.
        var properties = file.Descendants("PropertyGroup").Elements().ToDictionary(e => e.Name.LocalName, e => e.Value.Trim());
        string Resolve(string version) => Regex.Replace(version, @"\$\((?<name>\w+)\)", m => properties[m.Groups["name"].Value]);
        var props = file.Descendants("PackageVersion").ToDictionary(e => (string)e.Attribute("Include")!, e => Resolve((string)e.Attribute("Version")!));
        var pins = Regex.Matches(File.ReadAllText(Path.Combine(NotebooksFolder, "setup.dib")), @"^#r ""nuget:\s*(?<name>[^,""]+),\s*(?<version>[^""]+)""", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups["name"].Value.Trim(), m => m.Groups["version"].Value.Trim());
        var library = new[] { "Warmstart", "Warmstart.Presentation" }
            .SelectMany(project => XDocument.Load(Path.Combine(NotebookRunner.RepoRoot, "lib", project, project + ".csproj")).Descendants("PackageReference"))
            .Where(e => e.Parent?.Attribute("Condition") is not { } c || c.Value.Contains("'cpu'"))
            .Select(e => (string)e.Attribute("Include")!).ToList();
        Assert.NotEmpty(library);
        var unpinned = library.Where(p => !pins.ContainsKey(p)).ToList();
        Assert.True(unpinned.Count == 0, $"setup.dib does not pin {string.Join(", ", unpinned)}: add #r \"nuget: NAME, VERSION\" with the version of Directory.Packages.props");
        var disagreeing = pins.Where(p => props.TryGetValue(p.Key, out var v) && v != p.Value).Select(p => $"{p.Key}: setup.dib {p.Value}, Directory.Packages.props {props[p.Key]}").ToList();
        Assert.True(disagreeing.Count == 0, "setup.dib and Directory.Packages.props disagree:\n" + string.Join("\n", disagreeing));
    }
}
