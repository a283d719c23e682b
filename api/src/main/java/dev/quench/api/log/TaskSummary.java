package dev.quench.api.log;

import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a filter over a tenant's tasks looks at (a listing, a cancellation batch's filter, a cascade over a tree),
 * kept apart from the packed view so that matching a hundred thousand tasks decodes none of them.
 *
 * @param taskId       the task
 * @param tenant       whose it is
 * @param createdAt    when it was submitted
 * @param status       where it is in its life
 * @param capability   what runs it
 * @param metadata     the client's labels
 * @param parentTaskId its parent, or null
 * @param ancestors    its parent's ancestors and its parent, root first
 */
public record TaskSummary(String taskId, String tenant, Instant createdAt, TaskStatus status, String capability,
                          Map<String, String> metadata, String parentTaskId, List<String> ancestors) {

  public static TaskSummary of(TaskState task) {
    return new TaskSummary(task.taskId(), task.tenant(), task.createdAt(), task.status(), task.capability(),
        task.metadata(), task.parentTaskId(), task.ancestors());
  }

  /** Whether this task is {@code root} or descends from it. */
  public boolean inTreeOf(String root) {
    return taskId.equals(root) || ancestors.contains(root);
  }
}
