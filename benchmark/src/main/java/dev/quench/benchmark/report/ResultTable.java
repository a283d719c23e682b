package dev.quench.benchmark.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run found: one table of rows for people (section, measure, result, notes) and, per section, the figures
 * behind it for machines. Sections add to it as they finish, so a failed run still reports what it measured.
 */
public final class ResultTable {

  /**
   * One line of the table.
   *
   * @param section which part of the run
   * @param measure what was measured, and how
   * @param result  the figure
   * @param notes   what qualifies it: sample counts, pass or fail, the setting it depends on
   */
  public record Row(String section, String measure, String result, String notes) {
  }

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final Map<String, Double> figures = new LinkedHashMap<>();

  public synchronized void add(String section, String measure, String result, String notes) {
    rows.add(new Row(section, measure, result, notes == null ? "" : notes));
  }

  /** The figures of one section (or one step of it), merged into what it reported before. */
  @SuppressWarnings("unchecked")
  public synchronized void detail(String section, String key, Object value) {
    ((Map<String, Object>) details.computeIfAbsent(section, s -> new LinkedHashMap<String, Object>())).put(key, value);
  }

  /** A figure a target is judged on, under one of {@link Targets}' keys; NaN for one that ran and found nothing. */
  public synchronized void figure(String key, double value) {
    figures.put(key, value);
  }

  public synchronized Map<String, Double> figures() {
    return new LinkedHashMap<>(figures);
  }

  public synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  public synchronized Map<String, Object> details() {
    return new LinkedHashMap<>(details);
  }
}
