package dev.quench.events.wire;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one of quench's topics must be created. Every process creates the topics it uses when they are missing and
 * refuses to start when they exist with different partition counts: adding partitions to a keyed topic would move
 * tasks between partitions and break the per-task order everything relies on.
 *
 * @param name              the topic
 * @param partitions        the same for all of quench's topics (they are co-partitioned)
 * @param replicationFactor replicas per partition
 * @param configs           topic-level configs
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

  /**
   * The largest record a quench topic takes: a request with the largest body the api accepts (1 MiB), or a view
   * holding a task's input and its output (each bounded to 1 MiB), fits with room to spare. Producers are set to
   * the same bound.
   */
  public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** All of quench's topics, for a cluster of {@code replicationFactor} or more brokers. */
  public static List<TopicSpec> all(Topics topics, int partitions, short replicationFactor) {
    String minIsr = String.valueOf(Math.max(1, Math.min(2, replicationFactor - 1)));
    Map<String, String> durable = Map.of("min.insync.replicas", minIsr,
        "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES));
    return List.of(
        // An inbox: a request is copied into the log within milliseconds; a week covers any outage.
        new TopicSpec(topics.requests(), partitions, replicationFactor,
            with(durable, "retention.ms", String.valueOf(7L * 24 * 3600 * 1000))),
        // The source of truth and the audit record: kept forever.
        new TopicSpec(topics.log(), partitions, replicationFactor, with(durable, "retention.ms", "-1")),
        new TopicSpec(topics.view(), partitions, replicationFactor,
            with(durable, "cleanup.policy", "compact")),
        new TopicSpec(topics.deadLetter(), partitions, replicationFactor,
            with(durable, "retention.ms", String.valueOf(30L * 24 * 3600 * 1000))),
        // A batch's report, rewritten as its targets are decided: only the latest of each record counts.
        new TopicSpec(topics.batches(), partitions, replicationFactor, with(durable, "cleanup.policy", "compact")),
        // The latest announcement of each capability, kept for as long as it is not replaced.
        new TopicSpec(topics.capabilities(), partitions, replicationFactor,
            with(durable, "cleanup.policy", "compact")));
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    HashMap<String, String> m = new HashMap<>(base);
    m.put(key, value);
    return Map.copyOf(m);
  }
}
