using Microsoft.Data.Analysis;
using Warmstart.Analysis;

namespace Warmstart.Notebooks;

/// <summary>
/// The scaling-law fits and ΔL maps that <c>report</c> already wrote under a results folder's analysis/: read back
/// instead of refitted (each law is a grid of 1600 bounded-BFGS starts), so a notebook on committed results opens
/// in seconds. The frames have the same columns as <see cref="ScalingLaw.FitByMethod"/> and
/// <see cref="ScalingLaw.Map"/> produce.
/// </summary>
public static class CommittedFits
{
    public const string FitsFile = "scaling_fits.csv";

    /// <summary>analysis/scaling_fits.csv under <paramref name="resultsDir"/>, or null when the report did not write it.</summary>
    public static string? Find(string resultsDir)
    {
        var path = Path.Combine(resultsDir, "analysis", FitsFile);
        return File.Exists(path) ? path : null;
    }

    /// <summary>scaling_fits.csv as <see cref="ScalingLaw.FitByMethod"/> returns it (method and reason as text).</summary>
    public static DataFrame Load(string path)
    {
        var frame = Frames.Load(path);
        foreach (var name in new[] { "method", "reason" })
        {
            if (!Frames.Has(frame, name)) throw new InvalidDataException($"'{path}' has no '{name}' column: not a scaling_fits.csv");
            if (frame.Columns[name] is StringDataFrameColumn) continue;
            // An all-empty column reads back as numbers (NaN): make it text again.
            var text = Frames.Strings(frame, name).Select(s => s == "NaN" ? "" : s);
            frame.Columns[frame.Columns.IndexOf(name)] = new StringDataFrameColumn(name, text);
        }
        return frame;
    }

    /// <summary>The fitted law of <paramref name="method"/> in a scaling_fits frame; throws the recorded reason when it has none.</summary>
    public static ScalingFit Fit(DataFrame fits, string method)
    {
        var methods = Frames.Strings(fits, "method");
        int i = Array.IndexOf(methods, method);
        if (i < 0) throw new ArgumentException($"no scaling-law fit for '{method}' (fitted: {string.Join(", ", methods)})");
        double D(string column) => Frames.Doubles(fits, column)[i];
        string reason = Frames.Strings(fits, "reason")[i];
        if (reason.Length > 0) throw new ArgumentException(reason);
        var fit = new ScalingFit(D("a"), D("alpha"), D("b"), D("beta"), D("e"), D("r2"), (int)D("points"), double.NaN);
        if (!new[] { fit.A, fit.Alpha, fit.B, fit.Beta, fit.E }.All(double.IsFinite))
            throw new ArgumentException($"the committed fit for '{method}' has no parameters");
        return fit;
    }

    /// <summary>
    /// The ΔL map of <paramref name="method"/> from <paramref name="resultsDir"/>/analysis (the laws from
    /// scaling_fits.csv, grid, zero line and observed differences from delta_*_&lt;method&gt;.csv); null when any
    /// of those files is missing (the caller then computes the map). A law recorded as not fittable throws its reason.
    /// </summary>
    public static DeltaMap? LoadMap(string resultsDir, string method)
    {
        if (Find(resultsDir) is not { } fitsPath) return null;
        string analysis = Path.Combine(resultsDir, "analysis");
        string[] parts = ["grid", "zero", "observed"];
        var paths = parts.Select(p => Path.Combine(analysis, $"delta_{p}_{method}.csv")).ToArray();
        var fits = Load(fitsPath);
        var scratch = Fit(fits, "scratch");
        var warm = Fit(fits, method);
        if (!paths.All(File.Exists)) return null;
        return new DeltaMap(scratch, warm, Frames.Load(paths[0]), Frames.Load(paths[1]), Frames.Load(paths[2]));
    }
}
