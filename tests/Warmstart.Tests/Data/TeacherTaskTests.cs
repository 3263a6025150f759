using Warmstart.Data;
using static TorchSharp.torch;

namespace Warmstart.Tests.Data;

/// <summary>The MLP study's teacher–student task: batches are pure functions of the seeds.</summary>
public class TeacherTaskTests
{
    public TeacherTaskTests() => TestSupport.Init();

    [Fact]
    public void TeacherDataAreDeterministicPerSeed()
    {
        using var a = new TeacherStudentData(new TeacherConfig(), rows: 16, seed: 3);
        using var b = new TeacherStudentData(new TeacherConfig(), rows: 16, seed: 3);
        using var c = new TeacherStudentData(new TeacherConfig(), rows: 16, seed: 4);
        var (xa, ya) = a.TrainBatch(5, 0);
        var (xb, yb) = b.TrainBatch(5, 0);
        var (xc, _) = c.TrainBatch(5, 0);
        Assert.True(xa.equal(xb).all().item<bool>() && ya.equal(yb).all().item<bool>());
        Assert.False(xa.equal(xc).all().item<bool>());
        Assert.False(xa.equal(a.TrainBatch(6, 0).Input).all().item<bool>());
        // Held-out samples come from the task's own seed, whatever the training seed.
        Assert.True(a.ValidationBatch(0).Input.equal(c.ValidationBatch(0).Input).all().item<bool>());
        Assert.False(a.ValidationBatch(0).Input.equal(a.TrainBatch(0, 0).Input).all().item<bool>());
        // A different teacher seed is a different teacher.
        using var other = new TeacherStudentData(new TeacherConfig { Seed = 7 }, rows: 16, seed: 3);
        Assert.False(other.Probabilities(xa).allclose(a.Probabilities(xa)));
    }
}
