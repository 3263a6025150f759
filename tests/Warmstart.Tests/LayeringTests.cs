using System.Text.RegularExpressions;

namespace Warmstart.Tests;

/// <summary>
/// The library reads one way: each folder uses only the folders before it in <see cref="Order"/>, so a model never
/// needs the trainer, a sweep never needs an analysis and no two folders need each other. Between the two projects the
/// compiler holds the line: the research core (lib/Warmstart) does not reference the presentation
/// (lib/Warmstart.Presentation), so an analysis cannot draw or format for a reader; this test orders the folders
/// inside each.
/// </summary>
public class LayeringTests
{
    static readonly string[] Order = ["Runtime", "Model", "Data", "Growth", "Training", "Experiments", "Analysis", "Reporting", "Notebooks"];

    /// <summary>Which project each folder lives in: the core's folders first, then the presentation's.</summary>
    static string ProjectOf(string folder) => Array.IndexOf(Order, folder) < Array.IndexOf(Order, "Reporting") ? "Warmstart" : "Warmstart.Presentation";

    [Fact]
    public void EachFolderUsesOnlyTheFoldersBeforeIt()
    {
        var lib = Path.Combine(NotebookRunner.RepoRoot, "lib");
        var reference = new Regex(@"\b(?:using\s+(?:static\s+)?Warmstart\.|Warmstart\.|(?<![\w.])(?=(?:" + string.Join("|", Order) + @")\.[A-Z]))(" + string.Join("|", Order) + @")\b");
        var wrong = new List<string>();
        foreach (var folder in Order)
        foreach (var file in Directory.GetFiles(Path.Combine(lib, ProjectOf(folder), folder), "*.cs", SearchOption.AllDirectories))
        {
            var code = Regex.Replace(File.ReadAllText(file), @"///?.*", ""); // comments may name any folder
            foreach (var used in reference.Matches(code).Select(m => m.Groups[1].Value).Distinct())
                if (Array.IndexOf(Order, used) > Array.IndexOf(Order, folder))
                    wrong.Add($"{Path.GetRelativePath(lib, file)} uses {used}, which comes after {folder}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void TheResearchCoreReferencesNeitherThePresentationNorItsPackages()
    {
        var core = System.Xml.Linq.XDocument.Load(Path.Combine(NotebookRunner.RepoRoot, "lib", "Warmstart", "Warmstart.csproj"));
        var references = core.Descendants("ProjectReference").Concat(core.Descendants("PackageReference")).Select(e => (string)e.Attribute("Include")!).ToList();
        Assert.NotEmpty(references);
        Assert.DoesNotContain(references, r => r.Contains("Presentation") || r.StartsWith("Plotly") || r is "PuppeteerSharp" or "Markdig" or "Microsoft.Data.Analysis");
        // And the assembly as built: none of them among what the core's DLL was compiled against.
        var compiledAgainst = typeof(Warmstart.Analysis.Verdicts).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("TorchSharp", compiledAgainst);
        Assert.DoesNotContain(compiledAgainst, a => a.StartsWith("Warmstart.Presentation") || a.StartsWith("Plotly") || a is "PuppeteerSharp" or "Markdig" or "Microsoft.Data.Analysis");
    }
}
