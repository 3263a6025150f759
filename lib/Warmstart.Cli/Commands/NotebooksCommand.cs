using System.CommandLine;
using Warmstart.Notebooks;

namespace Warmstart.Cli.Commands;

/// <summary>Keeps each notebook's file-based app (notebooks/NN-name.cs) generated from the notebook (NN-name.ipynb).</summary>
static class NotebooksCommand
{
    public static Command Create()
    {
        Option<string> Folder() => new("--folder") { Description = "the notebooks' folder", DefaultValueFactory = _ => "notebooks" };
        var syncFolder = Folder();
        var sync = new Command("sync", "Regenerate each notebook's file-based app (NN-name.cs) from the notebook") { syncFolder };
        sync.SetAction(r => Cli.Guard(() =>
        {
            var changed = NotebookScripts.Sync(r.GetValue(syncFolder)!);
            foreach (var script in changed) Console.Out.WriteLine($"wrote {Path.GetRelativePath(Directory.GetCurrentDirectory(), script)}");
            Console.Out.WriteLine(changed.Count == 0 ? "every file-based app is up to date" : $"{changed.Count} file-based app(s) regenerated");
            return 0;
        }));
        var checkFolder = Folder();
        var check = new Command("check", "Exit 1 if a notebook's file-based app differs from what the notebook generates") { checkFolder };
        check.SetAction(r => Cli.Guard(() =>
        {
            var differences = NotebookScripts.Check(r.GetValue(checkFolder)!);
            foreach (var d in differences) Console.Out.WriteLine($"{Path.GetRelativePath(Directory.GetCurrentDirectory(), d.Script)}: {d.Problem}");
            if (differences.Count == 0) Console.Out.WriteLine("every file-based app matches its notebook");
            return differences.Count == 0 ? 0 : 1;
        }));
        return new Command("notebooks", "The notebooks' file-based apps: generate them from the notebooks, or check that they match") { sync, check };
    }
}
