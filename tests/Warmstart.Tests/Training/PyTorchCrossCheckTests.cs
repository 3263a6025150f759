using Warmstart.Experiments;
using Warmstart.Tests.Cli;
using Warmstart.Training;

namespace Warmstart.Tests.Training;

/// <summary>
/// The cross-check outside .NET: tests/pytorch/forward_from_metadata.py rebuilds a workbook GPT in PyTorch from
/// nothing but its checkpoint's weights and header metadata, evaluates it on the Brown validation documents and
/// compares the loss with the run's own summary.json. Where PyTorch is not installed the test says "skipped: no
/// PyTorch (…)" before anything is trained.
/// </summary>
[Outer(OuterReason.Process)]
public class PyTorchCrossCheckTests
{
    [PyTorchFact]
    public void APyTorchForwardPassRebuiltFromTheMetadataGivesTheRunsValidationLoss()
    {
        TestSupport.Init();
        using var dir = TestSupport.Temp();
        // Trained well below uniform, and narrower than the µP base width (d = 32 against 64, so the readout
        // multiplier is 2, not 1): at the untrained start every convention gives ln 256, and at m = 1 a wrong readout
        // multiplier would go unseen. Only then does a wrong multiplier, attention scale, Q|K|V layout or rotary
        // split move the loss by more than the script's tolerance.
        var smoke = RunPresets.Get("smoke");
        var spec = smoke with { Model = RunPresets.CpuModel(heads: 2), Train = smoke.Train with { Tokens = 100_000 } };
        var summary = Trainer.Run(spec, dir["run"]);
        Assert.True(summary.FinalValLoss < Math.Log(256) - 1, $"val loss only fell to {summary.FinalValLoss}");

        var script = Path.Combine(NotebookRunner.RepoRoot, "tests", "pytorch", "forward_from_metadata.py");
        var brown = Path.Combine(NotebookRunner.RepoRoot, "data", "brown", "brown.jsonl");
        var result = CliRunner.RunProgram(PyTorchFactAttribute.Python, script, dir["run"], brown);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("MATCH", result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim()); // not MISMATCH
    }
}
