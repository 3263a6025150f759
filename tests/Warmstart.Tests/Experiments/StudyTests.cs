using Warmstart.Experiments;

namespace Warmstart.Tests.Experiments;

/// <summary>The one registry of studies that presets, verdicts, the README and the notebooks read.</summary>
public class StudyTests
{
    [Fact]
    public void EveryPresetNameIsAStudyAtOneOfItsScalesAndBuilds()
    {
        Assert.Equal(Studies.All.Count, Studies.All.Select(s => s.Name).Distinct().Count());
        foreach (var study in Studies.All)
        foreach (var scale in study.Scales)
        {
            var preset = study.Preset(scale);
            Assert.Equal((study, scale), Studies.OfPreset(preset));
            Assert.Equal(preset, SweepPresets.PresetName(study.Name, scale));
            if (scale != "paper") Assert.NotEmpty(SweepPresets.Get(preset).Runs); // the paper scale is GPU-sized, but specs all the same
        }
        Assert.Equal("quick", Studies.Growth.Preset("quick"));
        Assert.Equal("budget-quick", Studies.Budget.Preset("quick"));
        Assert.Equal(Studies.Presets.ToList(), SweepPresets.Names.ToList());
        Assert.Null(Studies.OfPreset("budget-huge"));
    }

    [Fact]
    public void EachClaimHasTheStudiesThatDecideItFirstChoiceFirst()
    {
        Assert.Equal([Studies.Ablation], Studies.Deciding("1"));
        Assert.Equal([Studies.Growth, Studies.Ablation], Studies.Deciding("2"));
        Assert.Equal([Studies.Budget, Studies.Growth], Studies.Deciding("4a"));
        Assert.Equal([Studies.Budget], Studies.Deciding("5"));
        foreach (var claim in new[] { "1", "2", "3", "4a", "4b", "5" }) Assert.NotEmpty(Studies.Deciding(claim));
    }

    [Fact]
    public void ABadStudyOrScaleNamesWhatIsAllowed()
    {
        Assert.Contains("unknown study 'budgets': allowed are growth, ablation", Assert.Throws<ArgumentException>(() => Studies.Named("budgets")).Message);
        Assert.Equal("unknown scale 'paper': allowed are smoke, quick", Assert.Throws<ArgumentException>(() => SweepPresets.PresetName("mlp", "paper")).Message);
        Assert.StartsWith("unknown preset 'nope': allowed are smoke, quick, paper, ablation-smoke", Assert.Throws<ArgumentException>(() => SweepPresets.Get("nope")).Message);
    }

    [Fact]
    public void EveryNotebookAStudyNamesExists()
    {
        var folder = Path.Combine(NotebookRunner.RepoRoot, "notebooks");
        var missing = Studies.All.SelectMany(s => s.Notebooks.Select(n => (s.Name, n))).Where(x => !File.Exists(Path.Combine(folder, x.n + ".ipynb"))).ToList();
        // The depth studies' notebook lands with their committed results.
        Assert.All(missing, m => Assert.Contains(m.Name, new[] { "depth", "mlp-depth" }));
    }
}
