package dev.quench.benchmark.report;

import dev.quench.benchmark.report.Targets.Judgement;
import dev.quench.benchmark.report.Targets.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The targets of cancel at volume (issue 11), judged on the bulk section's figures: a table of their own, apart from
 * the write path's ({@link Targets}, issue 12), for they answer a different issue. A target stated for a size (20,000
 * tasks, 100,000, 256 running) is only met by a run of that size: a smaller run is "not measured" unless it already
 * missed the bound.
 */
public final class BulkTargets {

  /** The 20,000 case: the batch's 202 to the view showing its last target cancelled, ms; NaN if not all shown. */
  public static final String QUEUED_MS = "bulk_202_to_last_shown_ms";
  /** The 20,000 case's size. */
  public static final String QUEUED_TASKS = "bulk_tasks";
  /** The log-written case: the batch's 202 to the view showing its last target cancelled, ms; NaN if not all. */
  public static final String LARGE_MS = "bulk_large_202_to_last_shown_ms";
  /** The log-written case's size. */
  public static final String LARGE_TASKS = "bulk_large_tasks";
  /** The dry run over the log-written case's tasks, ms. */
  public static final String LARGE_DRY_RUN_MS = "bulk_large_dry_run_ms";
  /** The dry run's {@code matched}. */
  public static final String LARGE_DRY_RUN_MATCHED = "bulk_large_dry_run_matched";
  /** p99 of the running batch's 202 to each handler observing its token, ms; NaN if none observed. */
  public static final String RUNNING_P99 = "bulk_running_p99_ms";
  /** The running batch's size. */
  public static final String RUNNING_TASKS = "bulk_running_tasks";

  /** The section its rows go in. */
  public static final String SECTION = "targets (issue 11)";

  private static final String QUEUED_TARGET = "20,000 queued, one filter batch: 202 -> all shown cancelled <= 1 s";
  private static final String LARGE_TARGET = "100,000 queued, one filter batch: 202 -> all shown cancelled <= 5 s";
  private static final String DRY_TARGET = "dry run over 100,000 matching tasks <= 500 ms, exact";
  private static final String RUNNING_TARGET = "256 running, one batch: p99 202 -> handler sees its token <= 50 ms";

  private BulkTargets() {
  }

  /** Every target, in the order. */
  public static List<Judgement> judge(Map<String, Double> figures) {
    return List.of(queued(figures), large(figures), running(figures), dryRun(figures));
  }

  /** The 20,000 case's target. */
  public static Judgement queued(Map<String, Double> figures) {
    return timeFor(QUEUED_TARGET, figures, QUEUED_MS, QUEUED_TASKS, 20_000, 1000);
  }

  /** The log-written case's target. */
  public static Judgement large(Map<String, Double> figures) {
    return timeFor(LARGE_TARGET, figures, LARGE_MS, LARGE_TASKS, 100_000, 5000);
  }

  /** The dry run's target: its time, and {@code matched} exactly the tasks written. */
  public static Judgement dryRun(Map<String, Double> figures) {
    Double ms = figures.get(LARGE_DRY_RUN_MS);
    if (ms == null) {
      return notRun(DRY_TARGET);
    }
    long tasks = Math.round(figures.getOrDefault(LARGE_TASKS, 0.0));
    long matched = Math.round(figures.getOrDefault(LARGE_DRY_RUN_MATCHED, -1.0));
    boolean exact = matched == tasks;
    String measured = String.format(Locale.ROOT, "%,.0f ms, matched %,d of %,d (%s)", ms, matched, tasks,
        exact ? "exact" : "NOT EXACT");
    if (!exact || ms > 500) {
      return new Judgement(DRY_TARGET, measured, Verdict.NOT_MET, "");
    }
    return sized(DRY_TARGET, measured, tasks, 100_000);
  }

  /** The running batch's target. */
  public static Judgement running(Map<String, Double> figures) {
    Double p99 = figures.get(RUNNING_P99);
    if (p99 == null) {
      return notRun(RUNNING_TARGET);
    }
    long tasks = Math.round(figures.getOrDefault(RUNNING_TASKS, 0.0));
    if (p99.isNaN()) {
      return new Judgement(RUNNING_TARGET, "no handler observed its token", Verdict.NOT_MET, "");
    }
    String measured = String.format(Locale.ROOT, "p99 %.1f ms for %,d tasks", p99, tasks);
    if (p99 > 50) {
      return new Judgement(RUNNING_TARGET, measured, Verdict.NOT_MET, "");
    }
    return sized(RUNNING_TARGET, measured, tasks, 256);
  }

  /** The verdict for a row's notes: {@code issue 11: <target>: met}. */
  public static String beside(Judgement judgement) {
    return "issue 11: " + judgement.target() + ": " + judgement.verdict().label()
        + (judgement.why().isEmpty() ? "" : " (" + judgement.why() + ")");
  }

  /** A row per target in {@link #SECTION}, and the judgements in its details. */
  public static void addTo(ResultTable table) {
    List<Map<String, String>> details = new ArrayList<>();
    for (Judgement judgement : judge(table.figures())) {
      table.add(SECTION, judgement.target(), judgement.measured(), judgement.verdict().label()
          + (judgement.why().isEmpty() ? "" : " (" + judgement.why() + ")"));
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("target", judgement.target());
      detail.put("measured", judgement.measured());
      detail.put("verdict", judgement.verdict().label());
      detail.put("why", judgement.why());
      details.add(detail);
    }
    table.detail(SECTION, "judgements", details);
  }

  private static Judgement timeFor(String target, Map<String, Double> figures, String key, String sizeKey,
                                   long size, double boundMs) {
    Double ms = figures.get(key);
    if (ms == null) {
      return notRun(target);
    }
    long tasks = Math.round(figures.getOrDefault(sizeKey, 0.0));
    if (ms.isNaN()) {
      return new Judgement(target, String.format(Locale.ROOT, "not all shown of %,d tasks", tasks),
          Verdict.NOT_MET, "");
    }
    String measured = String.format(Locale.ROOT, "%.2f s for %,d tasks", ms / 1000, tasks);
    if (ms > boundMs) {
      // Fewer tasks taking longer already: the target's size would not be faster.
      return new Judgement(target, measured, Verdict.NOT_MET, "");
    }
    return sized(target, measured, tasks, size);
  }

  private static Judgement sized(String target, String measured, long tasks, long size) {
    if (tasks < size) {
      return new Judgement(target, measured, Verdict.NOT_MEASURED,
          String.format(Locale.ROOT, "ran %,d tasks, the target is for %,d", tasks, size));
    }
    return new Judgement(target, measured, Verdict.MET, "");
  }

  private static Judgement notRun(String target) {
    return new Judgement(target, "-", Verdict.NOT_MEASURED, "bulk not run, or this part of it skipped (size 0)");
  }
}
