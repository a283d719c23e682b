package dev.quench.api.tasks;

import dev.quench.api.log.TaskSummary;
import dev.quench.api.log.TaskViewReplica.IndexKey;
import dev.quench.api.web.ApiException;
import dev.quench.api.web.PageParameters;
import dev.quench.events.TaskStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A listing's filters and page: {@code status} (comma-separated), {@code capability}, {@code metadata[key]=value}
 * (all must match), {@code created_after} / {@code created_before} (ISO-8601), {@code parent_task_id},
 * {@code limit} (1 to 100, default 20) and {@code cursor} (opaque, from the previous page's {@code next_cursor}).
 * A cancellation batch's filter is the same filter without the page.
 */
public record TaskListQuery(String tenant, Set<TaskStatus> statuses, String capability,
                            Map<String, String> metadata, Instant createdAfter, Instant createdBefore,
                            String parentTaskId, int limit, IndexKey after) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;
  /** At most this many tasks are looked at per page, so a selective filter cannot turn one page into a scan. */
  public static final int SCAN_LIMIT = 10_000;

  /** Reads the query parameters of a listing request; a bad one is a 400 naming it. */
  public static TaskListQuery of(String tenant, Map<String, String> params) {
    Set<TaskStatus> statuses = new HashSet<>();
    Map<String, String> metadata = new HashMap<>();
    String capability = null;
    String parent = null;
    Instant after = null;
    Instant before = null;
    int limit = DEFAULT_LIMIT;
    IndexKey cursor = null;
    for (Map.Entry<String, String> param : params.entrySet()) {
      String name = param.getKey();
      String value = param.getValue();
      if (name.equals("status")) {
        for (String status : value.split(",")) {
          statuses.add(TaskStatus.parse(status.trim()).orElseThrow(() -> ApiException.invalid("status",
              "status must be queued, running, completed, failed or cancelled")));
        }
      } else if (name.equals("capability")) {
        capability = value;
      } else if (name.startsWith("metadata[") && name.endsWith("]") && name.length() > 10) {
        metadata.put(name.substring(9, name.length() - 1), value);
      } else if (name.equals("created_after")) {
        after = instant(name, value);
      } else if (name.equals("created_before")) {
        before = instant(name, value);
      } else if (name.equals("parent_task_id")) {
        parent = value;
      } else if (name.equals("limit")) {
        limit = PageParameters.limit(value, DEFAULT_LIMIT, MAX_LIMIT);
      } else if (name.equals("cursor")) {
        cursor = cursor(tenant, value);
      } else {
        throw ApiException.invalid(name, "unknown query parameter '" + name + "'; known: status, capability,"
            + " metadata[key], created_after, created_before, parent_task_id, limit, cursor");
      }
    }
    return new TaskListQuery(tenant, Set.copyOf(statuses), capability, Map.copyOf(metadata), after, before, parent,
        limit, cursor);
  }

  /** A filter without a page, as a cancellation batch names its targets. */
  public static TaskListQuery filter(String tenant, Set<TaskStatus> statuses, String capability,
                                     Map<String, String> metadata, Instant createdAfter, Instant createdBefore,
                                     String parentTaskId) {
    return new TaskListQuery(tenant, Set.copyOf(statuses), capability, Map.copyOf(metadata), createdAfter,
        createdBefore, parentTaskId, MAX_LIMIT, null);
  }

  /** Whether the filter names at least one condition: a batch never cancels everything by accident. */
  public boolean narrows() {
    return !statuses.isEmpty() || capability != null || !metadata.isEmpty() || createdAfter != null
        || createdBefore != null || parentTaskId != null;
  }

  public boolean matches(TaskSummary task) {
    return (statuses.isEmpty() || statuses.contains(task.status()))
        && (capability == null || capability.equals(task.capability()))
        && metadata.entrySet().stream().allMatch(m -> m.getValue().equals(task.metadata().get(m.getKey())))
        && (createdAfter == null || task.createdAt().isAfter(createdAfter))
        && (createdBefore == null || task.createdAt().isBefore(createdBefore))
        && (parentTaskId == null || parentTaskId.equals(task.parentTaskId()));
  }

  /** The opaque cursor of a page that starts after {@code key}. */
  public static String cursorOf(IndexKey key) {
    return key == null ? null : PageParameters.cursorOf(key.createdAt() + "|" + key.taskId());
  }

  private static IndexKey cursor(String tenant, String value) {
    try {
      String[] parts = PageParameters.position(value).split("\\|", 2);
      return new IndexKey(tenant, Instant.parse(parts[0]), parts[1]);
    } catch (DateTimeParseException | ArrayIndexOutOfBoundsException e) {
      throw PageParameters.badCursor();
    }
  }

  private static Instant instant(String name, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(name, name + " must be an ISO-8601 instant, e.g. 2026-11-23T10:00:00Z");
    }
  }
}
