package dev.quench.benchmark;

import java.util.Arrays;
import java.util.Locale;

/** The parts of one benchmark run, in the order they run. */
public enum Section {

  /** QuenchStandalone on a fresh data dir, until the first accepted create. Always runs; reported when selected. */
  STARTUP("time from QuenchStandalone.main on a fresh data dir to the first 2xx"),
  /** Running tasks of a probe handler, cancelled: cancel request to the handler seeing its token. */
  STOP("cancel request -> running handler observes its token"),
  /** POST /v1/tasks, closed loop. */
  CREATES("POST /v1/tasks throughput, closed loop"),
  /** Queued tasks cancelled open loop at stepped rates, until the view shows them cancelled. */
  CANCEL("open-loop cancels of queued tasks -> view shows cancelled, stepped rates"),
  /** Queued tasks cancelled by one client as fast as it can, until the view shows the last one cancelled. */
  BURST("a burst of cancels of queued tasks, one client, as fast as it can"),
  /** As many queued tasks cancelled by one cancellation batch over a filter, until the view shows the last one. */
  BULK("queued tasks cancelled by one filter batch (POST /v1/cancellation_batches), beside the burst"),
  /** GET /v1/tasks/{id}, closed loop. */
  READS("GET /v1/tasks/{id} ceiling, closed loop"),
  /** The reads' client against a bare Spring MVC app returning a task's JSON: what the reads are a ratio of. */
  HTTP_CEILING("the reads' client against a trivial endpoint of the same Spring MVC stack"),
  /**
   * Telling the caller a task ended: terminal event -> callback at a receiver on loopback, -> Server-Sent Event with
   * many streams open, -> the answer of a cancel that waits ({@code Prefer: wait}).
   */
  NOTIFY("terminal event -> callback received, SSE event at a client, Prefer: wait answer"),
  /** The same broker, records of a cancel's sizes through as many hops, without quench. */
  BASELINE("raw Kafka relay, same broker, same record sizes and hops"),
  /** A million synthetic log events, folded again by the projector's rebuild. */
  REBUILD("projector rebuild of >= 1M log events"),
  /** Heap of an api instance whose replica holds a million task views. */
  MEMORY("api replica heap per task at 1M tasks"),
  /** The RocksDB replica at ten million tasks: ingest, heap, disk, reads, restart. Only when named: ~30 GB, ~30 min. */
  DISK("disk-backed (RocksDB) api replica at 10M tasks", false);

  private final String description;
  private final boolean byDefault;

  Section(String description) {
    this(description, true);
  }

  Section(String description, boolean byDefault) {
    this.description = description;
    this.byDefault = byDefault;
  }

  /** Whether a run without {@code --sections} runs it. */
  public boolean byDefault() {
    return byDefault;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public String description() {
    return description;
  }

  public static Section parse(String value) {
    String wanted = value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.id().equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown section '" + value + "'; sections are "
            + Arrays.stream(values()).map(Section::id).toList()));
  }
}
