using System.Text.Json.Serialization;
using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Tests.Runtime;

/// <summary>The CSV mapper every result table goes through.</summary>
public class CsvTests
{
    public enum Shade
    {
        Light,
        [JsonStringEnumMemberName("rather dark")] RatherDark,
    }

    public sealed record Row(string Name, Method Method, double Value, int Count, bool Flag, Shade Shade, double Optional = double.NaN)
    {
        public string Note { get; init; } = "none";
    }

    [Fact]
    public void RecordsRoundTripWithQuotingNumbersAndSpellings()
    {
        List<Row> rows =
        [
            new("plain", Method.Szp, 1.7619755268096924, 3, true, Shade.Light, 0.01) { Note = "a \"quoted\", comma'd\nline" },
            new("L2-H8x8 (d64, 0.133M)", Method.SzpPermutedBase, double.NaN, 0, false, Shade.RatherDark),
            new("", Method.Scratch, double.PositiveInfinity, -2, false, Shade.Light, double.NegativeInfinity) { Note = "" },
        ];
        string text = Csv.Format(rows);
        Assert.StartsWith("name,method,value,count,flag,shade,optional,note\n", text);
        Assert.Contains("plain,szp,1.7619755268096924,3,True,light,0.01,\"a \"\"quoted\"\", comma'd\nline\"\n", text);
        Assert.Contains("\"L2-H8x8 (d64, 0.133M)\",szp-permuted-base,NaN,0,False,rather dark,NaN,none\n", text);
        Assert.Contains(",scratch,Infinity,-2,False,light,-Infinity,\n", text);
        Assert.Equal(rows, Csv.Parse<Row>(text));
        Assert.Equal(text, Csv.Format(Csv.Parse<Row>(text)));
    }

    [Fact]
    public void AnOldFileMissingOptionalColumnsReadsWithTheRecordsDefaults()
    {
        // runs.csv as written before the init, standard-error and held-out columns.
        const string old = "run_id,method,lambda,sigma,model,params,layers,heads,base_id,base_params,g,tpp,seed,lr,tokens,flops,base_flops,final_val_loss,initial_val_loss,diverged,status\n" +
                           "scratch-6bd65a23c6f1,scratch,0,1,\"L2-H8x8 (d64, 0.133M)\",132864,2,8,,NaN,NaN,20,0,0.01,2658304,2119157415936,0,1.7619755268096924,5.5451779365539551,False,finished\n";
        var run = Assert.Single(Csv.Parse<RunRow>(old));
        Assert.Equal((1.0, "gpt2"), (run.InitScale, run.InitScheme));
        Assert.True(double.IsNaN(run.FinalValLossSe) && double.IsNaN(run.SelectionValLoss));
        Assert.Equal((Method.Scratch, RunStatus.Finished, "", "L2-H8x8 (d64, 0.133M)"), (run.Method, run.Status, run.BaseId, run.Model));
        // An init property missing from the file keeps its initialiser; empty numbers are NaN.
        var row = Assert.Single(Csv.Parse<Row>("name,method,value,count,flag,shade\nx,fp,,1,False,light\n"));
        Assert.Equal(("none", true, true), (row.Note, double.IsNaN(row.Value), double.IsNaN(row.Optional)));
        // A column the record needs is an error that names it.
        var e = Assert.Throws<InvalidDataException>(() => Csv.Parse<Row>("name,method,value,flag,shade\nx,fp,1,False,light\n", "table 't.csv'"));
        Assert.StartsWith("table 't.csv' has no column 'count' for Row.Count", e.Message);
    }

    [Fact]
    public void AnUnknownSpellingIsAOneLineErrorNamingTheValueAndTheAllowedOnes()
    {
        var e = Assert.Throws<InvalidDataException>(() => Csv.Parse<Row>("name,method,value,count,flag,shade\nx,spz,1,1,False,light\n", "table 't.csv'"));
        Assert.Equal($"table 't.csv' line 2, column 'method': unknown method 'spz': allowed are {string.Join(", ", Method.All)}", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var shade = Assert.Throws<InvalidDataException>(() => Csv.Parse<Row>("name,method,value,count,flag,shade\nx,fp,1,1,False,dark\n"));
        Assert.EndsWith("column 'shade': unknown Shade 'dark': allowed are light, rather dark", shade.Message);
        var number = Assert.Throws<InvalidDataException>(() => Csv.Parse<Row>("name,method,value,count,flag,shade\nx,fp,1,1.5,False,light\n"));
        Assert.EndsWith("column 'count': '1.5' is not a whole number", number.Message);
    }

    /// <summary>Every committed table with the record type it is read as.</summary>
    static IEnumerable<(string File, Func<string> Reformat)> CommittedTables(string study)
    {
        static (string, Func<string>) Table<T>(string folder, TableFile<T> table) => (table.In(folder), () => Csv.Format(table.Read(folder)));
        var analysis = AnalysisFiles.Of(study);
        yield return Table(study, new TableFile<RunRow>(ResultTables.RunsFile));
        yield return Table(study, new TableFile<CurveRow>(ResultTables.CurvesFile));
        yield return Table(analysis, AnalysisFiles.BestSettings);
        yield return Table(analysis, AnalysisFiles.Speedup);
        yield return Table(analysis, AnalysisFiles.SpeedupSummary);
        yield return Table(analysis, AnalysisFiles.Ablation);
        yield return Table(analysis, AnalysisFiles.Lambda);
        yield return Table(analysis, AnalysisFiles.ScalingFits);
        yield return Table(analysis, AnalysisFiles.Weights);
        yield return Table(analysis, AnalysisFiles.LrTransfer);
        yield return Table(analysis, AnalysisFiles.LrRankCorrelation);
        yield return Table(analysis, AnalysisFiles.Verdicts);
        yield return Table(analysis, AnalysisFiles.Controls);
        yield return Table(analysis, AnalysisFiles.Tune);
        yield return Table(analysis, AnalysisFiles.FpNoise);
        yield return Table(analysis, AnalysisFiles.Routes);
        yield return Table(analysis, AnalysisFiles.RouteContrasts);
        yield return Table(analysis, AnalysisFiles.HoldOut);
        yield return Table(analysis, Warmstart.Reporting.StudyReadings.File);
        foreach (var method in Method.All)
        {
            foreach (bool withBase in new[] { false, true })
            foreach (bool withScratch in new[] { false, true })
            {
                yield return Table(analysis, AnalysisFiles.IsoFlopPoints(method, withBase, withScratch));
                yield return Table(analysis, AnalysisFiles.IsoFlopFits(method, withBase, withScratch));
            }
            yield return Table(analysis, AnalysisFiles.DeltaGrid(method));
            yield return Table(analysis, AnalysisFiles.DeltaZero(method));
            yield return Table(analysis, AnalysisFiles.DeltaObserved(method));
        }
    }

    [Fact]
    public void EveryCommittedTableReadsIntoItsRecordsAndWritesBackTheSameBytes()
    {
        var root = Path.Combine(NotebookRunner.RepoRoot, "data", "results");
        var checkedFiles = new HashSet<string>();
        foreach (var study in Directory.GetDirectories(root).Where(ResultTables.Exist))
            foreach (var (file, reformat) in CommittedTables(study).Where(t => File.Exists(t.File)))
            {
                Assert.True(File.ReadAllText(file) == reformat(), $"{Path.GetRelativePath(root, file)} does not write back as it reads");
                checkedFiles.Add(file);
            }
        // Every CSV the studies hold has a record type: a table written by name only would fail here.
        var all = Directory.GetDirectories(root).Where(ResultTables.Exist)
            .SelectMany(s => Directory.GetFiles(s, "*.csv").Concat(Directory.Exists(AnalysisFiles.Of(s)) ? Directory.GetFiles(AnalysisFiles.Of(s), "*.csv") : []));
        Assert.Empty(all.Except(checkedFiles).Select(f => Path.GetRelativePath(root, f)));
        Assert.True(checkedFiles.Count > 100, $"only {checkedFiles.Count} tables found under {root}");
    }
}
