package dev.quench.benchmark.cancel;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the bulk section reads from a cancellation batch's JSON: a 202's batch object, a {@code GET}'s progress, or
 * a dry run's preview (which has no id, status or counts).
 *
 * @param batchId     the batch's id, or null for a preview
 * @param status      {@code accepted}, {@code running}, {@code completed} or {@code aborted}; null for a preview
 * @param matched     the targets fixed at acceptance (a preview: what it would cancel now); -1 if absent
 * @param counts      targets by outcome so far, as the api names them
 * @param createdAt   when the api accepted it, or null
 * @param completedAt when its last target was settled, or null
 */
record BatchStatus(String batchId, String status, int matched, Map<String, Integer> counts, Instant createdAt,
                   Instant completedAt) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  BatchStatus {
    // In the api's order, which the notes keep.
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  /** Reads a response body; throws if it is not a JSON object. */
  static BatchStatus parse(String body) {
    JsonNode node = JSON.readTree(body);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a batch object: " + body);
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    JsonNode countsNode = node.get("counts");
    if (countsNode != null && countsNode.isObject()) {
      for (Map.Entry<String, JsonNode> count : countsNode.properties()) {
        counts.put(count.getKey(), count.getValue().asInt(0));
      }
    }
    JsonNode matched = node.get("matched");
    return new BatchStatus(text(node, "batch_id"), text(node, "status"),
        matched != null && matched.isIntegralNumber() ? matched.asInt() : -1, counts, instant(node, "created_at"),
        instant(node, "completed_at"));
  }

  /** Settled one way or another: nothing more will change. */
  boolean done() {
    return "completed".equals(status) || "aborted".equals(status);
  }

  /** Targets cancelled, queued or running. */
  int cancelled() {
    return count("cancelled_queued") + count("cancelled_running");
  }

  int count(String outcome) {
    return counts.getOrDefault(outcome, 0);
  }

  /** The api's own account: acceptance to the last target settled, or null until it is. */
  Duration serverTook() {
    return createdAt == null || completedAt == null ? null : Duration.between(createdAt, completedAt);
  }

  /** The counts that are not zero, for the notes. */
  String nonZeroCounts() {
    StringBuilder text = new StringBuilder();
    counts.forEach((outcome, count) -> {
      if (count != 0) {
        text.append(text.isEmpty() ? "" : ", ").append(outcome).append(' ').append(count);
      }
    });
    return text.isEmpty() ? "none" : text.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  private static Instant instant(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? null : Instant.parse(value);
  }
}
