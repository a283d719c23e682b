package dev.quench.benchmark.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution, summed up: count, p50, p99, p99.9 and max, in milliseconds. Histograms record microseconds
 * with three significant digits, up to ten minutes; anything longer is recorded as ten minutes.
 */
public record Latency(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs) {

  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);

  public static Histogram histogram() {
    return new Histogram(HIGHEST_MICROS, 3);
  }

  /** Records a duration in nanoseconds; negative ones (clock reads racing) count as zero. */
  public static void record(Histogram histogram, long nanos) {
    histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1_000)));
  }

  public static Latency of(Histogram histogram) {
    if (histogram.getTotalCount() == 0) {
      return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Latency(histogram.getTotalCount(), millis(histogram.getValueAtPercentile(50)),
        millis(histogram.getValueAtPercentile(99)), millis(histogram.getValueAtPercentile(99.9)),
        millis(histogram.getMaxValue()));
  }

  /** {@code p50 1.2 / p99 3.4 / p99.9 5.6 / max 7.8 ms}. */
  public String summary() {
    if (count == 0) {
      return "no samples";
    }
    return "p50 " + ms(p50Ms) + " / p99 " + ms(p99Ms) + " / p99.9 " + ms(p999Ms) + " / max " + ms(maxMs) + " ms";
  }

  /** {@code p50 1.2 / p99 3.4 ms}. */
  public String shortSummary() {
    if (count == 0) {
      return "no samples";
    }
    return "p50 " + ms(p50Ms) + " / p99 " + ms(p99Ms) + " ms";
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", count);
    map.put("p50_ms", round(p50Ms));
    map.put("p99_ms", round(p99Ms));
    map.put("p99_9_ms", round(p999Ms));
    map.put("max_ms", round(maxMs));
    return map;
  }

  /** One decimal below 100 ms, whole milliseconds above. */
  public static String ms(double millis) {
    if (Double.isNaN(millis)) {
      return "-";
    }
    return millis < 100 ? String.format(Locale.ROOT, "%.1f", millis) : String.format(Locale.ROOT, "%,.0f", millis);
  }

  private static Double round(double millis) {
    return Double.isNaN(millis) ? null : Math.round(millis * 100) / 100.0;
  }

  // The histogram reports the highest value equivalent to the bucket: good to three digits.
  private static double millis(long micros) {
    return micros / 1_000.0;
  }
}
