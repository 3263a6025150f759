using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Warmstart.Tests.Experiments;

/// <summary>
/// data/results/README.md describes each committed study in a table (folder, what, presets, seeds, runs, core-hours of
/// run time). Those counts are what a reader trusts before opening a folder, so each is recomputed here from the
/// folder itself: the finished runs, the distinct seeds of their specs, the summed run seconds × threads, and the
/// preset generation the campaign wrote (data/results/&lt;study&gt;/.generation; none for the older presets).
/// </summary>
public class ResultsReadmeTests
{
    static readonly string Results = Path.Combine(NotebookRunner.RepoRoot, "data", "results");

    sealed record Row(string Folder, string Presets, string Seeds, string Runs, string CoreHours);

    static List<Row> Table()
    {
        var rows = new List<Row>();
        foreach (var line in File.ReadAllLines(Path.Combine(Results, "README.md")).Where(l => l.StartsWith("| `")))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            Assert.True(cells.Length == 6, $"a study row has 6 cells (folder, what, presets, seeds, runs, core-hours): {line}");
            rows.Add(new Row(cells[0].Trim('`'), cells[2], cells[3], cells[4], cells[5]));
        }
        return rows;
    }

    static (int Runs, int Seeds, double CoreHours) Measure(string folder)
    {
        int runs = 0;
        var seeds = new HashSet<int>();
        double coreSeconds = 0;
        foreach (var summaryPath in Directory.GetFiles(Path.Combine(folder, "runs"), "summary.json", SearchOption.AllDirectories))
        {
            using var summary = JsonDocument.Parse(File.ReadAllText(summaryPath));
            using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(summaryPath)!, "spec.json")));
            runs++;
            seeds.Add(spec.RootElement.GetProperty("train").TryGetProperty("seed", out var seed) ? seed.GetInt32() : 0);
            int threads = summary.RootElement.TryGetProperty("threads", out var t) ? t.GetInt32() : 1;
            coreSeconds += summary.RootElement.GetProperty("seconds").GetDouble() * threads;
        }
        return (runs, seeds.Count, coreSeconds / 3600);
    }

    [Fact]
    public void EveryStudyRowMatchesItsFolder()
    {
        var table = Table();
        var folders = Directory.GetDirectories(Results).Where(d => Directory.Exists(Path.Combine(d, "runs"))).Select(d => Path.GetFileName(d)!).Order().ToList();
        Assert.Equal(folders, table.Select(r => r.Folder).Order().ToList());
        foreach (var row in table)
        {
            var folder = Path.Combine(Results, row.Folder);
            var (runs, seeds, coreHours) = Measure(folder);
            Assert.True(row.Runs == runs.ToString(CultureInfo.InvariantCulture), $"{row.Folder}: the README says {row.Runs} runs; the folder has {runs} finished");
            Assert.True(row.Seeds == seeds.ToString(CultureInfo.InvariantCulture), $"{row.Folder}: the README says {row.Seeds} seeds; the runs have {seeds}");
            Assert.True(Math.Abs(double.Parse(row.CoreHours, CultureInfo.InvariantCulture) - coreHours) < 0.051,
                $"{row.Folder}: the README says {row.CoreHours} core-hours of run time; the summaries add up to {coreHours:0.00}");
            var generationFile = Path.Combine(folder, ".generation");
            string? generation = File.Exists(generationFile) ? File.ReadAllText(generationFile).Trim() : null;
            if (generation is not null) Assert.True(row.Presets == $"`{generation}`", $"{row.Folder}: regenerated with `{generation}`, the README says {row.Presets}");
            else Assert.True(row.Presets.StartsWith("older", StringComparison.Ordinal), $"{row.Folder}: has no .generation, so its presets cell must say 'older …', not {row.Presets}");
        }
    }

    [Fact]
    public void EachGenerationsTotalIsTheSumOfItsStudies()
    {
        // Each regeneration's paragraph states its run time ("the `g` … took N core-hours of run time"); it must be what
        // the folders of that generation add up to, for every generation a folder carries.
        string text = Regex.Replace(File.ReadAllText(Path.Combine(Results, "README.md")), @"\s+", " ");
        var generations = Directory.GetDirectories(Results).Where(d => File.Exists(Path.Combine(d, ".generation")))
            .GroupBy(d => File.ReadAllText(Path.Combine(d, ".generation")).Trim()).ToList();
        Assert.NotEmpty(generations);
        foreach (var generation in generations)
        {
            var said = Regex.Match(text, $@"`{Regex.Escape(generation.Key)}`[^.]*? took ([0-9.]+) core-hours of run time");
            Assert.True(said.Success, $"the README names `{generation.Key}`'s run time ('the `{generation.Key}` … took N core-hours of run time')");
            double total = generation.Sum(d => Measure(d).CoreHours);
            Assert.True(Math.Abs(double.Parse(said.Groups[1].Value, CultureInfo.InvariantCulture) - total) < 0.051,
                $"the README says `{generation.Key}` took {said.Groups[1].Value} core-hours; its folders add up to {total:0.00}");
        }
    }
}
