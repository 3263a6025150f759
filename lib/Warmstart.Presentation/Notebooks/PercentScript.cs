using System.Text;

namespace Warmstart.Notebooks;

/// <summary>A notebook cell: code or prose (Markdown), as its source text.</summary>
/// <param name="FirstLine">In a parsed script: the 1-based line of the cell's first source line (0 when not parsed from a script).</param>
/// <param name="LastLine">In a parsed script: the 1-based line of its last source line.</param>
public sealed record NotebookCell(bool IsCode, string Source, int FirstLine = 0, int LastLine = 0)
{
    public bool Holds(int line) => line >= FirstLine && line <= LastLine;
}

/// <summary>
/// jupytext's "percent" format for C#, the common way to keep a notebook as a script: each cell starts with a
/// <c>// %%</c> line (<c>// %% [markdown]</c> for prose, whose lines are then commented with <c>// </c>), cells are
/// separated by a blank line, and whatever precedes the first marker is a header that belongs to no cell.
/// </summary>
public static class PercentScript
{
    public const string CodeMarker = "// %%", ProseMarker = "// %% [markdown]";

    /// <summary>The script text of <paramref name="cells"/> after <paramref name="header"/> (comment lines; may be empty).</summary>
    public static string Write(IEnumerable<NotebookCell> cells, IEnumerable<string> header)
    {
        var text = new StringBuilder();
        foreach (var line in header) text.Append(line).Append('\n');
        foreach (var cell in cells)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(cell.IsCode ? CodeMarker : ProseMarker).Append('\n');
            foreach (var line in Lines(cell.Source))
                text.Append(cell.IsCode ? line : line.Length == 0 ? "//" : "// " + line).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The cells of a percent-format script, with the lines each one spans.</summary>
    public static List<NotebookCell> Parse(string script)
    {
        var lines = script.ReplaceLineEndings("\n").Split('\n');
        var cells = new List<NotebookCell>();
        int start = -1;
        bool prose = false;
        void Close(int end) // end: index of the first line after the cell
        {
            if (start < 0) return;
            int first = start + 1, last = end - 1;
            while (last >= first && lines[last].Trim().Length == 0) last--; // the blank line between cells
            var body = lines[first..(last + 1)].Select(l => prose ? Uncomment(l) : l);
            cells.Add(new NotebookCell(!prose, string.Join("\n", body), first + 1, last + 1));
        }
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i] != CodeMarker && lines[i] != ProseMarker) continue;
            Close(i);
            start = i;
            prose = lines[i] == ProseMarker;
        }
        Close(lines.Length);
        return cells;
    }

    static string Uncomment(string line) =>
        line.StartsWith("// ", StringComparison.Ordinal) ? line[3..] : line.StartsWith("//", StringComparison.Ordinal) ? line[2..] : line;

    // A cell's lines, without the trailing newline a notebook may keep (a cell's text never ends in a blank line here).
    static string[] Lines(string source) => source.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
