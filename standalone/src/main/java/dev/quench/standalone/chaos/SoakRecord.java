package dev.quench.standalone.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a soak measured, a point at a time, and its CSV: one line a point,
 * {@code minute,at,series,pid,measure,value}, where the series is the process ({@code api-1}, {@code worker-3}) or
 * {@code load} for the load driver's own figures, and {@code pid} tells one life of a process from the next.
 */
final class SoakRecord {

  static final String HEADER = "minute,at,series,pid,measure,value";

  /**
   * One measured value.
   *
   * @param minute minutes since the load began
   * @param at     when, by the wall clock
   * @param series the process, or {@code load}
   * @param pid    the process's pid then; -1 for the load
   */
  record Point(double minute, Instant at, String series, long pid, Measure measure, double value) {

    String csv() {
      return String.format(Locale.ROOT, "%.3f,%s,%s,%d,%s,%s", minute, at, series, pid, measure.column(),
          value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.3f", value));
    }

    static Point parse(String line) {
      String[] f = line.split(",", -1);
      if (f.length != 6) {
        throw new IllegalArgumentException("not a line of " + HEADER + ": " + line);
      }
      return new Point(Double.parseDouble(f[0]), Instant.parse(f[1]), f[2], Long.parseLong(f[3]),
          Measure.ofColumn(f[4]), Double.parseDouble(f[5]));
    }
  }

  private final List<Point> points = new ArrayList<>();

  synchronized void add(Point point) {
    points.add(point);
  }

  synchronized List<Point> points() {
    return List.copyOf(points);
  }

  /** The points of {@code measure}, by series (sorted by name), each in time order. */
  Map<String, List<Point>> series(Measure measure) {
    Map<String, List<Point>> series = new TreeMap<>();
    for (Point point : points()) {
      if (point.measure() == measure) {
        series.computeIfAbsent(point.series(), s -> new ArrayList<>()).add(point);
      }
    }
    series.values().forEach(list -> list.sort(Comparator.comparingDouble(Point::minute)));
    return series;
  }

  void writeCsv(Path file) {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    points().forEach(p -> lines.add(p.csv()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A record as {@link #writeCsv} wrote it: to chart or judge a soak again after the run. */
  static SoakRecord readCsv(Path file) {
    SoakRecord record = new SoakRecord();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
        throw new IllegalArgumentException(file + " does not start with " + HEADER);
      }
      lines.stream().skip(1).filter(l -> !l.isBlank()).map(Point::parse).forEach(record::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return record;
  }
}
