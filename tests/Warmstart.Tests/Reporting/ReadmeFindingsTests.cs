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

    /// <summary>
    /// The README reads what each study's report wrote: a study folder whose report lacks one of those files stops the
    /// findings with the file's name and the command that writes it, before any part is written.
    /// </summary>
    [Fact]
    public void AStudyWhoseReportLacksAFileIsAnErrorNamingTheReportCommand()
    {
        using var root = TestSupport.Temp();
        var source = Path.Combine(NotebookRunner.RepoRoot, "data", "results", "weights-quick");
        var study = root["weights-quick"];
        foreach (var file in new[] { "runs.csv", "curves.csv", "analysis/verdicts.csv", "analysis/speedup_summary.csv" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(study, file))!);
            File.Copy(Path.Combine(source, file), Path.Combine(study, file));
        }
        var e = Assert.Throws<FileNotFoundException>(() => ReadmeFindings.Parts(root.Path));
        Assert.Contains(Path.Combine("weights-quick", "analysis", "readings.csv"), e.Message);
        Assert.Contains($"`report --results {study}`", e.Message);
    }
}
