package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskCompleted;
import dev.quench.events.TaskError;
import dev.quench.events.TaskEvent;
import dev.quench.events.TaskFailed;
import dev.quench.events.TaskStarted;
import dev.quench.events.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The zombie checks find a late result and a task not ended by the orphan policy, and pass a clean takeover. */
class ZombieCheckTests {

  private static final String TASK = "01a20934-7f45-7b28-9d2d-c8c123c0c492";
  private static final Instant FROZEN = Instant.parse("2026-12-03T12:00:10Z");
  private static final Instant THAWED = Instant.parse("2026-12-03T12:00:25Z");
  private static final Set<String> WORKERS = Set.of("worker-1", "worker-2");
  private static final ZombieCheck.Episode EPISODE = new ZombieCheck.Episode("worker-1", FROZEN, THAWED,
      Set.of(TASK));

  private final List<LogCheck.Event> history = new ArrayList<>();

  @Test
  void aTaskStartedByTheFrozenWorkerAndNotEndedIsRunningOnIt() {
    append("worker-1", 5, new TaskStarted("worker-1", 1, null, null));

    assertThat(ZombieCheck.runningOn("worker-1", Map.of(TASK, history))).containsExactly(TASK);
    assertThat(ZombieCheck.runningOn("worker-2", Map.of(TASK, history))).isEmpty();
  }

  @Test
  void theNewOwnerFailingTheOrphanAsWorkerLostPasses() {
    append("worker-1", 5, new TaskStarted("worker-1", 1, null, null));
    append("worker-2", 20, lost());

    ZombieCheck.Result result = ZombieCheck.check(List.of(EPISODE), WORKERS, Map.of(TASK, history));

    assertThat(result.violations()).isEmpty();
    assertThat(result.endings()).containsExactly(Map.entry("failed worker_lost by its new owner", 1));
  }

  @Test
  void aCancelThatReachedThePartitionBeforeTheTakeoverEndsTheOrphanCancelled() {
    append("worker-1", 5, new TaskStarted("worker-1", 1, null, null));
    append("worker-2", 20, new CancelRequested("chaos", "demo", TaskStatus.RUNNING, null, List.of(), null, null));
    append("worker-2", 20, new TaskCancelled(TaskStatus.RUNNING, true, null));

    ZombieCheck.Result result = ZombieCheck.check(List.of(EPISODE), WORKERS, Map.of(TASK, history));

    assertThat(result.violations()).isEmpty();
    assertThat(result.endings()).containsExactly(Map.entry("task.cancelled by its new owner", 1));
  }

  @Test
  void aResultTheZombieDecidedBeforeItsFreezeLandingAfterTheTakeoverIsALateLanding() {
    append("worker-1", 5, new TaskStarted("worker-1", 1, null, null));
    append("worker-2", 20, lost());
    append("worker-1", 9, new TaskCompleted(1, null, null));

    ZombieCheck.Result result = ZombieCheck.check(List.of(EPISODE), WORKERS, Map.of(TASK, history));

    assertThat(result.violations()).anySatisfy(v -> assertThat(v).contains("2 terminal events"))
        .anySatisfy(v -> assertThat(v).contains("task.completed by the zombie worker-1", "landed after task.failed"));
  }

  @Test
  void aZombieResultStampedAfterTheFreezeAndAnOrphanNotFailedAsLostAreViolations() {
    append("worker-1", 5, new TaskStarted("worker-1", 1, null, null));
    append("worker-1", 30, new TaskCompleted(1, null, null));
    ZombieCheck.Result late = ZombieCheck.check(List.of(EPISODE), WORKERS, Map.of(TASK, history));

    history.remove(1);
    append("worker-2", 20, new TaskCompleted(1, null, null));
    ZombieCheck.Result notByPolicy = ZombieCheck.check(List.of(EPISODE), WORKERS, Map.of(TASK, history));

    assertThat(late.violations()).singleElement().asString().contains("late result", "landed after it was isolated");
    assertThat(notByPolicy.violations()).singleElement().asString().contains("not by the orphan policy");
  }

  @Test
  void aFreezeWithNothingRunningShowsNothing() {
    ZombieCheck.Result result = ZombieCheck.check(List.of(new ZombieCheck.Episode("worker-1", FROZEN, THAWED,
        Set.of())), WORKERS, Map.of());

    assertThat(result.violations()).singleElement().asString().contains("no task running");
  }

  private static TaskFailed lost() {
    return new TaskFailed(1, new TaskError(TaskError.WORKER_LOST, "its worker was lost", true), null);
  }

  private void append(String producer, int second, TaskEvent event) {
    Envelope envelope = Envelope.of(UUID.randomUUID(), TASK, "demo", Instant.parse("2026-12-03T12:00:00Z")
        .plusSeconds(second), producer, null, "req-" + history.size(), event);
    history.add(new LogCheck.Event(2, history.size(), envelope));
  }
}
