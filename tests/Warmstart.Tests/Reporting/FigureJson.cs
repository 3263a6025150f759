using System.Text.Json;
using Plotly.NET;
using Warmstart.Analysis;

namespace Warmstart.Tests.Reporting;

/// <summary>What the figure tests read: a committed study's analysis tables, and a chart as its plotly JSON.</summary>
static class FigureJson
{
    public static string Study(string study) => Path.Combine(NotebookRunner.RepoRoot, "data", "results", study);

    public static List<T> Committed<T>(string study, TableFile<T> table) => table.Read(AnalysisFiles.Of(Study(study)));

    public static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toFigureJson(chart)).RootElement.Clone();

    public static IEnumerable<JsonElement> Traces(JsonElement figure) => figure.GetProperty("data").EnumerateArray();
}
