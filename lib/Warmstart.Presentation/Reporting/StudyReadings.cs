using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Reporting;

/// <summary>Which reading beyond the paper's claims a row of analysis/readings.csv holds.</summary>
public enum ReadingTopic { Tuning, Controls, Routes, Progressive }

/// <summary>
/// One reading beyond the paper's claims as a study's report wrote it: its topic, which part of it (the controls'
/// answer has one per g, then "overall"; the others one part, ""), and its Markdown.
/// </summary>
public sealed record ReadingRow(ReadingTopic Topic, string Part, string Markdown);

/// <summary>
/// The readings beyond the paper that a study's data hold, written by its report into analysis/readings.csv so that the
/// README and the notebooks show the report's sentences instead of computing their own.
/// </summary>
public static class StudyReadings
{
    public static readonly TableFile<ReadingRow> File = new("readings.csv");

    /// <summary>The part name of the controls' answer across every g.</summary>
    public const string Overall = "overall";

    /// <summary>
    /// Every reading that applies to a study: tuning, controls and routes from its raw tables (every setting it tried),
    /// progressive growth from its speedup summary (one setting per configuration, as the report compares them).
    /// </summary>
    public static List<ReadingRow> Of(ResultTables raw, IReadOnlyList<SpeedupSummaryRow> summary)
    {
        var rows = new List<ReadingRow>();
        if (Tuning.Applies(raw)) rows.Add(new(ReadingTopic.Tuning, "", Readings.Tuning(raw)));
        if (Controls.Applies(raw))
            rows.AddRange(Controls.Answer(raw).Select(a => new ReadingRow(ReadingTopic.Controls, PartOf(a), Readings.Controls(a))));
        if (Routes.Applies(raw)) rows.Add(new(ReadingTopic.Routes, "", Readings.Routes(Routes.Compare(raw), Routes.Contrasts(raw))));
        if (summary.Any(r => r.Method == Method.StackProgressive)) rows.Add(new(ReadingTopic.Progressive, "", Readings.Progressive(summary)));
        return rows;
    }

    /// <summary><see cref="Of"/> from the raw tables alone, comparing them as the report does (for a folder with no report).</summary>
    public static List<ReadingRow> Of(ResultTables raw) =>
        Of(raw, Speedup.Summary(Speedup.Compute(Report.Compared(Selection.BestPerConfiguration(raw).Selected))));

    static string PartOf(ControlsAnswer a) =>
        double.IsNaN(a.G) ? Overall : FormattableString.Invariant($"g = {a.G:0.##}") + (a.SeveralCells ? FormattableString.Invariant($" ({a.Model}, {a.Tpp:0.#} TPP)") : "");
}
