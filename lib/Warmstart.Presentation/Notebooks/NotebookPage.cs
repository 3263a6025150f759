using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Markdig;
using Plotly.NET;
using Warmstart.Reporting;

namespace Warmstart.Notebooks;

/// <summary>
/// What a notebook run as a file-based app showed, written as one page: <c>index.html</c> (self-contained:
/// plotly.js inline, every figure drawn from its data, prose and readings as HTML), its Markdown twin
/// <c>index.md</c> (tables as pipe tables, figures as their PNGs), <c>index.json</c> (what each cell showed: a
/// table, a figure, text or a reading) and, per figure, <c>figure-NN.html</c> (interactive, with plotly.min.js
/// beside it) and <c>figure-NN.png</c> where chromium is installed. The notebook's prose comes from the app's own
/// source, so outputs stand under the cell that showed them, as in the notebook.
/// </summary>
public sealed partial class NotebookPage
{
    public const string HtmlFile = "index.html", MarkdownFile = "index.md", ManifestFile = "index.json";

    /// <summary>What one cell showed.</summary>
    public abstract record Item(int Cell)
    {
        public abstract string Kind { get; }
    }

    public sealed record TextItem(int Cell, string Text) : Item(Cell) { public override string Kind => "text"; }

    public sealed record TableItem(int Cell, TableGrid Grid) : Item(Cell) { public override string Kind => "table"; }

    public sealed record MarkdownItem(int Cell, string Markdown) : Item(Cell) { public override string Kind => "markdown"; }

    /// <param name="Notes">The lines Figures writes under a chart's title, shown in the caption instead (see <see cref="ForPage"/>).</param>
    /// <param name="FigureJson">The chart's figure, its title cut to the first line.</param>
    public sealed record FigureItem(int Cell, int Number, string Title, IReadOnlyList<string> Notes, string FigureJson, string HtmlFile, string? PngFile, string? Problem) : Item(Cell)
    {
        public override string Kind => "figure";
    }

    /// <summary>A line that updates while the cell runs; the page keeps its last text.</summary>
    public sealed record ProgressItem(int Cell) : Item(Cell)
    {
        public override string Kind => "text";
        public string Text { get; set; } = "";
    }

    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    readonly List<NotebookCell> cells;
    readonly List<Item> items = [];
    readonly object gate = new();

    public string Name { get; }
    public string Folder { get; }

    /// <summary>How the run was started (its options), shown at the top of the page.</summary>
    public string Invocation { get; }

    public IReadOnlyList<Item> Items { get { lock (gate) return items.ToList(); } }

    /// <summary>
    /// A new, empty page in <paramref name="folder"/>; what an earlier run left there is removed. Links in the prose
    /// are relative to <paramref name="sourceFolder"/> (the notebook's), and are rewritten to work from the page.
    /// </summary>
    public NotebookPage(string name, string folder, IReadOnlyList<NotebookCell> cells, string invocation, string sourceFolder)
    {
        (Name, Folder, Invocation) = (name, Path.GetFullPath(folder), invocation);
        this.cells = cells.Select(c => c.IsCode ? c : c with { Source = Rebased(c.Source, Path.GetFullPath(sourceFolder), Folder) }).ToList();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true); // stale figures of an earlier run would look current
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The index of the cell that holds source line <paramref name="line"/>; -1 outside every cell.</summary>
    public int CellAt(int line) => cells.FindIndex(c => c.Holds(line));

    public void Add(Item item) { lock (gate) items.Add(item); }

    /// <summary>Writes the figure's interactive page and, where chromium is installed, its PNG; returns the page item.</summary>
    public FigureItem AddFigure(GenericChart chart, int cell)
    {
        int number;
        lock (gate) number = items.OfType<FigureItem>().Count() + 1;
        string stem = $"figure-{number:00}";
        Figures.SaveStandalone(chart, Path.Combine(Folder, stem + ".html"), sharedPlotlyJs: true);
        var png = StaticFigures.Render(chart, out var problem);
        if (png is not null) File.WriteAllBytes(Path.Combine(Folder, stem + ".png"), png.Bytes);
        var (json, title, notes) = ForPage(GenericChart.toFigureJson(chart));
        var item = new FigureItem(cell, number, title ?? stem, notes, json, stem + ".html", png is null ? null : stem + ".png", problem);
        Add(item);
        return item;
    }

    /// <summary>Writes index.html, index.md and index.json; <paramref name="failure"/> (a cell that threw) is shown where it stopped.</summary>
    public void Write(string? failure = null, int failedCell = -1)
    {
        var shown = Items;
        Runtime.Files.WriteTextAtomic(Path.Combine(Folder, HtmlFile), Html(shown, failure, failedCell));
        Runtime.Files.WriteTextAtomic(Path.Combine(Folder, MarkdownFile), MarkdownTwin(shown, failure, failedCell));
        Runtime.Files.WriteTextAtomic(Path.Combine(Folder, ManifestFile), Manifest(shown, failure));
    }

    string Title => cells.FirstOrDefault(c => !c.IsCode)?.Source.Split('\n').FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? Name;

    string Html(IReadOnlyList<Item> shown, string? failure, int failedCell)
    {
        var body = new StringBuilder();
        body.Append($"<p class=\"run\">{Encode(Invocation)}</p>\n");
        foreach (var (cell, index) in cells.Select((c, i) => (c, i)))
        {
            if (!cell.IsCode) { body.Append("<section class=\"prose\">").Append(Markdig.Markdown.ToHtml(cell.Source, Markdown)).Append("</section>\n"); continue; }
            var outputs = shown.Where(i => i.Cell == index).ToList();
            body.Append($"<section class=\"cell\" data-cell=\"{index + 1}\"><details><summary>code</summary><pre><code>{Encode(cell.Source)}</code></pre></details>\n");
            foreach (var item in outputs) body.Append(HtmlOf(item)).Append('\n');
            if (index == failedCell && failure is not null) body.Append($"<pre class=\"failure\">{Encode(failure)}</pre>\n");
            body.Append("</section>\n");
        }
        if (failedCell < 0 && failure is not null) body.Append($"<pre class=\"failure\">{Encode(failure)}</pre>\n");
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Encode(Title)}}</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1000px; margin: 1.5em auto; padding: 0 1em; color: #222; line-height: 1.45; }
            p.run { color: #666; font-size: 0.85em; border-bottom: 1px solid #ddd; padding-bottom: 0.5em; }
            section.cell { margin: 0.6em 0 1em; }
            details > summary { color: #888; font-size: 0.8em; cursor: pointer; }
            details pre { background: #f6f8fa; padding: 0.6em; overflow-x: auto; font-size: 0.85em; }
            pre.output { background: #fafafa; border-left: 3px solid #ccc; padding: 0.4em 0.6em; white-space: pre-wrap; margin: 0.4em 0; }
            pre.failure { background: #fff0f0; border-left: 3px solid #c00; color: #900; padding: 0.4em 0.6em; white-space: pre-wrap; }
            div.output { overflow-x: auto; margin: 0.4em 0; }
            figure.output { margin: 0.8em 0; }
            figure.output .plot { width: 100%; height: 520px; }
            figure.output figcaption { color: #555; font-size: 0.85em; }
            table { border-collapse: collapse; } code { font-size: 0.9em; }
            </style>
            <script>{{Figures.PlotlyJs()}}</script>
            </head><body data-notebook="{{Encode(Name)}}">
            {{body}}</body></html>
            """;
    }

    static string HtmlOf(Item item) => item switch
    {
        TableItem t => $"<div class=\"output table\">{HtmlTable.Of(t.Grid)}</div>",
        MarkdownItem m => $"<div class=\"output markdown\">{Markdig.Markdown.ToHtml(m.Markdown, Markdown)}</div>",
        FigureItem f => $$"""
            <figure class="output figure" id="figure-{{f.Number}}"><div class="plot" id="plot-{{f.Number}}"></div>
            <figcaption>Figure {{f.Number}}: {{Encode(f.Title)}} · {{(f.PngFile is null ? "" : $"<a href=\"{f.PngFile}\">PNG</a> · ")}}<a href="{{f.HtmlFile}}">interactive page</a>{{(f.Problem is null ? "" : $" · {Encode(f.Problem)}")}}{{(f.Notes.Count == 0 ? "" : "<br>" + string.Join("<br>", f.Notes.Select(Encode)))}}</figcaption></figure>
            <script>(function () { var figure = {{f.FigureJson.Replace("</", "<\\/")}}; Plotly.newPlot('plot-{{f.Number}}', figure.data, figure.layout, { responsive: true, displaylogo: false }); })();</script>
            """,
        ProgressItem p => $"<pre class=\"output text\">{Encode(p.Text)}</pre>",
        TextItem t => $"<pre class=\"output text\">{Encode(t.Text)}</pre>",
        _ => throw new InvalidOperationException($"unreachable: a page item of kind {item.Kind}"),
    };

    string MarkdownTwin(IReadOnlyList<Item> shown, string? failure, int failedCell)
    {
        var text = new StringBuilder();
        text.Append($"*{Invocation}*\n\n");
        foreach (var (cell, index) in cells.Select((c, i) => (c, i)))
        {
            if (!cell.IsCode) { text.Append(cell.Source.TrimEnd()).Append("\n\n"); continue; }
            foreach (var item in shown.Where(i => i.Cell == index)) text.Append(MarkdownOf(item).TrimEnd()).Append("\n\n");
            if (index == failedCell && failure is not null) text.Append($"**Stopped here:**\n\n```\n{failure}\n```\n\n");
        }
        if (failedCell < 0 && failure is not null) text.Append($"**Stopped:**\n\n```\n{failure}\n```\n\n");
        return text.ToString().TrimEnd() + "\n";
    }

    static string MarkdownOf(Item item) => item switch
    {
        TableItem t => TextTable.Markdown(t.Grid),
        MarkdownItem m => m.Markdown,
        FigureItem f => f.PngFile is null
            ? $"*Figure {f.Number}: {f.Title}* ([interactive page]({f.HtmlFile}))"
            : $"![Figure {f.Number}: {f.Title}]({f.PngFile})\n\n*Figure {f.Number}: {f.Title}* ([interactive page]({f.HtmlFile}))"
              + string.Concat(f.Notes.Select(n => "\\\n" + n)),
        ProgressItem p => Fenced(p.Text),
        TextItem t => Fenced(t.Text),
        _ => throw new InvalidOperationException($"unreachable: a page item of kind {item.Kind}"),
    };

    static string Fenced(string text) => $"```text\n{text.TrimEnd()}\n```";

    string Manifest(IReadOnlyList<Item> shown, string? failure) => JsonSerializer.Serialize(new
    {
        notebook = Name,
        invocation = Invocation,
        failure,
        outputs = shown.Select(i => new
        {
            cell = i.Cell + 1, // 1-based, as the notebook's cells are counted everywhere else
            kind = i.Kind,
            title = (i as FigureItem)?.Title ?? (i as TableItem)?.Grid.Title,
            caption = (i as TableItem)?.Grid.Caption,
            png = (i as FigureItem)?.PngFile,
            html = (i as FigureItem)?.HtmlFile,
        }),
    }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>
    /// The figure for a page that holds several: its title cut to the first line, and the notes under it (Figures
    /// writes them as further title lines) returned as plain text for the caption. plotly.js 3 shifts the lines of a
    /// multi-line title again on every automargin redraw, and with several plots on one page the redraws repeat, so
    /// the notes would end up far above their plot; the standalone pages and PNGs keep the title whole.
    /// </summary>
    static (string Json, string? Title, List<string> Notes) ForPage(string figureJson)
    {
        var figure = JsonNode.Parse(figureJson)!.AsObject();
        if (figure["layout"]?["title"] is not JsonObject title || title["text"]?.GetValue<string>() is not { } text) return (figureJson, null, []);
        var lines = BreakTag().Split(text).Select(l => WebUtility.HtmlDecode(Tag().Replace(l, "")).Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) return (figureJson, null, []);
        title["text"] = System.Security.SecurityElement.Escape(lines[0]);
        return (figure.ToJsonString(), lines[0], lines.Skip(1).ToList());
    }

    // A Markdown link or image whose target is a relative path: [text](target) or ![alt](target).
    static string Rebased(string markdown, string from, string to) => RelativeLink().Replace(markdown, m =>
    {
        string target = m.Groups["target"].Value;
        string rebased = Path.GetRelativePath(to, Path.GetFullPath(Path.Combine(from, target))).Replace('\\', '/');
        return $"]({rebased}{m.Groups["rest"].Value})";
    });

    [GeneratedRegex(@"\]\((?<target>(?![a-zA-Z][a-zA-Z0-9+.-]*:|[#/])[^)\s#]+)(?<rest>[^)]*)\)")]
    private static partial Regex RelativeLink();

    [GeneratedRegex("<br\\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex BreakTag();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    static string Encode(string s) => HtmlTable.Encode(s);
}
