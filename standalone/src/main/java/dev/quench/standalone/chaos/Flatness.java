package dev.quench.standalone.chaos;

import dev.quench.standalone.chaos.SoakRecord.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a soak's figures stayed flat: for every measure and series, the median of the last third of the soak
 * against the median of its first third, after a warm-up (class loading, caches, the JIT) that is left out. Flat
 * when the last third's median is at most {@link Measure#limit} of the first's; a fall is flat too, only a rise
 * can be a leak. A series with fewer than {@link #AT_LEAST} points in either third (a worker that was away) is not
 * judged, and says so.
 */
final class Flatness {

  static final int AT_LEAST = 2;

  enum Judgement { FLAT, GREW, NOT_JUDGED }

  /**
   * One series of one measure.
   *
   * @param start      its first value (warm-up included)
   * @param end        its last value
   * @param firstThird the median of the first third after the warm-up; null if none
   * @param lastThird  the median of the last third; null if none
   * @param limit      the highest flat {@code lastThird}; NaN if not judged
   */
  record Verdict(Measure measure, String series, double start, double end, Double firstThird, Double lastThird,
                 double limit, Judgement judgement) {

    String line() {
      return String.format("%-18s %-12s start %9.1f  end %9.1f  first third %9s  last third %9s  %s",
          measure.column(), series, start, end, format(firstThird), format(lastThird),
          switch (judgement) {
            case FLAT -> "flat (limit " + format(limit) + ")";
            case GREW -> "GREW (limit " + format(limit) + ")";
            case NOT_JUDGED -> "not judged (fewer than " + AT_LEAST + " points in a third)";
          });
    }

    private static String format(Double value) {
      return value == null || value.isNaN() ? "-" : String.format("%.1f", value);
    }
  }

  private Flatness() {
  }

  /**
   * Judges every series of {@code record} over minutes {@code warmUp} to {@code end}.
   *
   * @param warmUp minutes from the start left out of the thirds
   * @param end    the soak's last minute
   */
  static List<Verdict> judge(SoakRecord record, double warmUp, double end) {
    double third = (end - warmUp) / 3;
    List<Verdict> verdicts = new ArrayList<>();
    for (Measure measure : Measure.values()) {
      for (Map.Entry<String, List<Point>> series : record.series(measure).entrySet()) {
        List<Point> points = series.getValue();
        Double first = median(points, warmUp, warmUp + third);
        Double last = median(points, end - third, Double.POSITIVE_INFINITY);
        double start = points.get(0).value();
        double stop = points.get(points.size() - 1).value();
        if (first == null || last == null) {
          verdicts.add(new Verdict(measure, series.getKey(), start, stop, first, last, Double.NaN,
              Judgement.NOT_JUDGED));
        } else {
          double limit = measure.limit(first);
          verdicts.add(new Verdict(measure, series.getKey(), start, stop, first, last, limit,
              last <= limit ? Judgement.FLAT : Judgement.GREW));
        }
      }
    }
    return verdicts;
  }

  static boolean flat(List<Verdict> verdicts) {
    return verdicts.stream().noneMatch(v -> v.judgement() == Judgement.GREW);
  }

  /** The median of the values from minute {@code from} (inclusive) to {@code to} (exclusive); null if too few. */
  private static Double median(List<Point> points, double from, double to) {
    List<Double> values = new ArrayList<>();
    for (Point point : points) {
      if (point.minute() >= from && point.minute() < to) {
        values.add(point.value());
      }
    }
    if (values.size() < AT_LEAST) {
      return null;
    }
    values.sort(null);
    int middle = values.size() / 2;
    return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
  }
}
