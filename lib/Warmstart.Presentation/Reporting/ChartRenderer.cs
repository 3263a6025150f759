using PuppeteerSharp;

namespace Warmstart.Reporting;

/// <summary>What a chart page looked like once drawn: plot SVG present, trace count, and console errors.</summary>
public sealed record PageCheck(string Page, bool HasPlotSvg, int Traces, IReadOnlyList<string> ConsoleErrors)
{
    public bool Drew => HasPlotSvg && Traces > 0 && ConsoleErrors.Count == 0;
}

/// <summary>Thrown when no chromium executable exists where the renderer looks for one.</summary>
public sealed class ChromiumMissingException(string path)
    : FileNotFoundException($"no chromium at {path}: apt-get install chromium", path);

/// <summary>
/// Renders the standalone chart pages (<see cref="Figures.SaveStandalone"/>) in a real headless browser: Debian's
/// system chromium (<c>apt-get install chromium</c>, or <c>build/chromium/install.sh</c>) driven by PuppeteerSharp
/// with <see cref="LaunchOptions.ExecutablePath"/> set, so nothing is ever downloaded. Writes PNG screenshots of
/// the drawn plot and reports whether each page drew (plot SVG present, traces &gt; 0, no console errors).
/// <c>WARMSTART_CHROMIUM</c> overrides the executable path.
/// </summary>
public sealed class ChartRenderer : IAsyncDisposable, IDisposable
{
    public const string DefaultExecutable = "/usr/bin/chromium";
    public const int DefaultWidth = 1000, DefaultHeight = 600;

    /// <summary>The chromium executable used: <c>WARMSTART_CHROMIUM</c> if set, else /usr/bin/chromium.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("WARMSTART_CHROMIUM") is { Length: > 0 } path ? path : DefaultExecutable;

    /// <summary>True when the chromium executable exists (the browser test and the PNG export need it).</summary>
    public static bool IsAvailable(string? executable = null) => File.Exists(executable ?? ExecutablePath);

    // Flags for a closed network and a root user: no sandbox (root), no GPU, no background connections.
    static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--hide-scrollbars", "--mute-audio", "--font-render-hinting=none",
    ];

    readonly IBrowser browser;

    ChartRenderer(IBrowser browser) => this.browser = browser;

    /// <summary>Starts headless chromium; throws <see cref="ChromiumMissingException"/> when it is not installed.</summary>
    public static async Task<ChartRenderer> StartAsync(string? executable = null)
    {
        executable ??= ExecutablePath;
        if (!File.Exists(executable)) throw new ChromiumMissingException(executable);
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            Headless = true,
            ExecutablePath = executable,
            Browser = SupportedBrowser.Chromium,
            Args = Flags,
            Timeout = 60_000,
            // DevTools over a pipe, not a websocket: chromium reads its commands from a pipe this process holds, and
            // exits when it closes — so it never outlives us, however we end (an exception, Ctrl-C, SIGTERM, SIGKILL).
            Pipe = true,
        }).ConfigureAwait(false);
        return new ChartRenderer(browser);
    }

    /// <summary>
    /// Opens a chart page, waits until plotly has drawn it, and writes a PNG of the viewport when
    /// <paramref name="pngPath"/> is given. Pages that fail to draw within the timeout report what they had.
    /// </summary>
    public async Task<PageCheck> RenderAsync(string htmlPath, string? pngPath = null, int width = DefaultWidth, int height = DefaultHeight,
        double scale = 2, int timeoutMs = 30_000)
    {
        var full = Path.GetFullPath(htmlPath);
        if (!File.Exists(full)) throw new FileNotFoundException($"chart page '{full}' does not exist", full);
        var errors = new List<string>();
        await using var page = await browser.NewPageAsync().ConfigureAwait(false);
        page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) lock (errors) errors.Add(e.Message.Text); };
        page.PageError += (_, e) => { lock (errors) errors.Add(e.Message); };
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height, DeviceScaleFactor = scale }).ConfigureAwait(false);
        await page.GoToAsync(new Uri(full).AbsoluteUri, new NavigationOptions { Timeout = timeoutMs, WaitUntil = [WaitUntilNavigation.Load] })
            .ConfigureAwait(false);
        try
        {
            // Figures' pages set data-rendered once Plotly.newPlot's promise resolves; other pages: the plot SVG.
            await page.WaitForFunctionAsync(
                "() => document.body.dataset.rendered === '1' || (!document.body.hasAttribute('data-chart') && document.querySelector('.js-plotly-plot .main-svg') !== null)",
                new WaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 50 }).ConfigureAwait(false);
        }
        catch (WaitTaskTimeoutException)
        {
            lock (errors) errors.Add($"the plot did not finish drawing within {timeoutMs} ms");
        }
        bool svg = await page.EvaluateExpressionAsync<bool>("document.querySelector('.js-plotly-plot .main-svg') !== null").ConfigureAwait(false);
        int traces = await page.EvaluateExpressionAsync<int>(
            "(() => { const p = document.querySelector('.js-plotly-plot'); return p && p.data ? p.data.length : 0; })()").ConfigureAwait(false);
        if (pngPath is not null)
        {
            // A still image has no use for plotly's hover toolbar.
            await page.AddStyleTagAsync(new AddTagOptions { Content = ".modebar-container { display: none !important; }" }).ConfigureAwait(false);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
            var temp = pngPath + ".tmp";
            await page.ScreenshotAsync(temp, new ScreenshotOptions { Type = ScreenshotType.Png }).ConfigureAwait(false);
            File.Move(temp, pngPath, overwrite: true);
        }
        lock (errors) return new PageCheck(full, svg, traces, errors.ToList());
    }

    /// <summary>Renders every <c>*.html</c> page of a folder to a PNG beside it (same name, .png).</summary>
    public async Task<List<PageCheck>> RenderFolderAsync(string folder)
    {
        var checks = new List<PageCheck>();
        foreach (var html in Directory.GetFiles(folder, "*.html").OrderBy(f => f, StringComparer.Ordinal))
            checks.Add(await RenderAsync(html, Path.ChangeExtension(html, ".png")).ConfigureAwait(false));
        return checks;
    }

    /// <summary>
    /// Synchronous entry for callers such as <c>report</c>: renders the given pages to PNGs beside them. Throws
    /// <see cref="ChromiumMissingException"/> when chromium is absent.
    /// </summary>
    public static List<PageCheck> RenderPngs(IEnumerable<string> htmlPages, string? executable = null)
    {
        var pages = htmlPages.ToList();
        if (pages.Count == 0) return [];
        // Task.Run: no caller's synchronisation context is captured, so blocking here cannot deadlock.
        return Task.Run(async () =>
        {
            await using var renderer = await StartAsync(executable).ConfigureAwait(false);
            var checks = new List<PageCheck>();
            foreach (var html in pages)
                checks.Add(await renderer.RenderAsync(html, Path.ChangeExtension(html, ".png")).ConfigureAwait(false));
            return checks;
        }).GetAwaiter().GetResult();
    }

    IPage? figurePage;
    readonly List<string> figureErrors = [];

    /// <summary>
    /// Draws a chart from its figure JSON (<c>GenericChart.toFigureJson</c>) on one page that stays open with
    /// plotly.js loaded once (from <paramref name="plotlyJsPath"/>, e.g. <see cref="Figures.PlotlyJs"/> written to a
    /// file), and returns a PNG of the viewport with whether it drew. Much faster than a page per chart when many
    /// charts are drawn in a row (a notebook's figures): plotly.js (3.6 MB) is parsed once. Calls must not overlap.
    /// </summary>
    public async Task<(byte[]? Png, PageCheck Check)> RenderFigureAsync(string figureJson, string plotlyJsPath,
        int width = DefaultWidth, int height = DefaultHeight, double scale = 1, int timeoutMs = 30_000)
    {
        string script = Path.GetFullPath(plotlyJsPath);
        if (!File.Exists(script)) throw new FileNotFoundException($"plotly.js not found at '{script}'", script);
        if (figurePage is null)
        {
            string html = Path.Combine(Path.GetDirectoryName(script)!, "warmstart-figure-page.html");
            await File.WriteAllTextAsync(html, $$"""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><script src="{{System.Net.WebUtility.HtmlEncode(Path.GetFileName(script))}}"></script>
                <style>html, body { margin: 0; height: 100%; background: #fff; } #chart { width: 100%; height: 100%; } .modebar-container { display: none !important; }</style>
                </head><body><div id="chart"></div></body></html>
                """).ConfigureAwait(false);
            var page = await browser.NewPageAsync().ConfigureAwait(false);
            page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) lock (figureErrors) figureErrors.Add(e.Message.Text); };
            page.PageError += (_, e) => { lock (figureErrors) figureErrors.Add(e.Message); };
            await page.GoToAsync(new Uri(html).AbsoluteUri, new NavigationOptions { Timeout = timeoutMs, WaitUntil = [WaitUntilNavigation.Load] })
                .ConfigureAwait(false);
            await page.WaitForFunctionAsync("() => typeof Plotly !== 'undefined'", new WaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 50 })
                .ConfigureAwait(false);
            figurePage = page;
        }
        lock (figureErrors) figureErrors.Clear();
        await figurePage.SetViewportAsync(new ViewPortOptions { Width = width, Height = height, DeviceScaleFactor = scale }).ConfigureAwait(false);
        int traces = await figurePage.EvaluateFunctionAsync<int>("""
            async (json) => {
              const figure = JSON.parse(json);
              Plotly.purge('chart');
              await Plotly.newPlot('chart', figure.data, figure.layout, { responsive: true, displaylogo: false, displayModeBar: false });
              const plot = document.getElementById('chart');
              return plot.data ? plot.data.length : 0;
            }
            """, figureJson).ConfigureAwait(false);
        bool svg = await figurePage.EvaluateExpressionAsync<bool>("document.querySelector('#chart .main-svg') !== null").ConfigureAwait(false);
        var png = await figurePage.ScreenshotDataAsync(new ScreenshotOptions { Type = ScreenshotType.Png }).ConfigureAwait(false);
        lock (figureErrors) return (png, new PageCheck("figure", svg, traces, figureErrors.ToList()));
    }

    /// <summary>How long a browser gets to close before it is killed with its process tree.</summary>
    static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Closes the browser; one that does not close within <see cref="CloseTimeout"/> is killed with its process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        var process = browser.Process;
        try { await browser.CloseAsync().WaitAsync(CloseTimeout).ConfigureAwait(false); }
        catch (Exception e) when (e is TimeoutException or PuppeteerException or IOException or ObjectDisposedException) { }
        finally
        {
            try { browser.Dispose(); } catch (Exception e) when (e is PuppeteerException or IOException or ObjectDisposedException) { }
            try
            {
                if (process is { HasExited: false }) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException) { } // it exited between the check and the kill
        }
    }

    public void Dispose() => Task.Run(async () => await DisposeAsync().ConfigureAwait(false)).GetAwaiter().GetResult();
}
