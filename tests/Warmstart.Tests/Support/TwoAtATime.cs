namespace Warmstart.Tests;

/// <summary>What the job processes of <see cref="TwoAtATime{TResult}"/> are told.</summary>
static class TwoAtATime
{
    /// <summary>
    /// What each job process is told: one core. Both lanes together then use the two cores, instead of each process
    /// sizing its thread pools (torch, Parallel.For) for the whole machine. A notebook's sweep records the thread count
    /// in its study folder, and a later regeneration of that folder (another test's, with both cores) carries on at it.
    /// </summary>
    public static readonly KeyValuePair<string, string?> OneCore = new("DOTNET_PROCESSOR_COUNT", "1");
}

/// <summary>
/// Runs a set of process-bound jobs (notebook kernels, file-based apps) two at a time, one per core, and hands each
/// test its job's result when it asks. Most of such a job is one process starting, compiling and waiting, so two of
/// them share the machine's two cores better than one test after another does. Jobs that name the same resource (a
/// smoke study they train into runs/) never run at once: a lane takes the first waiting job whose resources are free.
/// A job's failure is its own test's failure, rethrown when that test asks.
/// </summary>
sealed class TwoAtATime<TResult> : IDisposable
{
    public sealed record Job(string Key, IReadOnlySet<string> Resources, Func<TResult> Run);

    readonly object gate = new();
    readonly List<Job> waiting;
    readonly HashSet<string> busy = [];
    readonly Dictionary<string, TaskCompletionSource<TResult>> results;
    readonly Task[] lanes;

    public TwoAtATime(IEnumerable<Job> jobs, int lanes = 2)
    {
        waiting = jobs.ToList();
        var duplicate = waiting.GroupBy(j => j.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"job '{duplicate.Key}' is given twice");
        results = waiting.ToDictionary(j => j.Key, _ => new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        this.lanes = Enumerable.Range(0, lanes).Select(_ => Task.Factory.StartNew(Lane, TaskCreationOptions.LongRunning)).ToArray();
    }

    /// <summary>The result of the job <paramref name="key"/>, once it has run (its exception, if it threw).</summary>
    public TResult this[string key] => results.TryGetValue(key, out var result)
        ? result.Task.GetAwaiter().GetResult()
        : throw new KeyNotFoundException($"no job '{key}': the jobs are {string.Join(", ", results.Keys)}");

    void Lane()
    {
        while (true)
        {
            Job job;
            lock (gate)
            {
                while (true)
                {
                    if (waiting.Count == 0) return;
                    var free = waiting.FirstOrDefault(j => !j.Resources.Overlaps(busy));
                    if (free is not null) { job = free; break; }
                    Monitor.Wait(gate);
                }
                waiting.Remove(job);
                busy.UnionWith(job.Resources);
            }
            try { results[job.Key].SetResult(job.Run()); }
            catch (Exception ex) { results[job.Key].SetException(ex); }
            finally
            {
                lock (gate)
                {
                    busy.ExceptWith(job.Resources);
                    Monitor.PulseAll(gate);
                }
            }
        }
    }

    /// <summary>Waits for every job, so that no process outlives the test class that started it.</summary>
    public void Dispose() => Task.WaitAll(lanes);
}
