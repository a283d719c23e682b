package dev.quench.benchmark.cancel;

import java.util.Locale;
import java.util.Optional;

/**
 * The bulk section's figures beside the burst's of the same run: the same number of queued tasks behind the same
 * slot hog, cancelled by one batch request instead of one request each. Both times run from the first request to
 * the view showing the last task cancelled.
 *
 * @param bulkMs     the batch request sent -> the last target shown cancelled, ms; NaN if not all were shown
 * @param bulkTasks  the batch's targets
 * @param bulkCpuMs  CPU ms per cancelled task (all processes, client excluded), NaN if not measured
 * @param burstMs    the burst's first cancel sent -> its last shown cancelled, ms; NaN if not all were shown
 * @param burstTasks the burst's tasks
 * @param burstCpuMs CPU ms per cancel of the burst, NaN if not measured
 */
record BulkVsBurst(double bulkMs, int bulkTasks, double bulkCpuMs, double burstMs, int burstTasks,
                   double burstCpuMs) {

  /** The comparison row's result, or empty when either side has no time to compare. */
  Optional<String> timeRatio() {
    if (Double.isNaN(bulkMs) || Double.isNaN(burstMs) || burstMs <= 0 || bulkTasks <= 0 || burstTasks <= 0) {
      return Optional.empty();
    }
    if (bulkTasks == burstTasks) {
      return Optional.of(String.format(Locale.ROOT, "%.3f ×", bulkMs / burstMs));
    }
    // Different sizes: the time per task is what still compares.
    return Optional.of(String.format(Locale.ROOT, "%.3f × per task", (bulkMs / bulkTasks) / (burstMs / burstTasks)));
  }

  /** What the ratio is of, with both sides' figures. */
  String notes() {
    StringBuilder notes = new StringBuilder(String.format(Locale.ROOT,
        "bulk %s for %,d tasks (one request) vs burst %s for %,d (one request each)", seconds(bulkMs), bulkTasks,
        seconds(burstMs), burstTasks));
    if (bulkTasks != burstTasks) {
      notes.append("; sizes differ, so per task");
    }
    if (!Double.isNaN(bulkCpuMs) && !Double.isNaN(burstCpuMs) && burstCpuMs > 0) {
      notes.append(String.format(Locale.ROOT, "; CPU ms per task %.3f vs %.3f (%.2f ×)", bulkCpuMs, burstCpuMs,
          bulkCpuMs / burstCpuMs));
    }
    return notes.toString();
  }

  private static String seconds(double ms) {
    return Double.isNaN(ms) ? "not all shown" : String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }
}
