using Warmstart.Reporting;

namespace Warmstart.Tests.Reporting;

/// <summary>The README's findings come from the committed data: regenerated here, they must read the same.</summary>
[Outer(OuterReason.Slow)]
public class ReadmeFindingsTests
{
    [Fact]
    public void TheReadmeHeadlineAndFindingsAreWhatTheCommittedResultsGive()
    {
        var readme = File.ReadAllText(Path.Combine(NotebookRunner.RepoRoot, "README.md"));
        foreach (var (part, expected) in ReadmeFindings.Parts(Path.Combine(NotebookRunner.RepoRoot, "data", "results")))
        {
            var current = part.Current(readme);
            Assert.True(current is not null, $"README.md has no {part.Name} markers");
            Assert.True(expected == current,
                $"README's {part.Name} differs from what data/results gives; regenerate with: dotnet run --project lib/Warmstart.Cli -c Release -- report --findings data/results --readme README.md");
        }
        var findings = ReadmeFindings.Findings.Current(readme)!;
        foreach (var claim in new[] { "| 1. ", "| 2. ", "| 3. ", "| 4. ", "| 5. " }) Assert.Contains(claim, findings);
        // The one-line answer and its figure come before the glossary, on the reader's first screen.
        Assert.True(readme.IndexOf(ReadmeFindings.Headline.Start, StringComparison.Ordinal) < readme.IndexOf("## Glossary", StringComparison.Ordinal));
        Assert.Contains("**In one line**", ReadmeFindings.Headline.Current(readme));
    }
}
