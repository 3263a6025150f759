using System.Text.Json;
using System.Text.Json.Nodes;
using Warmstart.Growth;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Experiments;

/// <summary>
/// Brings a results folder written before run specs had one description (schema 1: "model" or "mlp" + "task",
/// "data" and "tokenizer" strings, config.json beside spec.json, absolute paths) to the current layout: each spec
/// rewritten, each run (and grown checkpoint, failure) renamed to its new id, config.json dropped, paths made
/// relative. Curves and summaries are kept as they are, so the analyses give the same numbers.
/// </summary>
public static class LegacyResults
{
    /// <summary>Migrates <paramref name="dir"/> in place; returns old id → new id (empty if it was current already).</summary>
    public static Dictionary<string, string> Migrate(string dir)
    {
        var store = new ResultStore(dir);
        var index = store.ReadIndex() ?? throw new ArgumentException($"'{store.Root}' is not a results folder (no {ResultStore.IndexFile})");
        var renames = new Dictionary<string, string>();
        foreach (var oldId in index.Runs)
        {
            var specPath = Path.Combine(store.RunDir(oldId), Trainer.SpecFile);
            if (!File.Exists(specPath)) continue;
            var node = JsonNode.Parse(File.ReadAllText(specPath))!.AsObject();
            if (node["model"] is JsonObject m && m.ContainsKey("family")) continue; // current already
            var spec = Upgrade(node).Deserialize<RunSpec>(Files.Json)!;
            renames[oldId] = spec.Id;
        }
        if (renames.Count == 0) return renames;
        string New(string id) => renames.GetValueOrDefault(id, id);
        foreach (var (oldId, newId) in renames)
        {
            var oldDir = store.RunDir(oldId);
            var spec = Upgrade(JsonNode.Parse(File.ReadAllText(Path.Combine(oldDir, Trainer.SpecFile)))!.AsObject()).Deserialize<RunSpec>(Files.Json)!;
            if (File.Exists(Path.Combine(oldDir, "config.json"))) File.Delete(Path.Combine(oldDir, "config.json"));
            Files.WriteJsonAtomic(Path.Combine(oldDir, Trainer.SpecFile), spec);
            var summaryPath = Path.Combine(oldDir, Trainer.SummaryFile);
            if (File.Exists(summaryPath))
            {
                var summary = Files.ReadJson<RunSummary>(summaryPath);
                if (summary.Init is not null) Files.WriteJsonAtomic(summaryPath, summary with { Init = $"../../grown/{newId}" });
            }
            if (oldId != newId) Directory.Move(oldDir, store.RunDir(newId));
            var grown = store.GrownDir(oldId);
            if (Directory.Exists(grown))
            {
                var legacyMlp = Path.Combine(grown, "mlp.json");
                if (File.Exists(legacyMlp)) File.Delete(legacyMlp);
                GrownCheckpoint.WriteConfig(grown, spec.Model);
                var reportPath = Path.Combine(grown, GrownCheckpoint.ReportFile);
                if (File.Exists(reportPath) && spec.Base is not null)
                    Files.WriteJsonAtomic(reportPath, Files.ReadJson<GrowthReport>(reportPath) with { BaseRun = $"../../runs/{spec.Base.Id}" });
                if (oldId != newId) Directory.Move(grown, store.GrownDir(newId));
            }
            if (File.Exists(store.FailureFile(oldId)) && oldId != newId)
                File.Move(store.FailureFile(oldId), store.FailureFile(newId));
        }
        Files.WriteJsonAtomic(store.IndexPath, index with { Runs = index.Runs.Select(New).ToList() });
        return renames;
    }

    /// <summary>A schema-1 spec object in the current JSON form (recursively for its base).</summary>
    static JsonObject Upgrade(JsonObject old)
    {
        var spec = new JsonObject();
        if (old["mlp"] is JsonObject mlp)
        {
            spec["model"] = WithFirst(mlp, "family", "mlp");
            spec["data"] = WithFirst((JsonObject)old["task"]!, "kind", "teacher");
        }
        else
        {
            spec["model"] = WithFirst((JsonObject)old["model"]!, "family", "gpt");
            spec["data"] = new JsonObject { ["kind"] = "corpus", ["source"] = old["data"]?.GetValue<string>() ?? "brown", ["tokenizer"] = old["tokenizer"]?.GetValue<string>() ?? "byte" };
        }
        spec["train"] = old["train"]!.DeepClone();
        if (old["operator"] is JsonObject op) spec["operator"] = op.DeepClone();
        if (old["base"] is JsonObject b) spec["base"] = Upgrade(b);
        return spec;
    }

    static JsonObject WithFirst(JsonObject source, string key, string value)
    {
        var copy = new JsonObject { [key] = value };
        foreach (var (k, v) in source) copy[k] = v?.DeepClone();
        return copy;
    }
}
