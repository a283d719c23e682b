package dev.quench.benchmark.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The targets of the write path's rework (issue 12) and of telling the caller (issue 13), judged on the figures the
 * sections of this run put in the table: each one met, not met, or not measured when a section it needs did not run.
 * Ratios are taken within the run, so a busy machine moves both sides.
 */
public final class Targets {

  /** The highest cancel rate the cancel section sustained, per second (0 when none passed). */
  public static final String CANCELS_SUSTAINED = "cancels_sustained_per_s";
  /** The reads section's ceiling, reads per second. */
  public static final String READS = "reads_per_s";
  /** The http-ceiling section's requests per second. */
  public static final String HTTP_CEILING = "http_ceiling_per_s";
  /** p99 of due send to view {@code cancelled} at 1,000 cancels/s, ms; NaN when none was shown. */
  public static final String CANCEL_1000_P99 = "cancel_1000_p99_ms";
  /** p99 of the transactional relay at 1,000 records/s, ms. */
  public static final String RELAY_TX_1000_P99 = "relay_tx_1000_p99_ms";
  /** The burst: first cancel sent to the last shown cancelled, ms; NaN when not all were shown. */
  public static final String BURST_MS = "burst_all_shown_ms";
  /** The burst's size. */
  public static final String BURST_TASKS = "burst_tasks";
  /** Creates per second. */
  public static final String CREATES = "creates_per_s";
  /** The projector's rebuild, events per second. */
  public static final String REBUILD = "rebuild_events_per_s";
  /** p99 of a running task's cancel to its handler observing the token, ms. */
  public static final String STOP_P99 = "stop_p99_ms";
  /** CPU ms per cancel (burst), per create and per read, all processes, client excluded. */
  public static final String CPU_CANCEL = "cpu_ms_per_cancel";
  public static final String CPU_CREATE = "cpu_ms_per_create";
  public static final String CPU_READ = "cpu_ms_per_read";

  /** p99 of a terminal event's record timestamp to its callback at the receiver, ms; NaN if any was missing. */
  public static final String NOTIFY_CALLBACK_P99 = "notify_callback_p99_ms";
  /** The terminal events per second the callback step ran at, by their timestamps. */
  public static final String NOTIFY_CALLBACK_RATE = "notify_callback_terminal_per_s";
  /** p99 of a terminal event's record timestamp to its Server-Sent Event at the client, ms; NaN if any missing. */
  public static final String NOTIFY_SSE_P99 = "notify_sse_p99_ms";
  /** The streams open throughout that step. */
  public static final String NOTIFY_SSE_STREAMS = "notify_sse_streams";
  /** p99 of a running task's terminal event to the answer of its {@code Prefer: wait} cancel, ms. */
  public static final String NOTIFY_WAIT_P99 = "notify_wait_p99_ms";

  static final int BURST_TARGET_TASKS = 20_000;
  static final int NOTIFY_TARGET_RATE = 500;
  static final int NOTIFY_TARGET_STREAMS = 1_000;

  // Which section gives a figure, to say what did not run.
  private static final Map<String, String> SECTION_OF = Map.ofEntries(Map.entry(CANCELS_SUSTAINED, "cancel"),
      Map.entry(READS, "reads"), Map.entry(HTTP_CEILING, "http-ceiling"), Map.entry(CANCEL_1000_P99,
          "cancel at 1000/s"), Map.entry(RELAY_TX_1000_P99, "baseline tx at 1000/s"), Map.entry(BURST_MS, "burst"),
      Map.entry(BURST_TASKS, "burst"), Map.entry(CREATES, "creates"), Map.entry(REBUILD, "rebuild"),
      Map.entry(STOP_P99, "stop"), Map.entry(CPU_CANCEL, "burst"), Map.entry(CPU_CREATE, "creates"),
      Map.entry(CPU_READ, "reads"), Map.entry(NOTIFY_CALLBACK_P99, "notify"),
      Map.entry(NOTIFY_CALLBACK_RATE, "notify"), Map.entry(NOTIFY_SSE_P99, "notify"),
      Map.entry(NOTIFY_SSE_STREAMS, "notify"), Map.entry(NOTIFY_WAIT_P99, "notify"));

  /** How a target came out. */
  public enum Verdict {
    MET("met"), NOT_MET("not met"), NOT_MEASURED("not measured");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * One target's outcome.
   *
   * @param target   the target, as the issue states it
   * @param measured what this run measured for it
   * @param verdict  met, not met, or not measured
   * @param why      for not measured: what did not run
   */
  public record Judgement(String target, String measured, Verdict verdict, String why) {
  }

  private Targets() {
  }

  /** Every target, in the order. */
  public static List<Judgement> judge(Map<String, Double> figures) {
    List<Judgement> all = new ArrayList<>();
    all.add(ratio("max sustained cancels/s >= 0.5 x read ceiling", figures, CANCELS_SUSTAINED, "cancels/s", READS,
        "reads/s"));
    all.add(ratio("read ceiling >= 0.5 x http ceiling", figures, READS, "reads/s", HTTP_CEILING, "requests/s"));
    all.add(cancelAt1000(figures));
    all.add(burst(figures));
    all.add(ratio("creates/s >= 0.5 x read ceiling", figures, CREATES, "creates/s", READS, "reads/s"));
    all.add(atLeast("projector rebuild >= 100,000 events/s", figures, REBUILD, 100_000, "%,.0f events/s"));
    all.add(atMost("running task: p99 cancel -> handler sees token <= 5 ms", figures, STOP_P99, 5, "%.1f ms"));
    all.add(atMost("CPU ms per cancel, all processes, client excluded <= 0.4", figures, CPU_CANCEL, 0.4, "%.3f ms"));
    all.add(atMost("CPU ms per create <= 0.5", figures, CPU_CREATE, 0.5, "%.3f ms"));
    all.add(atMost("CPU ms per read <= 0.15", figures, CPU_READ, 0.15, "%.3f ms"));
    all.add(atScale("terminal event -> callback received: p99 <= 100 ms at 500 terminal tasks/s", figures,
        NOTIFY_CALLBACK_P99, 100, NOTIFY_CALLBACK_RATE, NOTIFY_TARGET_RATE * 0.95, "%.0f terminal tasks/s",
        "none may be missing"));
    all.add(atScale("terminal event -> SSE event at the client: p99 <= 50 ms with 1,000 streams open", figures,
        NOTIFY_SSE_P99, 50, NOTIFY_SSE_STREAMS, NOTIFY_TARGET_STREAMS, "%.0f streams open", "none may be missing"));
    all.add(atMost("Prefer: wait cancel of a running sleep: p99 handler stopped -> final state <= 50 ms", figures,
        NOTIFY_WAIT_P99, 50, "%.1f ms"));
    return all;
  }

  /** A row per target in the {@code targets} section, and the judgements in its details. */
  public static void addTo(ResultTable table) {
    List<Map<String, String>> details = new ArrayList<>();
    for (Judgement judgement : judge(table.figures())) {
      table.add("targets", judgement.target(), judgement.measured(), judgement.verdict().label()
          + (judgement.why().isEmpty() ? "" : " (" + judgement.why() + ")"));
      Map<String, String> detail = new LinkedHashMap<>();
      detail.put("target", judgement.target());
      detail.put("measured", judgement.measured());
      detail.put("verdict", judgement.verdict().label());
      detail.put("why", judgement.why());
      details.add(detail);
    }
    table.detail("targets", "judgements", details);
  }

  private static Judgement ratio(String target, Map<String, Double> figures, String key, String unit,
                                 String of, String ofUnit) {
    Double value = figures.get(key);
    Double base = figures.get(of);
    if (value == null || value.isNaN() || base == null || base.isNaN() || base <= 0) {
      List<String> missing = new ArrayList<>();
      if (value == null || value.isNaN()) {
        missing.add(key);
      }
      if (base == null || base.isNaN() || base <= 0) {
        missing.add(of);
      }
      String measured = missing.contains(key) ? "-" : number(value, unit);
      return notMeasured(target, measured, figures, missing.toArray(String[]::new));
    }
    String measured = number(value, unit) + String.format(Locale.ROOT, " = %.2f x ", value / base)
        + number(base, ofUnit);
    return new Judgement(target, measured, value >= 0.5 * base ? Verdict.MET : Verdict.NOT_MET, "");
  }

  private static Judgement cancelAt1000(Map<String, Double> figures) {
    String target = "cancel @1,000/s: p99 request -> view cancelled <= 50 ms and <= 3 x the tx relay's p99";
    Double p99 = figures.get(CANCEL_1000_P99);
    Double relay = figures.get(RELAY_TX_1000_P99);
    if (p99 == null) {
      return notMeasured(target, relay == null ? "-" : "relay tx p99 " + ms(relay), figures, CANCEL_1000_P99);
    }
    if (p99.isNaN()) {
      return new Judgement(target, "none shown cancelled", Verdict.NOT_MET, "");
    }
    String measured = "p99 " + ms(p99) + (relay == null ? "" : "; relay tx p99 " + ms(relay)
        + String.format(Locale.ROOT, " (x %.1f)", p99 / relay));
    if (p99 > 50 || relay != null && p99 > 3 * relay) {
      return new Judgement(target, measured, Verdict.NOT_MET, "");
    }
    return relay == null ? notMeasured(target, measured, figures, RELAY_TX_1000_P99)
        : new Judgement(target, measured, Verdict.MET, "");
  }

  private static Judgement burst(Map<String, Double> figures) {
    String target = "20,000 queued, cancelled one by one (64 in flight): last shown <= 4 s";
    Double ms = figures.get(BURST_MS);
    if (ms == null) {
      return notMeasured(target, "-", figures, BURST_MS);
    }
    long tasks = Math.round(figures.getOrDefault(BURST_TASKS, 0.0));
    String size = String.format(Locale.ROOT, " for %,d tasks", tasks);
    if (ms.isNaN()) {
      return new Judgement(target, "not all shown" + size, Verdict.NOT_MET, "");
    }
    String measured = String.format(Locale.ROOT, "%.2f s", ms / 1000) + size;
    if (ms > 4000) {
      // Fewer tasks taking longer already: the target's 20,000 would not be faster.
      return new Judgement(target, measured, Verdict.NOT_MET, "");
    }
    if (tasks < BURST_TARGET_TASKS) {
      return new Judgement(target, measured, Verdict.NOT_MEASURED,
          String.format(Locale.ROOT, "ran %,d tasks, the target is for %,d", tasks, BURST_TARGET_TASKS));
    }
    return new Judgement(target, measured, Verdict.MET, "");
  }

  /**
   * A latency bound that holds at a scale ({@code scaleKey} at least {@code scale}): a run at a smaller scale that
   * met the bound measured nothing about the target, one that missed it already did not meet it. NaN latency: some
   * sample went missing, which is not met.
   */
  private static Judgement atScale(String target, Map<String, Double> figures, String key, double bound,
                                   String scaleKey, double scale, String scaleFormat, String missingRule) {
    Double value = figures.get(key);
    if (value == null) {
      return notMeasured(target, "-", figures, key);
    }
    double at = figures.getOrDefault(scaleKey, 0.0);
    String where = String.format(Locale.ROOT, scaleFormat, at);
    if (value.isNaN()) {
      return new Judgement(target, "some missing, " + where, Verdict.NOT_MET, missingRule);
    }
    String measured = "p99 " + ms(value) + " at " + where;
    if (value > bound) {
      return new Judgement(target, measured, Verdict.NOT_MET, "");
    }
    if (at < scale) {
      return new Judgement(target, measured, Verdict.NOT_MEASURED, "ran below the target's scale");
    }
    return new Judgement(target, measured, Verdict.MET, "");
  }

  private static Judgement atLeast(String target, Map<String, Double> figures, String key, double bound,
                                   String format) {
    Double value = figures.get(key);
    if (value == null || value.isNaN()) {
      return notMeasured(target, "-", figures, key);
    }
    return new Judgement(target, String.format(Locale.ROOT, format, value),
        value >= bound ? Verdict.MET : Verdict.NOT_MET, "");
  }

  private static Judgement atMost(String target, Map<String, Double> figures, String key, double bound,
                                  String format) {
    Double value = figures.get(key);
    if (value == null || value.isNaN()) {
      return notMeasured(target, "-", figures, key);
    }
    return new Judgement(target, String.format(Locale.ROOT, format, value),
        value <= bound ? Verdict.MET : Verdict.NOT_MET, "");
  }

  private static Judgement notMeasured(String target, String measured, Map<String, Double> figures,
                                       String... missing) {
    List<String> why = new ArrayList<>();
    for (String key : missing) {
      why.add(SECTION_OF.get(key) + (figures.containsKey(key) ? " measured nothing" : " not run"));
    }
    return new Judgement(target, measured, Verdict.NOT_MEASURED, String.join(", ", why));
  }

  private static String number(double value, String unit) {
    return String.format(Locale.ROOT, "%,.0f %s", value, unit);
  }

  private static String ms(double value) {
    return String.format(Locale.ROOT, value < 100 ? "%.1f ms" : "%,.0f ms", value);
  }
}
