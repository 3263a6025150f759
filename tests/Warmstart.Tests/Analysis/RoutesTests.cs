using Warmstart.Analysis;
using Warmstart.Experiments;
using Warmstart.Reporting;
using Warmstart.Training;

namespace Warmstart.Tests.Analysis;

/// <summary>Deeper, wider or both at equal g: the routes, their contrasts and their reading, on a study built by hand.</summary>
public class RoutesTests
{
    /// <summary>
    /// Four seeds of one target: scratch; stack, identity and SZP on depth from a base at g = 1.75 (and stack from one at
    /// g = 2.81, further from the width route's g); SZP across width at g = 1.8; szp-stack at g = 1.75. Each ends at
    /// scratch + its offset + a small wiggle by seed, so every paired difference has spread.
    /// </summary>
    static ResultTables Study(bool withWidth = true)
    {
        var offsets = new List<(string Id, Method Method, double G, double Delta)>
        {
            ("stack", Method.Stack, 1.75, -0.03), ("identity", Method.Identity, 1.75, 0.01), ("szpdepth", Method.SzpDepth, 1.75, -0.02),
            ("stackfar", Method.Stack, 2.81, -0.01), ("both", Method.SzpStack, 1.75, -0.04),
        };
        if (withWidth) offsets.Add(("wide", Method.Szp, 1.8, -0.05));
        var b = new Sweep.Builder();
        for (int seed = 0; seed < 4; seed++)
        {
            double scratch = 2.0 + 0.02 * seed;
            b.Run($"s{seed}", Method.Scratch, seed, scratch);
            foreach (var (id, method, g, delta) in offsets)
                b.Run($"{id}{seed}", method, seed, scratch + delta + 0.002 * Math.Sin(3 * seed + id.Length), g: g);
        }
        return b.Build();
    }

    [Fact]
    public void EachRouteIsReadAgainstScratchAtTheWidthRoutesG()
    {
        var rows = Routes.Compare(Study());
        // Deeper from the depth base nearest g = 1.8 (1.75, not 2.81), in operator order; then wider, then both.
        Assert.Equal([(Routes.Deeper, Method.Stack), (Routes.Deeper, Method.Identity), (Routes.Deeper, Method.SzpDepth), (Routes.Wider, Method.Szp), (Routes.Both, Method.SzpStack)],
            rows.Select(r => (r.Route, r.Method)));
        Assert.All(rows.Where(r => r.Route == Routes.Deeper), r => Assert.Equal(1.75, r.G));
        var stack = rows[0];
        Assert.Equal(4, stack.N);
        Assert.Equal(-0.03, stack.Delta, 2);
        Assert.True(stack.DeltaLo < stack.Delta && stack.Delta < stack.DeltaHi);
        Assert.Equal(4, stack.Wins);
        Assert.Equal(0, rows[1].Wins); // identity ends above scratch on every seed
    }

    [Fact]
    public void TheContrastsPairTheBestDepthRouteWithTheOthersBySeed()
    {
        var contrasts = Routes.Contrasts(Study());
        Assert.Equal(["deeper (stack, g = 1.75) − wider (szp, g = 1.8)", "both (szp-stack, g = 1.75) − wider (szp, g = 1.8)", "deeper (stack, g = 1.75) − both (szp-stack, g = 1.75)"],
            contrasts.Select(c => $"{c.A} − {c.B}"));
        Assert.Equal(0.02, contrasts[0].Value, 2); // −0.03 − (−0.05)
        Assert.True(contrasts[0].Lo > 0, "wider ends lower on every seed");
        Assert.Equal(0, contrasts[0].Wins);
        Assert.Equal(0.01, contrasts[2].Value, 2);

        string reading = Readings.Routes(Routes.Compare(Study()), contrasts);
        Assert.Contains("**Deeper (stack, g = 1.75) − wider (szp, g = 1.8)**: 0.02", reading);
        Assert.Contains("wider ends lower", reading);
    }

    [Fact]
    public void WithoutTheWidthRouteNothingIsComparedButTheReportStillPlansItsTables()
    {
        var partial = Study(withWidth: false); // the width route has not trained yet
        Assert.False(Routes.Applies(partial));
        Assert.True(Routes.Planned(partial));
        Assert.Empty(Routes.Compare(partial));
        Assert.Empty(Routes.Contrasts(partial));
        Assert.DoesNotContain(StudyReadings.Of(partial), r => r.Topic == ReadingTopic.Routes);
        var depthOnly = new Sweep.Builder().Run("s0", Method.Scratch, 0, 2.0).Run("w0", Method.Stack, 0, 1.9, g: 2).Build();
        Assert.False(Routes.Planned(depthOnly)); // no run grows both ways: not a routes study
    }
}
