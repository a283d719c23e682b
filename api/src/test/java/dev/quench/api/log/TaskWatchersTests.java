package dev.quench.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.Envelope;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Waiters on a task's state are told on the change that satisfies them, and forgotten once done. */
class TaskWatchersTests {

  private final Map<String, TaskState> tasks = new ConcurrentHashMap<>();
  private final TaskWatchers watchers = new TaskWatchers(tasks::get);
  private static final Predicate<TaskState> ENDED = task -> task.status().terminal();

  private static TaskState queued(String taskId) {
    return TaskState.fold(List.of(TaskHistory.task(taskId).submitted()));
  }

  private static TaskState cancelled(String taskId) {
    TaskHistory task = TaskHistory.task(taskId);
    List<Envelope> log = TaskHistory.decideAfter(List.of(), task.accept(task.submitted()));
    return TaskState.fold(TaskHistory.decideAfter(log, task.accept(task.cancelRequested("stop"))));
  }

  @Test
  void aWaiterIsCompletedByTheChangeThatSatisfiesItAndNotBefore() throws Exception {
    tasks.put("t-1", queued("t-1"));
    CompletableFuture<TaskState> ended = watchers.when("t-1", ENDED);

    watchers.changed("t-1");
    assertThat(ended).isNotDone();

    tasks.put("t-1", cancelled("t-1"));
    watchers.changed("t-1");
    assertThat(ended.get(0, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(watchers.waiting()).isZero();
  }

  @Test
  void aWaiterWhoseConditionAlreadyHoldsIsCompletedAtOnce() {
    tasks.put("t-1", cancelled("t-1"));

    assertThat(watchers.when("t-1", ENDED)).isCompleted();
    assertThat(watchers.waiting()).isZero();
  }

  @Test
  void aChangeOfAnotherTaskTellsNobody() {
    tasks.put("t-1", queued("t-1"));
    CompletableFuture<TaskState> ended = watchers.when("t-1", ENDED);

    tasks.put("t-2", cancelled("t-2"));
    watchers.changed("t-2");

    assertThat(ended).isNotDone();
  }

  @Test
  void aWaiterOfATaskNotYetKnownIsToldOnceItIs() {
    CompletableFuture<TaskState> known = watchers.when("t-9", task -> true);
    assertThat(known).isNotDone();

    tasks.put("t-9", queued("t-9"));
    watchers.changed("t-9");

    assertThat(known).isCompleted();
  }

  @Test
  void everyWaiterOfATaskIsToldEachByItsOwnCondition() {
    tasks.put("t-1", queued("t-1"));
    CompletableFuture<TaskState> first = watchers.when("t-1", ENDED);
    CompletableFuture<TaskState> second = watchers.when("t-1", ENDED);
    CompletableFuture<TaskState> never = watchers.when("t-1", task -> task.status() == TaskStatus.RUNNING);

    tasks.put("t-1", cancelled("t-1"));
    watchers.changed("t-1");

    assertThat(first).isCompleted();
    assertThat(second).isCompleted();
    assertThat(never).isNotDone();
    assertThat(watchers.waiting()).isEqualTo(1);
  }

  @Test
  void aWaiterThatGivesUpIsForgotten() {
    tasks.put("t-1", queued("t-1"));
    CompletableFuture<TaskState> ended = watchers.when("t-1", ENDED);

    assertThat(ended).failsWithin(10, TimeUnit.MILLISECONDS).withThrowableOfType(TimeoutException.class);
    ended.cancel(false);

    assertThat(watchers.waiting()).isZero();
    tasks.put("t-1", cancelled("t-1"));
    watchers.changed("t-1");
    assertThat(ended).isCancelled();
  }
}
