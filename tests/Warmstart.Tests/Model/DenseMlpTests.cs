using Warmstart.Data;
using Warmstart.Experiments;
using Warmstart.Model;
using Warmstart.Training;

namespace Warmstart.Tests.Model;

/// <summary>The dense MLP family: its parameter count and the clear errors its inputs give.</summary>
public class DenseMlpTests
{
    public DenseMlpTests() => TestSupport.Init();

    [Fact]
    public void MlpParameterCountMatchesTheModule()
    {
        foreach (var config in new[] { new MlpConfig(), new MlpConfig { Width = 45, Depth = 1, Bias = false } })
        {
            using var model = new DenseMlp(config);
            Assert.Equal(config.ParameterCount(), model.ParameterCount());
            Assert.Equal(config.ParameterCount(), model.Architecture.ParameterSpecs().Sum(s => s.Numel));
        }
    }

    [Fact]
    public void BadMlpInputsAreClearErrors()
    {
        Assert.Contains("Width must be a positive whole number, got 0", Assert.Throws<ArgumentException>(() => new MlpConfig { Width = 0 }.Validate()).Message);
        Assert.Contains("Depth must be a positive whole number, got -1", Assert.Throws<ArgumentException>(() => new MlpConfig { Depth = -1 }.Validate()).Message);
        Assert.Contains("unknown task 'regression'", Assert.Throws<ArgumentException>(() => TeacherConfig.Named("regression")).Message);
        Assert.Contains("budgets must be positive", Assert.Throws<ArgumentException>(() => SweepPresets.Get("mlp-quick", budgets: [-5])).Message);
        Assert.Contains("tokens per parameter must be positive", Assert.Throws<ArgumentException>(() => new TrainConfig { Tpp = 0 }.Validate()).Message);
        Assert.Contains("does not fit the teacher task", Assert.Throws<ArgumentException>(() =>
            new RunSpec { Model = new MlpConfig { InputDim = 8 }, Data = new TeacherConfig() }.Validate()).Message);
    }
}
