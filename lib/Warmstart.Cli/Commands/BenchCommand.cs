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
        var headSize = new Option<int[]>("--head-size") { Description = "dims per head (several: a row for each)", DefaultValueFactory = _ => [16], AllowMultipleArgumentsPerToken = true };
        var positions = new Option<string>("--positions") { Description = "rotary | learned", DefaultValueFactory = _ => "rotary" };
        var attention = new Option<string[]>("--attention") { Description = "sdpa (libtorch's) | fused (the small-head kernel); several: a row for each", DefaultValueFactory = _ => ["sdpa"], AllowMultipleArgumentsPerToken = true };
        var bf16 = new Option<bool>("--bf16") { Description = "bf16 model with fp32 master weights" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "cpu" };
        var optimizer = new Option<string>("--optimizer") { Description = "flat (the trainer's) | torch (per-parameter torch.optim.AdamW, for comparison)", DefaultValueFactory = _ => "flat" };
        var profile = new Option<bool>("--profile") { Description = "instead: where one training step's time goes, per operation (median of 30 repetitions each), for each width" };
        var soak = new Option<int>("--soak") { Description = "instead: train this many steps and print live tensors and RSS every 250", DefaultValueFactory = _ => 0 };
        var workerSteps = new Option<int>("--worker-steps") { Description = "steps per process of the quick preset's 1 × 2 vs 2 × 1 comparison (0 = skip it)", DefaultValueFactory = _ => 30 };
        var probe = new Option<int>("--quick-probe") { Hidden = true, Description = "internal: train the quick preset's model this many steps and print tokens/s" };
        var command = new Command("bench", "Training throughput at d = 64, 128, 256 (4 blocks, context 256, fp32) against a matmul peak measured in the same run; " +
            "every combination of --widths, --head-size and --attention trains in lockstep, so their ratios hold on a drifting machine")
            { widths, layers, context, batch, steps, threads, headSize, positions, attention, bf16, optimizer, device, profile, soak, workerSteps, probe };
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
            var kernels = r.GetValue(attention)!.Select(ModelOptions.ParseAttention).Distinct().ToList();
            bool torchOptimizer = r.GetValue(optimizer)!.Trim().ToLowerInvariant() switch
            {
                "flat" => false, "torch" => true,
                var o => throw new ArgumentException($"--optimizer: unknown value '{o}': allowed are flat, torch"),
            };
            var shapes = (from w in r.GetValue(widths)! from h in r.GetValue(headSize)! from k in kernels
                          select new BenchShape(w, r.GetValue(layers), r.GetValue(context), r.GetValue(batch), h, pos, k, r.GetValue(bf16))).ToList();
            string deviceName = r.GetValue(device)!.Trim().ToLowerInvariant();
            if (r.GetValue(soak) == 0) Benchmark.Validate(shapes, r.GetValue(steps), deviceName.StartsWith("cuda") ? "cuda" : "cpu");
            var dev = TorchRuntime.ResolveDevice(r.GetValue(device)!);
            TorchRuntime.SetThreads(r.GetValue(threads));
            if (r.GetValue(soak) is > 0 and var soakSteps)
            {
                var soakTable = new Table().AddColumns("step", "live tensors", "RSS MiB");
                foreach (var p in Benchmark.Soak(soakSteps, 250, dev)) soakTable.AddRow($"{p.Step}", $"{p.LiveTensors}", $"{p.RssMiB:F1}");
                AnsiConsole.Write(soakTable);
                return 0;
            }
            if (r.GetValue(probe) is > 0 and var probeSteps)
            {
                Console.Out.WriteLine($"tokens/s {Benchmark.QuickPresetTokensPerSecond(probeSteps, dev, kernels[0]):R}");
                return 0;
            }
            if (r.GetValue(profile))
            {
                foreach (var shape in shapes) PrintProfile(StepProfile.Measure(shape, dev), dev);
                return 0;
            }
            double peak = Benchmark.MatmulPeakGflops(dev);
            AnsiConsole.MarkupLine($"device {dev}, {TorchSharp.torch.get_num_threads()} threads, fp32 matmul peak [bold]{peak:F1} GFLOP/s[/] (best of 5 repetitions at n = 1024 and 2048)");
            var table = new Table().AddColumns("d", "heads", "attention", "N", "tokens/s", "GFLOP/s", "% peak", "fwd ms", "bwd ms", "opt ms", "data ms", "peak RSS MiB");
            foreach (var b in Benchmark.Run(shapes, r.GetValue(steps), dev, peak, torchOptimizer))
                table.AddRow($"{b.Width}", $"{b.Width / b.Shape!.HeadSize} × {b.Shape.HeadSize}", b.Shape.Attention.ToString().ToLowerInvariant(), $"{b.Params:N0}",
                    $"{b.TokensPerSecond:N0}", $"{b.GflopsPerSecond:F1}", $"{b.PercentOfPeak:F0}%", $"{b.ForwardMs:F1}", $"{b.BackwardMs:F1}", $"{b.OptimizerMs:F1}",
                    $"{b.DataMs:F1}", $"{b.PeakRssMiB:F0}");
            AnsiConsole.Write(table);
            if (r.GetValue(workerSteps) is > 0 and var probeSteps2) WorkerComparison(probeSteps2);
            return 0;
        }));
        return command;
    }

    static void PrintProfile(StepProfileResult p, TorchSharp.torch.Device device)
    {
        var s = p.Shape;
        AnsiConsole.MarkupLine($"[bold]one training step[/]: d {s.Width} in {s.Width / s.HeadSize} heads of {s.HeadSize}, {s.Layers} blocks, context {s.Context}, " +
            $"batch {s.BatchSize}, attention {s.Attention.ToString().ToLowerInvariant()}, {device}, {TorchSharp.torch.get_num_threads()} threads");
        var table = new Table().AddColumns("operation", "calls", "fwd ms", "bwd ms", "total ms", "% of step");
        string Share(double ms) => $"{100 * ms / p.StepMs:F1}%";
        foreach (var row in p.Rows)
            table.AddRow(Markup.Escape(row.Within ? $"  {row.Operation}" : row.Operation), $"{row.CallsPerStep}", $"{row.ForwardMs:F2}",
                $"{row.BackwardMs:F2}", $"{row.TotalMs:F2}", row.Within ? $"({Share(row.TotalMs)})" : Share(row.TotalMs));
        table.AddRow("unaccounted (autograd, dispatch, allocation)", "", "", "", $"{p.UnaccountedMs:F2}", Share(p.UnaccountedMs));
        table.AddRow("[bold]whole step, measured[/]", "1", "", "", $"[bold]{p.StepMs:F2}[/]", "100%");
        table.AddRow("evaluation: one validation batch, no grad", "", $"{p.EvalBatchMs:F2}", "", $"{p.EvalBatchMs:F2}", Share(p.EvalBatchMs));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"tokens/s at the measured step: [bold]{s.BatchSize * s.Context / (p.StepMs / 1000):N0}[/] (medians, so a shared machine's stalls drop out)");
    }

    /// <summary>
    /// The quick preset's model trained by separate processes, as a sweep's workers do: 1 process × 2 threads vs
    /// 2 processes × 1 thread at once; tokens/s summed over the processes that ran together.
    /// </summary>
    static void WorkerComparison(int steps)
    {
        var cli = Warmstart.Experiments.WorkerCommand.Locate();
        double Measure(int processes, int threads)
        {
            var running = Enumerable.Range(0, processes).Select(_ =>
            {
                var info = cli.StartInfo(["bench", "--quick-probe", $"{steps}", "--threads", $"{threads}"]);
                info.Environment["OMP_NUM_THREADS"] = $"{threads}";
                return System.Diagnostics.Process.Start(info)!;
            }).ToList();
            double total = 0;
            foreach (var p in running)
            {
                var text = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("tokens/s "))
                    ?? throw new InvalidOperationException($"a bench worker printed no throughput (exit {p.ExitCode}): {p.StandardError.ReadToEnd().Trim()}");
                total += double.Parse(line["tokens/s ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
            return total;
        }
        double serial = Measure(1, 2), parallel = Measure(2, 1);
        var table = new Table().AddColumns("quick preset's model (d 64, 8 heads of 8, 2 blocks, context 128, batch 16)", "tokens/s", "vs 1 × 2");
        table.AddRow("1 worker × 2 threads", $"{serial:N0}", "1.00×");
        table.AddRow("2 workers × 1 thread", $"{parallel:N0}", $"{parallel / serial:F2}×");
        AnsiConsole.Write(table);
    }
}
