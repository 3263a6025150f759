using Warmstart.Runtime;

namespace Warmstart.Tests.Faults;

/// <summary>A device's spelling is checked by the library without starting anything, so a typo costs no training time.</summary>
public class DeviceCheckTests
{
    [Theory]
    [InlineData("tpu")]
    [InlineData("cuda:x")]
    [InlineData("cuda:")]
    [InlineData("")]
    [InlineData("gpu")]
    public void UnknownDevicesAreRefused(string device)
    {
        var e = Assert.Throws<ArgumentException>(() => TorchRuntime.ValidateDevice(device));
        Assert.Equal($"unknown device '{device}': allowed are auto, cpu, cuda, cuda:N (N = a GPU index)", e.Message);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("cpu")]
    [InlineData(" CUDA ")]
    [InlineData("cuda:1")]
    public void KnownDevicesPassWithoutCheckingAvailability(string device) => TorchRuntime.ValidateDevice(device);

    [Fact]
    [Outer(OuterReason.Process)]
    public void TrainSweepAndBenchRefuseAnUnknownDeviceBeforeWritingAnything()
    {
        using var dir = TestSupport.Temp();
        const string line = "error: unknown device 'tpu': allowed are auto, cpu, cuda, cuda:N (N = a GPU index)";
        Assert.Equal(line, Refusal.Check(dir, "train", "--out", dir["o"], "--device", "tpu"));
        Assert.Equal(line, Refusal.Check(dir, "sweep", "--preset", "smoke", "--out", dir["s"], "--device", "tpu"));
        Assert.Equal(line, Refusal.Check(dir, "bench", "--device", "tpu"));
    }
}
