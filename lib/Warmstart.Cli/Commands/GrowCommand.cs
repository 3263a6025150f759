using System.CommandLine;
using Spectre.Console;
using Warmstart.Growth;

namespace Warmstart.Cli.Commands;

static class GrowCommand
{
    public static Command Create()
    {
        var baseRun = new Option<string>("--base") { Description = "a trained run folder (config.json + checkpoint/)", Required = true };
        var op = new Option<string>("--operator") { Description = $"{string.Join(" | ", GrowthOperator.Names)}", Required = true };
        var lambda = new Option<double?>("--lambda") { Description = "shrink λ in [0, 1] (zeros-shrink, szp; default 0.4)" };
        var sigma = new Option<double?>("--sigma") { Description = "perturbation σ ≥ 0 (zeros-perturb, szp; default 1)" };
        var heads = new Option<int?>("--target-heads") { Description = "target heads (default: the base's)" };
        var layers = new Option<int?>("--target-layers") { Description = "target blocks (default: the base's)" };
        var g = new Option<double?>("--g") { Description = "growth factor N_target/N_base: the planner picks the closest target" };
        var rule = new Option<string>("--rule") { Description = "with --g: width | depth | both", DefaultValueFactory = _ => "width" };
        var seed = new Option<long>("--seed") { Description = "seed of the target's fresh initialisation (the perturbation)", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "folder for the grown checkpoint (model.json, model.safetensors, report.json)", Required = true };
        var command = new Command("grow", "Grow a trained base into a larger target with a growth operator") { baseRun, op, lambda, sigma, heads, layers, g, rule, seed, output };
        command.SetAction(r => Cli.Guard(() =>
        {
            var oper = GrowthOperator.Parse(r.GetValue(op)!, r.GetValue(lambda), r.GetValue(sigma));
            var baseConfig = GrowJob.ReadBaseRun(r.GetValue(baseRun)!).Model;
            var target = baseConfig;
            if (r.GetValue(g) is { } factor)
            {
                if (r.GetValue(heads) is not null || r.GetValue(layers) is not null)
                    throw new ArgumentException("give either --g (with --rule) or --target-heads/--target-layers, not both");
                var growthRule = r.GetValue(rule)!.Trim().ToLowerInvariant() switch
                {
                    "width" => GrowthRule.Width, "depth" => GrowthRule.Depth, "both" => GrowthRule.Both,
                    var other => throw new ArgumentException($"unknown rule '{other}': allowed are width, depth, both"),
                };
                var plan = GrowthPlanner.Target(baseConfig, factor, growthRule);
                target = plan.Target;
                AnsiConsole.MarkupLine($"planner: g = {factor} → {Markup.Escape(target.Label())}, realised g = {plan.RealisedG:0.###}");
            }
            else target = baseConfig with { Heads = r.GetValue(heads) ?? baseConfig.Heads, Layers = r.GetValue(layers) ?? baseConfig.Layers };
            if (target == baseConfig) throw new ArgumentException("the target equals the base: give --target-heads, --target-layers or --g");
            var report = GrowJob.Run(r.GetValue(baseRun)!, target, oper, r.GetValue(seed), r.GetValue(output)!);
            AnsiConsole.MarkupLine($"grew {Markup.Escape(report.BaseModel)} → {Markup.Escape(report.TargetModel)} (g = {report.G:0.###}) with {Markup.Escape(oper.ToString())}");
            AnsiConsole.MarkupLine($"val loss: base {report.BaseValLoss:F4}, grown {report.GrownValLoss:F4}; max logit change {report.MaxLogitRelativeDiff:E2}");
            return 0;
        }));
        return command;
    }
}
