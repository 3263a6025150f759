using Warmstart.Reporting;
using Warmstart.Tests.Notebooks;

namespace Warmstart.Tests.Reporting;

/// <summary>The README's findings come from the committed data: regenerated here, they must read the same.</summary>
[Outer(OuterReason.Slow)]
public class ReadmeFindingsTests
{
    [Fact]
    public void TheReadmeFindingsTableIsTheOneTheCommittedResultsGive()
    {
        var readme = File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "README.md"));
        var current = ReadmeFindings.Current(readme);
        Assert.NotNull(current);
        var expected = ReadmeFindings.Block(Path.Combine(NotebookRunner.RepoRoot, "data", "results"));
        Assert.True(expected == current,
            "README's findings differ from what data/results gives; regenerate with: dotnet run --project lib/Warmstart.Cli -c Release -- report --findings data/results --readme README.md");
        foreach (var claim in new[] { "| 1. ", "| 2. ", "| 3. ", "| 4. ", "| 5. " }) Assert.Contains(claim, current);
    }
}
