package dev.quench.events.wire;

import java.util.List;

/**
 * The topics quench uses. All have the same number of partitions; those keyed by task id hold a task's requests, its
 * log and its view in partitions of the same number (co-partitioned).
 *
 * @param prefix     the prefix of every name, also used for consumer group ids
 * @param requests   the api appends {@code TaskSubmitted} and {@code CancelRequested} here; the owning worker reads
 * @param log        the source of truth: every event of every task in order; written by workers in transactions
 * @param view       compacted: the latest view of each task; written by the projector, read by the api
 * @param deadLetter records that cannot be decoded, with the reason in headers
 * @param batches    compacted: each cancellation batch's header and the chunks of its report; written by the
 *                   projector, read by the api
 * @param capabilities compacted, keyed by capability: what workers serve and the JSON Schema of each one's input;
 *                   written by workers when they start, read by the api to refuse bad input at the door
 */
public record Topics(String prefix, String requests, String log, String view, String deadLetter, String batches,
                     String capabilities) {

  /** @param prefix put before every name (and before consumer group ids), so deployments can share a cluster */
  public static Topics withPrefix(String prefix) {
    String p = prefix == null ? "" : prefix;
    return new Topics(p, p + "tasks.requests", p + "tasks.log", p + "tasks.view", p + "tasks.dlt",
        p + "tasks.batches", p + "tasks.capabilities");
  }

  public static Topics defaults() {
    return withPrefix("");
  }

  /** Every name, in the order the README's topic table lists them. */
  public List<String> names() {
    return List.of(requests, log, view, deadLetter, batches, capabilities);
  }
}
