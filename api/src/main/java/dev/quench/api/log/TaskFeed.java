package dev.quench.api.log;

import dev.quench.events.TaskState;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Followers of tasks' views as this replica receives them from {@code tasks.view}: a stream of one task's events, or
 * of every task of a tenant. Only views count, never requests not yet in one: a follower sees facts of the log, in
 * the order the log has them, and nothing a worker may still decide otherwise.
 *
 * <p>A follower is told on the replica's thread, so it must not block: it hands the change to a thread of its own.
 * A change nobody follows costs two map lookups.
 */
final class TaskFeed {

  private final Map<String, Set<TaskFollower>> byTask = new ConcurrentHashMap<>();
  private final Map<String, Set<TaskFollower>> byTenant = new ConcurrentHashMap<>();

  TaskViewReplica.Following followTask(String taskId, TaskFollower follower) {
    return add(byTask, taskId, follower);
  }

  TaskViewReplica.Following followTenant(String tenant, TaskFollower follower) {
    return add(byTenant, tenant, follower);
  }

  /** Whether someone follows every task of this tenant: only then is the version a view replaces worth looking up. */
  boolean followsTenant(String tenant) {
    return byTenant.containsKey(tenant);
  }

  /**
   * A new view of a task arrived.
   *
   * @param before the version of the view it replaced (0 if none), or -1 when nobody follows the tenant
   */
  void changed(TaskState task, long before) {
    Set<TaskFollower> ofTask = byTask.get(task.taskId());
    if (ofTask != null) {
      ofTask.forEach(f -> f.changed(task, before));
    }
    if (before >= 0) {
      Set<TaskFollower> ofTenant = byTenant.get(task.tenant());
      if (ofTenant != null) {
        ofTenant.forEach(f -> f.changed(task, before));
      }
    }
  }

  int following() {
    return byTask.values().stream().mapToInt(Set::size).sum()
        + byTenant.values().stream().mapToInt(Set::size).sum();
  }

  private static TaskViewReplica.Following add(Map<String, Set<TaskFollower>> index, String key,
                                               TaskFollower follower) {
    index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(follower);
    return () -> index.computeIfPresent(key, (k, followers) -> {
      followers.remove(follower);
      return followers.isEmpty() ? null : followers;
    });
  }
}
