using Plotly.NET;

namespace Warmstart.Reporting;

// Pages: a chart as an HTML page that works offline, with plotly.js inline or shared beside it.
public static partial class Figures
{
    /// <summary>The file name of the shared plotly.js that <see cref="SaveStandalone"/> can reference.</summary>
    public const string PlotlyJsFile = "plotly.min.js";

    /// <summary>plotly.js as shipped inside Plotly.NET (the version its charts are written for).</summary>
    public static string PlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var name = assembly.GetManifestResourceNames()
            .First(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The chart as an HTML page whose chart fills the browser window, its <see cref="Caption"/> below.
    /// <paramref name="plotlyJsSource"/> null: plotly.js inline (one self-contained file, ~3.6 MB); otherwise a relative
    /// or absolute URL of plotly.min.js. The body gets <c>data-rendered="1"</c> once plotly has drawn, which
    /// <see cref="ChartRenderer"/> waits for.
    /// </summary>
    public static string ToHtml(GenericChart chart, string title, string? plotlyJsSource = null)
    {
        var figure = GenericChart.toFigureJson(chart).Replace("</", "<\\/");
        // Under the chart, below the first screen: a PNG of the viewport shows the chart alone, the page the caption too.
        string caption = Caption(chart) is { Length: > 0 } text ? $"<p id=\"caption\">{System.Net.WebUtility.HtmlEncode(text)}</p>" : "";
        string script = plotlyJsSource is null
            ? $"<script>{PlotlyJs()}</script>"
            : $"<script src=\"{System.Net.WebUtility.HtmlEncode(plotlyJsSource)}\"></script>";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{System.Net.WebUtility.HtmlEncode(title)}}</title>
            {{script}}
            <style>html, body { margin: 0; height: 100%; background: #fff; } #chart { width: 100%; height: 100%; min-height: 420px; }
            #caption { margin: 8px 24px 16px 60px; max-width: 60em; font: 14px/1.45 "Open Sans", verdana, arial, sans-serif; color: #333; }</style>
            </head><body data-chart="1"><div id="chart"></div>{{caption}}<script>
            var figure = {{figure}};
            Plotly.newPlot('chart', figure.data, figure.layout, { responsive: true, displaylogo: false })
              .then(function () { document.body.dataset.rendered = '1'; });
            </script></body></html>
            """;
    }

    /// <summary>
    /// Writes the chart as an HTML page that works offline. <paramref name="sharedPlotlyJs"/> false: plotly.js is
    /// embedded (the page stands alone). True: plotly.js is written once as <c>plotly.min.js</c> beside the page
    /// and referenced relatively, so a folder of charts carries it once (keep the folder together).
    /// </summary>
    public static void SaveStandalone(GenericChart chart, string path, bool sharedPlotlyJs = false)
    {
        string title = Path.GetFileNameWithoutExtension(path).Replace('_', ' ');
        if (sharedPlotlyJs)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(dir);
            var js = Path.Combine(dir, PlotlyJsFile);
            var content = PlotlyJs();
            if (!File.Exists(js) || new FileInfo(js).Length != System.Text.Encoding.UTF8.GetByteCount(content))
                Runtime.Files.WriteTextAtomic(js, content);
        }
        Runtime.Files.WriteTextAtomic(path, ToHtml(chart, title, sharedPlotlyJs ? PlotlyJsFile : null));
    }
}
