using System.Text.RegularExpressions;
using Warmstart.Tests.Notebooks;

namespace Warmstart.Tests;

/// <summary>
/// The library reads one way: each folder uses only the folders before it in <see cref="Order"/>, so a model never
/// needs the trainer, a sweep never needs an analysis, an analysis never draws or formats for a reader, and no two
/// folders need each other.
/// </summary>
public class LayeringTests
{
    static readonly string[] Order = ["Runtime", "Model", "Data", "Growth", "Training", "Experiments", "Analysis", "Reporting", "Notebooks"];

    [Fact]
    public void EachFolderUsesOnlyTheFoldersBeforeIt()
    {
        var library = Path.Combine(NotebookRunner.RepoRoot, "lib", "Warmstart");
        var reference = new Regex(@"\b(?:using\s+(?:static\s+)?Warmstart\.|Warmstart\.|(?<![\w.])(?=(?:" + string.Join("|", Order) + @")\.[A-Z]))(" + string.Join("|", Order) + @")\b");
        var wrong = new List<string>();
        foreach (var folder in Order)
        foreach (var file in Directory.GetFiles(Path.Combine(library, folder), "*.cs", SearchOption.AllDirectories))
        {
            var code = Regex.Replace(File.ReadAllText(file), @"///?.*", ""); // comments may name any folder
            foreach (var used in reference.Matches(code).Select(m => m.Groups[1].Value).Distinct())
                if (Array.IndexOf(Order, used) > Array.IndexOf(Order, folder))
                    wrong.Add($"{Path.GetRelativePath(library, file)} uses {used}, which comes after {folder}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
