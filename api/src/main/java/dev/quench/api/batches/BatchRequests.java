package dev.quench.api.batches;

import dev.quench.api.tasks.TaskListQuery;
import dev.quench.api.tasks.TaskRequests;
import dev.quench.api.web.ApiException;
import dev.quench.events.TaskStatus;
import dev.quench.events.Warning;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Reads and checks a {@code POST /v1/cancellation_batches} body, field by field. */
final class BatchRequests {

  /** The most targets one batch names: its records stay a few megabytes, and a report stays readable. */
  static final int MAX_TARGETS = 100_000;
  static final int MAX_PER_SECOND = 100_000;
  private static final Set<String> FIELDS = Set.of("task_ids", "filter", "reason", "max_per_second", "dry_run");
  private static final Set<String> FILTER_FIELDS = Set.of("status", "capability", "metadata", "created_after",
      "created_before", "parent_task_id");

  /**
   * A checked batch request: exactly one of {@code taskIds} and {@code filter}.
   *
   * @param taskIds      the ids named, without repeats, in the order given; or null
   * @param filter       the filter, or null
   * @param filterEcho   the filter as the client sent it, recorded with the batch
   * @param reason       each target's cancel reason, or null
   * @param warnings     what the client should know (a reason that had to be cut)
   * @param maxPerSecond the most targets handed on per second, or null
   * @param dryRun       count the targets, record nothing
   */
  record BatchRequest(List<String> taskIds, TaskListQuery filter, JsonNode filterEcho, String reason,
                      List<Warning> warnings, Integer maxPerSecond, boolean dryRun) {
  }

  private BatchRequests() {
  }

  static BatchRequest of(String tenant, JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid(null, "the request body must be a JSON object");
    }
    for (String name : body.propertyNames()) {
      if (!FIELDS.contains(name)) {
        throw ApiException.invalid(name, "unknown field '" + name + "'; known fields: " + FIELDS);
      }
    }
    JsonNode ids = body.get("task_ids");
    JsonNode filter = body.get("filter");
    boolean hasIds = ids != null && !ids.isNull();
    boolean hasFilter = filter != null && !filter.isNull();
    if (hasIds == hasFilter) {
      throw ApiException.invalid(hasIds ? "filter" : "task_ids",
          "name the targets with exactly one of task_ids (a list of ids) and filter");
    }
    TaskRequests.Cancel reason = TaskRequests.reason(body.get("reason"), false);
    Integer rate = rate(body.get("max_per_second"));
    JsonNode dryRun = body.get("dry_run");
    if (dryRun != null && !dryRun.isNull() && !dryRun.isBoolean()) {
      throw ApiException.invalid("dry_run", "dry_run must be true or false");
    }
    boolean dry = dryRun != null && dryRun.asBoolean(false);
    if (hasIds) {
      return new BatchRequest(ids(ids), null, null, reason.reason(), reason.warnings(), rate, dry);
    }
    return new BatchRequest(null, filter(tenant, filter), filter, reason.reason(), reason.warnings(), rate, dry);
  }

  private static List<String> ids(JsonNode ids) {
    if (!ids.isArray()) {
      throw ApiException.invalid("task_ids", "task_ids must be a list of task ids");
    }
    if (ids.isEmpty()) {
      throw ApiException.invalid("task_ids", "task_ids names no task");
    }
    if (ids.size() > MAX_TARGETS) {
      throw ApiException.invalid("task_ids", "a batch names at most " + MAX_TARGETS + " tasks; this one names "
          + ids.size() + ": split it");
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (JsonNode id : ids) {
      if (!id.isString() || id.asString().isEmpty() || id.asString().length() > 64) {
        throw ApiException.invalid("task_ids", "every task id must be a string of 1 to 64 characters");
      }
      distinct.add(id.asString());
    }
    return List.copyOf(distinct);
  }

  private static Integer rate(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1 || node.asInt() > MAX_PER_SECOND) {
      throw ApiException.invalid("max_per_second", "max_per_second must be an integer from 1 to " + MAX_PER_SECOND);
    }
    return node.asInt();
  }

  private static TaskListQuery filter(String tenant, JsonNode filter) {
    if (!filter.isObject()) {
      throw ApiException.invalid("filter", "filter must be an object");
    }
    for (String name : filter.propertyNames()) {
      if (!FILTER_FIELDS.contains(name)) {
        throw ApiException.invalid("filter." + name, "unknown filter '" + name + "'; known: " + FILTER_FIELDS);
      }
    }
    TaskListQuery query = TaskListQuery.filter(tenant, statuses(filter.get("status")),
        text(filter, "capability"), metadata(filter.get("metadata")), instant(filter, "created_after"),
        instant(filter, "created_before"), text(filter, "parent_task_id"));
    if (!query.narrows()) {
      throw ApiException.invalid("filter", "the filter names no condition: a batch never cancels everything by "
          + "accident; list the statuses if that is what you mean");
    }
    return query;
  }

  private static Set<TaskStatus> statuses(JsonNode node) {
    Set<TaskStatus> statuses = new HashSet<>();
    if (node == null || node.isNull()) {
      return statuses;
    }
    List<JsonNode> values = new ArrayList<>();
    if (node.isArray()) {
      node.values().forEach(values::add);
    } else {
      values.add(node);
    }
    for (JsonNode value : values) {
      if (!value.isString()) {
        throw ApiException.invalid("filter.status", "status must be a list of statuses");
      }
      statuses.add(TaskStatus.parse(value.asString()).orElseThrow(() -> ApiException.invalid("filter.status",
          "status must be queued, running, completed, failed or cancelled")));
    }
    return statuses;
  }

  private static String text(JsonNode filter, String field) {
    JsonNode node = filter.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString() || node.asString().isEmpty()) {
      throw ApiException.invalid("filter." + field, field + " must be a non-empty string");
    }
    return node.asString();
  }

  private static Map<String, String> metadata(JsonNode node) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return metadata;
    }
    if (!node.isObject()) {
      throw ApiException.invalid("filter.metadata", "metadata must be an object of string values");
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (!entry.getValue().isString()) {
        throw ApiException.invalid("filter.metadata." + entry.getKey(), "metadata values must be strings");
      }
      metadata.put(entry.getKey(), entry.getValue().asString());
    }
    return metadata;
  }

  private static Instant instant(JsonNode filter, String field) {
    String value = text(filter, field);
    try {
      return value == null ? null : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid("filter." + field, field + " must be an ISO-8601 instant, e.g. 2026-11-23T10:00:00Z");
    }
  }
}
