using System.CommandLine;
using Spectre.Console;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Cli.Commands;

static class BenchCommand
{
    public static Command Create()
    {
        var widths = new Option<int[]>("--widths") { Description = "model widths d (head size 16)", DefaultValueFactory = _ => [64, 128, 256], AllowMultipleArgumentsPerToken = true };
        var layers = new Option<int>("--layers") { Description = "blocks", DefaultValueFactory = _ => 4 };
        var context = new Option<int>("--context") { Description = "context length", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch-size") { Description = "sequences per step (the quick preset's batch)", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "timed steps per size (after 3 warm-up steps)", DefaultValueFactory = _ => 20 };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0 = one per core)", DefaultValueFactory = _ => 0 };
        var headSize = new Option<int>("--head-size") { Description = "dims per head", DefaultValueFactory = _ => 16 };
        var positions = new Option<string>("--positions") { Description = "rotary | learned", DefaultValueFactory = _ => "rotary" };
        var bf16 = new Option<bool>("--bf16") { Description = "bf16 model with fp32 master weights" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "cpu" };
        var optimizer = new Option<string>("--optimizer") { Description = "flat (the trainer's) | torch (per-parameter torch.optim.AdamW, for comparison)", DefaultValueFactory = _ => "flat" };
        var soak = new Option<int>("--soak") { Description = "instead: train this many steps and print live tensors and RSS every 250", DefaultValueFactory = _ => 0 };
        var command = new Command("bench", "Training throughput at d = 64, 128, 256 (4 blocks, context 256, fp32) against a matmul peak measured in the same run")
            { widths, layers, context, batch, steps, threads, headSize, positions, bf16, optimizer, device, soak };
        command.SetAction(r => Cli.Guard(() =>
        {
            // Every value is checked before the device starts or anything is measured.
            TorchRuntime.ValidateDevice(r.GetValue(device)!);
            if (r.GetValue(threads) < 0) throw new ArgumentException($"--threads must be ≥ 0 (0 = one per core), got {r.GetValue(threads)}");
            if (r.GetValue(soak) < 0) throw new ArgumentException($"--soak must be ≥ 0 steps (0 = off), got {r.GetValue(soak)}");
            var pos = r.GetValue(positions)!.Trim().ToLowerInvariant() switch
            {
                "rotary" => Warmstart.Model.PositionKind.Rotary, "learned" => Warmstart.Model.PositionKind.Learned,
                var p => throw new ArgumentException($"--positions: unknown value '{p}': allowed are rotary, learned"),
            };
            bool torchOptimizer = r.GetValue(optimizer)!.Trim().ToLowerInvariant() switch
            {
                "flat" => false, "torch" => true,
                var o => throw new ArgumentException($"--optimizer: unknown value '{o}': allowed are flat, torch"),
            };
            var sizes = r.GetValue(widths)!;
            string deviceName = r.GetValue(device)!.Trim().ToLowerInvariant();
            if (r.GetValue(soak) == 0)
                Benchmark.Validate(sizes, r.GetValue(layers), r.GetValue(context), r.GetValue(batch), r.GetValue(steps), r.GetValue(headSize), pos,
                    r.GetValue(bf16), deviceName.StartsWith("cuda") ? "cuda" : "cpu");
            var dev = TorchRuntime.ResolveDevice(r.GetValue(device)!);
            TorchRuntime.SetThreads(r.GetValue(threads));
            if (r.GetValue(soak) is > 0 and var soakSteps)
            {
                var soakTable = new Table().AddColumns("step", "live tensors", "RSS MiB");
                foreach (var p in Benchmark.Soak(soakSteps, 250, dev)) soakTable.AddRow($"{p.Step}", $"{p.LiveTensors}", $"{p.RssMiB:F1}");
                AnsiConsole.Write(soakTable);
                return 0;
            }
            double peak = Benchmark.MatmulPeakGflops(dev);
            AnsiConsole.MarkupLine($"device {dev}, {TorchSharp.torch.get_num_threads()} threads, fp32 matmul peak [bold]{peak:F1} GFLOP/s[/]");
            var table = new Table().AddColumns("d", "N", "tokens/s", "GFLOP/s", "% peak", "fwd ms", "bwd ms", "opt ms", "data ms", "peak RSS MiB");
            foreach (int w in sizes)
            {
                var b = Benchmark.Run(w, r.GetValue(layers), r.GetValue(context), r.GetValue(batch), r.GetValue(steps), dev, peak, r.GetValue(headSize), pos,
                    r.GetValue(bf16), torchOptimizer);
                table.AddRow($"{b.Width}", $"{b.Params:N0}", $"{b.TokensPerSecond:N0}", $"{b.GflopsPerSecond:F1}", $"{b.PercentOfPeak:F0}%",
                    $"{b.ForwardMs:F1}", $"{b.BackwardMs:F1}", $"{b.OptimizerMs:F1}", $"{b.DataMs:F1}", $"{b.PeakRssMiB:F0}");
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
