package dev.quench.api.log;

import dev.quench.events.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Requests waiting for a task to reach some state: a Scout cancel waiting for its outcome, a client that prefers to
 * wait for the result. A waiter registers a condition on one task; the replica reports every change of a task here,
 * and each waiter whose condition holds then is completed, with the task as it stands, on the thread that made the
 * change. Nothing polls and no thread is kept per waiter: a change of a task nobody waits for costs one map lookup.
 *
 * <p>A condition must be cheap and must not block: it runs on the replica's thread. Continuations of the returned
 * futures should be attached with the {@code *Async} methods, for the same reason.
 */
final class TaskWatchers {

  private record Watch(Predicate<TaskState> condition, CompletableFuture<TaskState> result) {
  }

  private final Map<String, List<Watch>> byTask = new ConcurrentHashMap<>();
  private final Function<String, TaskState> current;

  /** @param current the task as the replica knows it now, or null */
  TaskWatchers(Function<String, TaskState> current) {
    this.current = current;
  }

  /**
   * Completes with the task once {@code condition} holds for it: at once if it already does. Cancelling the future
   * (after a timeout, say) forgets the waiter.
   */
  CompletableFuture<TaskState> when(String taskId, Predicate<TaskState> condition) {
    Watch watch = new Watch(condition, new CompletableFuture<>());
    byTask.compute(taskId, (id, watches) -> {
      List<Watch> more = watches == null ? new ArrayList<>() : new ArrayList<>(watches);
      more.add(watch);
      return List.copyOf(more);
    });
    watch.result.whenComplete((task, failure) -> forget(taskId, watch));
    // Registered first, looked at second: a change made in between is reported to this waiter too.
    changed(taskId);
    return watch.result;
  }

  /** The replica changed this task: completes every waiter whose condition now holds. */
  void changed(String taskId) {
    List<Watch> watches = byTask.get(taskId);
    if (watches == null) {
      return;
    }
    TaskState task = current.apply(taskId);
    if (task == null) {
      return;
    }
    for (Watch watch : watches) {
      if (!watch.result.isDone() && watch.condition.test(task)) {
        watch.result.complete(task);
      }
    }
  }

  /** How many waiters there are now, on every task. */
  int waiting() {
    return byTask.values().stream().mapToInt(List::size).sum();
  }

  private void forget(String taskId, Watch watch) {
    byTask.computeIfPresent(taskId, (id, watches) -> {
      List<Watch> left = watches.stream().filter(w -> w != watch).toList();
      return left.isEmpty() ? null : left;
    });
  }
}
