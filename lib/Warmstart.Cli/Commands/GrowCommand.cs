using System.CommandLine;
using Spectre.Console;
using Warmstart.Growth;
using Warmstart.Training;
using Warmstart.Model;

namespace Warmstart.Cli.Commands;

static class GrowCommand
{
    public static Command Create()
    {
        var baseRun = new Option<string>("--base") { Description = "a trained run folder (spec.json + checkpoint/)", Required = true };
        var op = new Option<string>("--operator") { Description = $"{string.Join(" | ", GrowthOperator.Names)}", Required = true };
        var lambda = new Option<double?>("--lambda") { Description = "shrink λ in [0, 1] (zeros-shrink, szp; default 0.4)" };
        var sigma = new Option<double?>("--sigma") { Description = "perturbation σ ≥ 0 (zeros-perturb, szp; default 1)" };
        var heads = new Option<int?>("--target-heads") { Description = "target heads of a GPT (default: the base's)" };
        var width = new Option<int?>("--target-width") { Description = "target hidden width of an MLP (default: the base's)" };
        var layers = new Option<int?>("--target-layers") { Description = "target blocks / hidden layers (default: the base's)" };
        var g = new Option<double?>("--g") { Description = "growth factor N_target/N_base: the planner picks the closest target" };
        var rule = new Option<string>("--rule") { Description = "with --g: width | depth | both | compound (width and depth both change)", DefaultValueFactory = _ => "width" };
        var seed = new Option<long>("--seed") { Description = "seed of the target's fresh initialisation (the perturbation)", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "folder for the grown checkpoint (model.json, model.safetensors, report.json)", Required = true };
        var command = new Command("grow", "Grow a trained base into a larger target with a growth operator") { baseRun, op, lambda, sigma, heads, width, layers, g, rule, seed, output };
        command.SetAction(r => Cli.Guard(() =>
        {
            var oper = GrowthOperator.Parse(r.GetValue(op)!, r.GetValue(lambda), r.GetValue(sigma));
            var baseModel = GrowJob.ReadBaseRun(r.GetValue(baseRun)!).Model;
            double? factor = r.GetValue(g);
            if (factor is not null && (r.GetValue(heads) is not null || r.GetValue(width) is not null || r.GetValue(layers) is not null))
                throw new ArgumentException("give either --g (with --rule) or explicit target sizes, not both");
            var growthRule = r.GetValue(rule)!.Trim().ToLowerInvariant() switch
            {
                "width" => GrowthRule.Width, "depth" => GrowthRule.Depth, "both" => GrowthRule.Both, "compound" => GrowthRule.Compound,
                var other => throw new ArgumentException($"unknown rule '{other}': allowed are width, depth, both, compound"),
            };
            ModelConfig target = baseModel switch
            {
                GptConfig gpt when r.GetValue(width) is not null => throw new ArgumentException("--target-width is for MLPs; a GPT grows by --target-heads"),
                GptConfig gpt => factor is { } f ? Plan(GrowthPlanner.Target(gpt, f, growthRule))
                    : gpt with { Heads = r.GetValue(heads) ?? gpt.Heads, Layers = r.GetValue(layers) ?? gpt.Layers },
                MlpConfig mlp when r.GetValue(heads) is not null => throw new ArgumentException("--target-heads is for GPTs; an MLP grows by --target-width"),
                MlpConfig mlp => factor is { } f ? Plan(GrowthPlanner.Target(mlp, f, growthRule))
                    : mlp with { Width = r.GetValue(width) ?? mlp.Width, Depth = r.GetValue(layers) ?? mlp.Depth },
                _ => throw new ArgumentException($"cannot grow {baseModel.Label()}"),
            };
            if (target == baseModel) throw new ArgumentException("the target equals the base: give --target-heads (GPT) or --target-width (MLP), --target-layers, or --g");
            var report = GrowJob.Run(r.GetValue(baseRun)!, target, oper, r.GetValue(seed), r.GetValue(output)!);
            AnsiConsole.MarkupLine($"grew {Markup.Escape(report.BaseModel)} → {Markup.Escape(report.TargetModel)} (g = {report.G:0.###}) with {Markup.Escape(oper.ToString())}");
            AnsiConsole.MarkupLine($"val loss: base {report.BaseValLoss:F4}, grown {report.GrownValLoss:F4}; max logit change {report.MaxLogitRelativeDiff:E2}");
            return 0;
        }));
        return command;
    }

    static T Plan<T>(GrowthPlan<T> plan) where T : Warmstart.Model.IScalableConfig<T>
    {
        AnsiConsole.MarkupLine($"planner: g = {plan.RequestedG} → {Markup.Escape(plan.Target.Label())}, realised g = {plan.RealisedG:0.###}");
        return plan.Target;
    }
}
