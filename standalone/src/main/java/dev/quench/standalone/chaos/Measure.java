package dev.quench.standalone.chaos;

/**
 * What a soak records every minute, and how much of a rise from the first third of the soak to its last still
 * counts as flat: {@code relative} of the first third's median, plus {@code slack} in the measure's unit, so a
 * figure near zero (a lag of 3 records) is not judged by its percentages.
 */
enum Measure {

  // A live set may settle a little as caches fill; a leak keeps growing.
  HEAP_AFTER_GC("heap_after_gc_mib", "heap used after a full GC", "MiB", 0.25, 8),
  // The JVM grows its committed heap towards -Xmx lazily; RSS follows the committed heap, not the live set.
  RSS("rss_mib", "resident set size", "MiB", 0.20, 32),
  THREADS("threads", "threads", "threads", 0.10, 5),
  OPEN_FILES("open_files", "open file descriptors", "fds", 0.10, 10),
  // A fault leaves a backlog for a while: lag is judged loosely, so that only a backlog that keeps growing fails.
  CONSUMER_LAG("consumer_lag", "consumer lag of the partitions a member owns", "records", 1.0, 50),
  // With a fault every minute, each minute's p99 is mostly that minute's fault's (a rolling restart's three
  // elections against a zombie's none): judged by medians of nine such minutes, with room for the mix to differ.
  P99_CANCEL("p99_cancel_ms", "p99 of acknowledged cancels in the last minute", "ms", 1.0, 200);

  private final String column;
  private final String title;
  private final String unit;
  private final double relative;
  private final double slack;

  Measure(String column, String title, String unit, double relative, double slack) {
    this.column = column;
    this.title = title;
    this.unit = unit;
    this.relative = relative;
    this.slack = slack;
  }

  /** Its name in the CSV and the chart's file name. */
  String column() {
    return column;
  }

  String title() {
    return title;
  }

  String unit() {
    return unit;
  }

  /** The highest last-third median that is still flat, given the first third's. */
  double limit(double firstThird) {
    return firstThird * (1 + relative) + slack;
  }

  String tolerance() {
    return String.format("+%.0f%% + %s %s", relative * 100, slack == Math.rint(slack) ? Long.toString((long) slack)
        : Double.toString(slack), unit);
  }

  static Measure ofColumn(String column) {
    for (Measure measure : values()) {
      if (measure.column.equals(column)) {
        return measure;
      }
    }
    throw new IllegalArgumentException("no measure " + column);
  }
}
