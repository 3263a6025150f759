using Warmstart.Analysis;
using Warmstart.Runtime;
using Warmstart.Training;

namespace Warmstart.Notebooks;

/// <summary>
/// The scaling-law fits and ΔL maps that <c>report</c> already wrote under a results folder's analysis/: read back
/// instead of refitted (each law is a grid of 1600 bounded-BFGS starts), so a notebook on committed results opens
/// in seconds. The rows are the ones <see cref="ScalingLaw.FitByMethod"/> and <see cref="ScalingLaw.Map"/> produce.
/// </summary>
public static class CommittedFits
{
    /// <summary>analysis/scaling_fits.csv under <paramref name="resultsDir"/>, or null when the report did not write it.</summary>
    public static string? Find(string resultsDir)
    {
        var path = AnalysisFiles.ScalingFits.In(AnalysisFiles.Of(resultsDir));
        return File.Exists(path) ? path : null;
    }

    /// <summary>scaling_fits.csv as <see cref="ScalingLaw.FitByMethod"/> returns it.</summary>
    public static List<ScalingFitRow> Load(string path) => Csv.Read<ScalingFitRow>(path);

    /// <summary>The fitted law of <paramref name="method"/> among <paramref name="fits"/>; throws the recorded reason when it has none.</summary>
    public static ScalingFit Fit(IReadOnlyList<ScalingFitRow> fits, Method method)
    {
        var row = fits.FirstOrDefault(f => f.Method == method)
                  ?? throw new ArgumentException($"no scaling-law fit for '{method}' (fitted: {string.Join(", ", fits.Select(f => f.Method))})");
        if (row.Reason.Length > 0) throw new ArgumentException(row.Reason);
        var fit = new ScalingFit(row.A, row.Alpha, row.B, row.Beta, row.E, row.R2, row.Points, double.NaN);
        if (!new[] { fit.A, fit.Alpha, fit.B, fit.Beta, fit.E }.All(double.IsFinite))
            throw new ArgumentException($"the committed fit for '{method}' has no parameters");
        return fit;
    }

    /// <summary>
    /// The ΔL map of <paramref name="method"/> from <paramref name="resultsDir"/>/analysis (the laws from
    /// scaling_fits.csv, grid, zero line and observed differences from delta_*_&lt;method&gt;.csv); null when any
    /// of those files is missing (the caller then computes the map). A law recorded as not fittable throws its reason.
    /// </summary>
    public static DeltaMap? LoadMap(string resultsDir, Method method)
    {
        if (Find(resultsDir) is not { } fitsPath) return null;
        string analysis = AnalysisFiles.Of(resultsDir);
        var fits = Load(fitsPath);
        var scratch = Fit(fits, Method.Scratch);
        var warm = Fit(fits, method);
        var (grid, zero, observed) = (AnalysisFiles.DeltaGrid(method), AnalysisFiles.DeltaZero(method), AnalysisFiles.DeltaObserved(method));
        if (!new[] { grid.In(analysis), zero.In(analysis), observed.In(analysis) }.All(File.Exists)) return null;
        return new DeltaMap(scratch, warm, grid.Read(analysis), zero.Read(analysis), observed.Read(analysis));
    }
}
