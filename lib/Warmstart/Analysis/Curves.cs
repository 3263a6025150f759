namespace Warmstart.Analysis;

/// <summary>Piecewise-linear reads of a learning curve (validation loss against tokens or FLOPs).</summary>
public static class Curves
{
    /// <summary>
    /// The first x at which the curve reaches <paramref name="target"/> (y ≤ target), interpolated linearly between
    /// the two evaluations that bracket the crossing; NaN if it never gets there.
    /// </summary>
    public static double FirstCrossing(IReadOnlyList<double> x, IReadOnlyList<double> y, double target)
    {
        Check(x, y);
        for (int i = 0; i < x.Count; i++)
        {
            if (double.IsNaN(y[i]) || y[i] > target) continue;
            if (i == 0) return x[0];
            int j = i - 1;
            while (j >= 0 && double.IsNaN(y[j])) j--;
            if (j < 0) return x[i];
            return x[j] + (target - y[j]) * (x[i] - x[j]) / (y[i] - y[j]);
        }
        return double.NaN;
    }

    /// <summary>y at <paramref name="at"/> by linear interpolation; NaN outside the curve's x range.</summary>
    public static double ValueAt(IReadOnlyList<double> x, IReadOnlyList<double> y, double at)
    {
        Check(x, y);
        var points = x.Zip(y).Where(p => !double.IsNaN(p.Second)).ToList();
        if (points.Count == 0 || at < points[0].First || at > points[^1].First) return double.NaN;
        for (int i = 1; i < points.Count; i++)
            if (at <= points[i].First)
            {
                var (x0, y0) = points[i - 1];
                var (x1, y1) = points[i];
                return x1 == x0 ? y1 : y0 + (at - x0) * (y1 - y0) / (x1 - x0);
            }
        return points[^1].Second;
    }

    static void Check(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"curve has {x.Count} x values but {y.Count} y values");
        for (int i = 1; i < x.Count; i++)
            if (x[i] < x[i - 1]) throw new ArgumentException("curve x values must be non-decreasing");
    }
}
