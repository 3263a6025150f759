using Warmstart.Experiments;
using Warmstart.Training;

namespace Warmstart.Analysis;

/// <summary>
/// One way of reaching the target at about one growth factor: deeper (a depth operator from a shallower base of the
/// same width), wider (SZP from a narrower base of the same depth) or both at once (szp-stack from a base narrower and
/// shallower). ΔL = its final loss − scratch's, paired by seed, with the 95% t interval and how many seeds ended below
/// scratch; and its token speedup over scratch without and with the base's compute, from the speedup summary.
/// </summary>
public sealed record RouteRow(string Route, Method Method, double G, int N, double Delta, double DeltaLo, double DeltaHi, int Wins,
    double Speedup, double SpeedupLo, double SpeedupHi, double SpeedupWithBase, double SpeedupWithBaseLo, double SpeedupWithBaseHi);

/// <summary>One route against another at the same target, budget and seed: the paired final-loss difference A − B.</summary>
public sealed record RouteContrast(string A, string B, int N, double Value, double Lo, double Hi, int Wins);

/// <summary>
/// Deeper or wider, at (nearly) equal g and equal target compute? The depth study reaches one target three ways from
/// bases of about the same size; every route trains the same target for the same tokens, so their final losses are
/// compared at equal target compute, paired by seed. The bases' own compute differs a little with their size: the
/// speedup with base compute says what it changes.
/// </summary>
public static class Routes
{
    public const string Deeper = "deeper", Wider = "wider", Both = "both";

    static readonly Method[] DepthMethods = [Method.Stack, Method.Interleave, Method.Identity, Method.SzpDepth];

    /// <summary>Whether these results reach one target by depth, by width and by both (the depth study).</summary>
    public static bool Applies(ResultTables results) =>
        results.Runs.Where(Pairing.Usable).Select(r => r.Method).ToHashSet() is var m
        && m.Contains(Method.SzpStack) && m.Contains(Method.Szp) && DepthMethods.Any(m.Contains);

    /// <summary>
    /// Whether these results plan the three routes (a run that grows both ways, finished or not): the study's report then
    /// writes its route tables, empty while <see cref="Applies"/> does not hold yet.
    /// </summary>
    public static bool Planned(ResultTables results) => results.Runs.Any(r => r.Method == Method.SzpStack);

    /// <summary>
    /// The routes at the g of the width route's base: every depth operator from the depth base nearest that g, SZP
    /// across width, and szp-stack (both); in that order.
    /// </summary>
    public static List<RouteRow> Compare(ResultTables results)
    {
        var runs = Selection.BestPerConfiguration(results).Selected.Runs.Where(Pairing.Usable).ToList();
        if (!Applies(results)) return [];
        var wide = runs.First(r => r.Method == Method.Szp);
        var (model, tpp) = (wide.Model, wide.Tpp);
        var depthGs = runs.Where(r => DepthMethods.Contains(r.Method) && r.Model == model && r.Tpp == tpp).Select(r => Pairing.GKey(r.G)).Distinct().ToList();
        double depthG = depthGs.OrderBy(g => Math.Abs(Math.Log(g / wide.G))).First();
        var summary = Speedup.Summary(Speedup.Compute(new ResultTables(runs, results.Curves)));
        var rows = new List<RouteRow>();
        foreach (var (route, method, g) in DepthMethods.Select(m => (Deeper, m, depthG))
                     .Append((Wider, Method.Szp, Pairing.GKey(wide.G)))
                     .Append((Both, Method.SzpStack, runs.Where(r => r.Method == Method.SzpStack && r.Model == model).Select(r => Pairing.GKey(r.G)).FirstOrDefault())))
        {
            var mine = runs.Where(r => r.Method == method && r.Model == model && r.Tpp == tpp && Pairing.GKey(r.G) == g).ToList();
            if (mine.Count == 0) continue;
            var diffs = Pairing.WithScratch(runs, mine).Select(p => p.Warm.FinalValLoss - p.Scratch.FinalValLoss).ToList();
            var e = Stats.TInterval(diffs);
            var s = summary.FirstOrDefault(x => x.Method == method && x.Model == model && x.Tpp == tpp && Pairing.GKey(x.G) == g);
            rows.Add(new RouteRow(route, method, mine[0].G, e.N, e.Value, e.Lo, e.Hi, diffs.Count(d => d < 0),
                s?.SpeedupMean ?? double.NaN, s?.SpeedupLo ?? double.NaN, s?.SpeedupHi ?? double.NaN,
                s?.SpeedupWithBaseMean ?? double.NaN, s?.SpeedupWithBaseLo ?? double.NaN, s?.SpeedupWithBaseHi ?? double.NaN));
        }
        return rows;
    }

    /// <summary>
    /// The contrasts a reader asks for: the best depth route (lowest mean ΔL) − wider, both − wider, and the best depth
    /// route − both; each paired by seed with its 95% t interval, and how many seeds the first ends below the second.
    /// </summary>
    public static List<RouteContrast> Contrasts(ResultTables results)
    {
        var rows = Compare(results);
        var runs = Selection.BestPerConfiguration(results).Selected.Runs.Where(Pairing.Usable).ToList();
        var deeper = rows.Where(r => r.Route == Deeper && double.IsFinite(r.Delta)).MinBy(r => r.Delta);
        var wider = rows.FirstOrDefault(r => r.Route == Wider);
        var both = rows.FirstOrDefault(r => r.Route == Both);
        var contrasts = new List<RouteContrast>();
        void Add(RouteRow? a, RouteRow? b)
        {
            if (a is null || b is null) return;
            var runA = runs.Where(r => r.Method == a.Method && Pairing.GKey(r.G) == Pairing.GKey(a.G)).ToList();
            var runB = runs.Where(r => r.Method == b.Method && Pairing.GKey(r.G) == Pairing.GKey(b.G)).ToList();
            var diffs = runA.Select(x => (x, y: runB.FirstOrDefault(y => y.Model == x.Model && y.Tpp == x.Tpp && y.Seed == x.Seed)))
                .Where(p => p.y is not null).Select(p => p.x.FinalValLoss - p.y!.FinalValLoss).ToList();
            var e = Stats.TInterval(diffs);
            contrasts.Add(new RouteContrast(Name(a), Name(b), e.N, e.Value, e.Lo, e.Hi, diffs.Count(d => d < 0)));
        }
        Add(deeper, wider);
        Add(both, wider);
        Add(deeper, both);
        return contrasts;
    }

    /// <summary>A route as a reader names it: "deeper (stack, g = 1.75)".</summary>
    public static string Name(RouteRow r) => $"{r.Route} ({r.Method}, g = {Numbers.Number(r.G)})";
}
