using Warmstart.Training;

namespace Warmstart.Reporting;

// Words for titles, legends and captions: model and budget names, lists of g, what was left out, methods in reading order.
public static partial class Figures
{
    /// <summary>A model label without its size details ("L2-H8x8 (d64, 0.133M)" → "L2-H8x8"), for panel titles.</summary>
    static string ShortModel(string model) => model.Split(" (")[0];

    /// <summary>"20 tokens per parameter", or samples for MLPs.</summary>
    static string Budget(string model, double tpp) => $"{tpp:0.#} {Units.Data([model])} per parameter";

    /// <summary>The title of a (target, budget) panel: only what differs between the figure's panels.</summary>
    static string CellTitle(string model, double tpp, bool severalModels, bool severalBudgets) =>
        string.Join(", ", new[] { severalModels ? ShortModel(model) : null, severalBudgets ? Budget(model, tpp) : null }.OfType<string>());

    /// <summary>g values as a caption lists them ("2.21, 22.7").</summary>
    static string List(IEnumerable<double> gs) => string.Join(", ", gs.Select(v => Fmt(v)));

    /// <summary>The sentence a caption adds when rows with a non-finite value were left out ("" when none were).</summary>
    static string LeftOut(int count, string what) =>
        count == 0 ? "" : $"{count} {what} with a non-finite loss (NaN or ∞: a diverged or unfinished run) left out.";

    /// <summary>Methods in the order the palette lists them (scratch first).</summary>
    static IEnumerable<Method> InReadingOrder(IEnumerable<Method> methods)
    {
        var known = Palette.KnownMethods.ToList();
        return methods.Distinct().OrderBy(known.IndexOf);
    }
}
