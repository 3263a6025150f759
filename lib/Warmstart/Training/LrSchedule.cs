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

    /// <summary>
    /// The multiplier at step <paramref name="step"/> of a run that is one stage of a schedule of
    /// <paramref name="scheduleSteps"/> steps and starts <paramref name="offsetSteps"/> into it (progressive growth):
    /// the schedule's own value there, times a fresh warmup of the schedule's warmup length when the stage starts
    /// later than the schedule — its model was just grown and its optimizer starts anew, with no moments yet.
    /// </summary>
    public static double StageMultiplier(Schedule schedule, long step, long offsetSteps, long scheduleSteps, double warmupFraction, double cooldownFraction)
    {
        double multiplier = Multiplier(schedule, offsetSteps + step, scheduleSteps, warmupFraction, cooldownFraction);
        if (offsetSteps == 0) return multiplier;
        long warmup = (long)Math.Ceiling(warmupFraction * scheduleSteps);
        return step < warmup ? multiplier * (step + 1.0) / warmup : multiplier;
    }
}
