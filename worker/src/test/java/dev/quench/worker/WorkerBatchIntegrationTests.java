package dev.quench.worker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.BatchRef;
import dev.quench.events.BatchTargetsSkipped;
import dev.quench.events.CancelNoOp;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.LogAudit;
import dev.quench.events.NoOpReason;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancellation batches as the owners of their partitions decide them: each target handed on as an ordinary cancel
 * carrying the batch, with exactly one outcome; no target before its time; an abort; a cascaded tree.
 */
class WorkerBatchIntegrationTests {

  private WorkerFixture fixture;

  @BeforeEach
  void startWorker() {
    fixture = new WorkerFixture();
    // One slot: the first sleep runs, the others wait as queued.
    fixture.startWorker("w1", Map.of("concurrency", "1"));
  }

  @AfterEach
  void auditTheLog() {
    LogAudit.Report report = LogAudit.audit(fixture.reader.events(fixture.topics.log()));
    fixture.close();
    assertThat(report.violations()).isEmpty();
  }

  private void awaitTypes(String taskId, EventType... types) {
    await().atMost(30, SECONDS).untilAsserted(() -> assertThat(fixture.types(taskId)).containsExactly(types));
  }

  private Envelope last(String taskId) {
    List<Envelope> history = fixture.history(taskId);
    return history.get(history.size() - 1);
  }

  private String sleep() {
    return fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
  }

  @Test
  void everyTargetIsCancelledOnceAsPartOfTheBatchWhateverItsState() {
    String completed = fixture.submit("echo", "{}").taskId();
    awaitTypes(completed, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    String running = sleep();
    awaitTypes(running, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    List<String> queued = List.of(sleep(), sleep(), sleep());
    queued.forEach(t -> awaitTypes(t, EventType.TASK_SUBMITTED));
    String unknown = UUID.randomUUID().toString();
    List<String> targets = new ArrayList<>(List.of(completed, running, unknown));
    targets.addAll(queued);

    UUID batch = fixture.appendBatch(targets, null, null);

    awaitTypes(running, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
    for (String task : queued) {
      awaitTypes(task, EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);
      assertThat(((TaskCancelled) last(task).event()).was()).isEqualTo(TaskStatus.QUEUED);
    }
    awaitTypes(completed, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED,
        EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
    assertThat(((CancelNoOp) last(completed).event()).reason()).isEqualTo(NoOpReason.ALREADY_TERMINAL);
    awaitTypes(unknown, EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
    assertThat(((CancelNoOp) last(unknown).event()).reason()).isEqualTo(NoOpReason.UNKNOWN_TASK);
    for (String task : targets) {
      Envelope request = fixture.history(task).stream().filter(e -> e.type() == EventType.CANCEL_REQUESTED)
          .findFirst().orElseThrow();
      assertThat(((CancelRequested) request.event()).batch().batchId()).isEqualTo(batch);
      assertThat(request.correlationId()).isEqualTo("req-batch");
      assertThat(last(task).causationId()).isEqualTo(request.eventId());
    }
    assertThat(((TaskCancelled) last(running).event()).batch().batchId()).isEqualTo(batch);
    LogAudit.Report report = LogAudit.audit(fixture.reader.events(fixture.topics.log()));
    assertThat(report.batchTargets()).isEqualTo(targets.size());
    assertThat(report.targetsPending()).isZero();
  }

  /** The log records when each target was handed on: never before the batch's pace allows. */
  @Test
  void aBatchWithARateHandsNoTargetOnBeforeItsTime() {
    sleep();
    List<String> targets = IntStream.range(0, 8).mapToObj(i -> sleep()).toList();
    targets.forEach(t -> awaitTypes(t, EventType.TASK_SUBMITTED));

    fixture.appendBatch(targets, 4.0, null);

    targets.forEach(t -> awaitTypes(t, EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED));
    List<Envelope> requests = targets.stream().map(t -> fixture.history(t).get(1)).toList();
    Instant acceptedAt = fixture.reader.events(fixture.topics.log()).stream()
        .filter(e -> e.type() == EventType.BATCH_ACCEPTED).findFirst().orElseThrow().occurredAt();
    for (int partition = 0; partition < WorkerFixture.PARTITIONS; partition++) {
      int p = partition;
      List<Envelope> share = requests.stream().filter(r -> WorkerFixture.partitionOf(r.taskId()) == p)
          .sorted((a, b) -> a.occurredAt().compareTo(b.occurredAt())).toList();
      double rate = 4.0 * share.size() / targets.size();
      for (int n = 0; n < share.size(); n++) {
        Instant due = acceptedAt.plusNanos((long) (n * 1e9 / rate)).minusMillis(1);
        assertThat(share.get(n).occurredAt()).as("target %d of partition %d", n, p).isAfterOrEqualTo(due);
      }
    }
    // Eight at four a second: the last one is due 1.75 s after acceptance at the earliest.
    Instant lastRequest = requests.stream().map(Envelope::occurredAt).max(Instant::compareTo).orElseThrow();
    assertThat(Duration.between(acceptedAt, lastRequest)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void anAbortLeavesTheTargetsNotYetHandedOnAlone() {
    sleep();
    List<String> targets = new ArrayList<>();
    while (targets.size() < 4) {
      String task = fixture.submitTo(0, "sleep", "{\"duration_ms\": 60000}").taskId();
      targets.add(task);
    }
    targets.forEach(t -> awaitTypes(t, EventType.TASK_SUBMITTED));
    // One every five seconds: the first goes at once, the last is due 15 s later.
    UUID batch = fixture.appendBatch(targets, 0.2, null);
    awaitTypes(targets.get(0), EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);

    fixture.abortBatch(batch);

    await().atMost(30, SECONDS).until(() -> fixture.reader.events(fixture.topics.log()).stream()
        .anyMatch(e -> e.type() == EventType.BATCH_TARGETS_SKIPPED));
    BatchTargetsSkipped skipped = (BatchTargetsSkipped) fixture.reader.events(fixture.topics.log()).stream()
        .filter(e -> e.type() == EventType.BATCH_TARGETS_SKIPPED).findFirst().orElseThrow().event();
    List<String> left = skipped.taskIds();
    assertThat(left).isNotEmpty().isSubsetOf(targets.subList(1, targets.size()));
    // A target never handed on has no cancel for the batch, now or later.
    String marker = fixture.submitTo(0, "echo", "{}").taskId();
    fixture.cancel(marker);
    awaitTypes(marker, EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);
    for (String task : left) {
      assertThat(fixture.types(task)).containsExactly(EventType.TASK_SUBMITTED);
    }
    LogAudit.Report report = LogAudit.audit(fixture.reader.events(fixture.topics.log()));
    assertThat(report.targetsPending()).isZero();
  }

  @Test
  void aCascadeCancelsTheTreeAndEveryTaskThatJoinsItLater() {
    sleep();
    String root = sleep();
    String child = fixture.submitChild("sleep", "{\"duration_ms\": 60000}", List.of(root)).taskId();
    // Submitted before the cascade but not named by the api (it could not see it yet): still in the tree.
    String unseen = fixture.submitChild("sleep", "{\"duration_ms\": 60000}", List.of(root, child)).taskId();
    String outsider = sleep();
    List.of(root, child, unseen, outsider).forEach(t -> awaitTypes(t, EventType.TASK_SUBMITTED));

    UUID batch = fixture.appendBatch(List.of(root, child), null, root);
    for (String task : List.of(root, child, unseen)) {
      awaitTypes(task, EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);
    }
    String late = fixture.submitChild("sleep", "{\"duration_ms\": 60000}", List.of(root, child)).taskId();

    awaitTypes(late, EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);
    assertThat(((CancelRequested) fixture.history(late).get(1).event()).batch())
        .isEqualTo(new BatchRef(batch, null));
    assertThat(((CancelRequested) fixture.history(unseen).get(1).event()).batch())
        .isEqualTo(new BatchRef(batch, null));
    assertThat(fixture.types(outsider)).containsExactly(EventType.TASK_SUBMITTED);
  }
}
