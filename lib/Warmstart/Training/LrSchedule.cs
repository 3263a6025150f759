namespace Warmstart.Training;

/// <summary>Learning-rate multipliers in [0, 1] per optimizer step (0-based), for a run of <c>total</c> steps.</summary>
public static class LrSchedule
{
    public static double Multiplier(Schedule schedule, long step, long total, double warmupFraction, double cooldownFraction)
    {
        if (total <= 0) throw new ArgumentException($"a schedule needs at least one step, got {total}");
        long warmup = (long)Math.Ceiling(warmupFraction * total);
        // Warmup: step s uses (s+1)/warmup, reaching the peak on the last warmup step (never 0 on the first).
        if (step < warmup) return (step + 1.0) / warmup;
        switch (schedule)
        {
            case Schedule.Constant:
                return 1.0;
            case Schedule.Cosine:
            {
                double progress = (double)(step - warmup) / Math.Max(1, total - warmup);
                return 0.5 * (1 + Math.Cos(Math.PI * progress));
            }
            case Schedule.Wsd:
            {
                long cooldown = (long)Math.Round(cooldownFraction * total);
                long decayStart = total - cooldown;
                if (step < decayStart) return 1.0;
                // Linear to 0: the step after the last would be at 0, so the last step still learns.
                return (double)(total - step) / cooldown;
            }
            default:
                throw new ArgumentException($"unknown schedule {schedule}");
        }
    }
}
