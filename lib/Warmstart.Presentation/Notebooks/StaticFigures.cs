using Plotly.NET;
using Warmstart.Reporting;

namespace Warmstart.Notebooks;

/// <summary>A PNG image for a notebook output; setup.dib registers its "image/png" formatter (base64 of the bytes).</summary>
public sealed record PngImage(byte[] Bytes)
{
    public string Base64 => Convert.ToBase64String(Bytes);

    public override string ToString() => $"PNG image, {Bytes.Length:N0} bytes";
}

/// <summary>
/// Static copies of the notebooks' charts: the chart drawn in headless chromium (<see cref="ChartRenderer"/>, the
/// system executable, nothing downloaded) and screenshotted, so a saved notebook shows its figures where plotly.js
/// cannot load (GitHub, an offline VS Code). One browser serves the whole kernel session; it closes with the process.
/// <c>WARMSTART_STATIC_FIGURES=false</c> turns the static copies off.
/// </summary>
public static class StaticFigures
{
    /// <summary>Size of the static image in pixels: 900 px fits GitHub's notebook column unscaled and keeps a chart near 100 KB.</summary>
    public const int Width = 900, Height = 520;
    public const double Scale = 1;

    static readonly SemaphoreSlim Gate = new(1, 1);
    static ChartRenderer? renderer;
    static string? folder;

    /// <summary>True when static images will be made: chromium is installed and WARMSTART_STATIC_FIGURES is not off.</summary>
    public static bool Enabled => Workbook.Flag("WARMSTART_STATIC_FIGURES", true) && ChartRenderer.IsAvailable();

    /// <summary>
    /// The chart as a PNG; null when chromium is absent or static figures are off, and null with
    /// <paramref name="problem"/> when the page did not draw. Never throws for a rendering problem: the interactive chart is still shown.
    /// </summary>
    public static PngImage? Render(GenericChart chart, out string? problem, int width = Width, int height = Height, double scale = Scale)
    {
        problem = null;
        if (!Enabled) return null; // no chromium, or turned off: the interactive chart alone, no note
        string? failure = null;
        var png = Task.Run(async () =>
        {
            await Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var started = await StartedAsync().ConfigureAwait(false);
                var (bytes, check) = await started.RenderFigureAsync(GenericChart.toFigureJson(chart), Path.Combine(folder!, Figures.PlotlyJsFile),
                    width, height, scale).ConfigureAwait(false);
                if (bytes is null || !check.Drew)
                {
                    failure = check.ConsoleErrors.Count > 0 ? $"the chart did not draw in chromium: {check.ConsoleErrors[0]}" : "the chart did not draw in chromium";
                    return null;
                }
                return new PngImage(bytes);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failure = $"static image failed ({e.GetType().Name})"; // the message may name temporary paths
                // A browser that failed may be unusable: start a fresh one next time.
                try { renderer?.Dispose(); } catch (Exception) { }
                renderer = null;
                return null;
            }
            finally { Gate.Release(); }
        }).GetAwaiter().GetResult();
        problem = failure;
        return png;
    }

    // The shared browser, started on first use (call with the gate held).
    static async Task<ChartRenderer> StartedAsync()
    {
        if (folder is null)
        {
            folder = Directory.CreateTempSubdirectory("warmstart-figures-").FullName;
            await File.WriteAllTextAsync(Path.Combine(folder, Figures.PlotlyJsFile), Figures.PlotlyJs()).ConfigureAwait(false);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Close();
        }
        return renderer ??= await ChartRenderer.StartAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the browser and loads plotly.js in the background (setup.dib calls it), so the first figure of a
    /// notebook does not wait for chromium. Does nothing without chromium; a failure here is retried by the first figure.
    /// </summary>
    public static void WarmUp()
    {
        if (!Enabled) return;
        _ = Task.Run(async () =>
        {
            await Gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var started = await StartedAsync().ConfigureAwait(false);
                await started.RenderFigureAsync("{\"data\":[],\"layout\":{}}", Path.Combine(folder!, Figures.PlotlyJsFile), 100, 100).ConfigureAwait(false);
            }
            catch (Exception) { } // the first figure starts it again and reports what failed
            finally { Gate.Release(); }
        });
    }

    /// <summary>Closes the shared browser and removes its temporary folder.</summary>
    public static void Close()
    {
        try { renderer?.Dispose(); } catch (Exception) { }
        renderer = null;
        try { if (folder is not null && Directory.Exists(folder)) Directory.Delete(folder, recursive: true); } catch (Exception) { }
        folder = null;
    }
}
