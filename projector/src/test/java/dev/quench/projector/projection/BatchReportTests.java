package dev.quench.projector.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.BatchChunkView;
import dev.quench.events.BatchHistory;
import dev.quench.events.BatchRef;
import dev.quench.events.BatchTargetsSkipped;
import dev.quench.events.BatchView;
import dev.quench.events.CancelNoOp;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.NoOpReason;
import dev.quench.events.TargetOutcome;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A partition's batch events folded into its batch records: given the log, then what the batches topic holds. */
class BatchReportTests {

  private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");
  private final BatchHistory batch = new BatchHistory(UUID.randomUUID(), AT);
  private final List<Envelope> log = new ArrayList<>();
  private final BatchReport report = new BatchReport(0);

  private List<Object> fold() {
    for (int offset = 0; offset < log.size(); offset++) {
      report.apply(log.get(offset), offset);
    }
    return report.drainChanged(true);
  }

  private Envelope request(String task, Integer chunk) {
    return Envelope.of(UUID.randomUUID(), task, TaskHistory.TENANT, AT.plusMillis(log.size()), "w", null, "r",
        new CancelRequested("bulk", "k", null, null, List.of(), new BatchRef(batch.batchId(), chunk)));
  }

  private Envelope answer(String task, Integer chunk, dev.quench.events.TaskEvent event) {
    return Envelope.of(UUID.randomUUID(), task, TaskHistory.TENANT, AT.plusMillis(log.size()), "w", null, "r",
        event);
  }

  private static BatchChunkView.Target target(List<Object> records, String key, String task) {
    BatchChunkView chunk = records.stream().filter(r -> r instanceof BatchChunkView c && c.key().equals(key))
        .map(BatchChunkView.class::cast).findFirst().orElseThrow();
    return chunk.targets().stream().filter(t -> t.taskId().equals(task)).findFirst().orElseThrow();
  }

  @Test
  void everyTargetShowsWhatBecameOfIt() {
    BatchRef ref = new BatchRef(batch.batchId(), 0);
    log.add(batch.accepted(4, 0, 1));
    log.add(batch.targets(0, 0, null, List.of("queued", "running", "done", "pending")));
    log.add(request("queued", 0));
    log.add(answer("queued", 0, new TaskCancelled(TaskStatus.QUEUED, false, null, ref)));
    log.add(request("running", 0));
    log.add(request("done", 0));
    log.add(answer("done", 0, new CancelNoOp(NoOpReason.ALREADY_TERMINAL, TaskStatus.COMPLETED, ref)));
    log.add(answer("running", 0, new TaskCancelled(TaskStatus.RUNNING, true, null, ref)));

    List<Object> records = fold();

    String key = BatchChunkView.key(batch.batchId(), 0, 0);
    assertThat(target(records, key, "queued").outcome()).isEqualTo(TargetOutcome.CANCELLED_QUEUED);
    BatchChunkView.Target running = target(records, key, "running");
    assertThat(running.outcome()).isEqualTo(TargetOutcome.CANCELLED_RUNNING);
    assertThat(running.forced()).isTrue();
    assertThat(running.requestedAt()).isEqualTo(log.get(4).occurredAt());
    assertThat(running.decidedAt()).isEqualTo(log.get(7).occurredAt());
    assertThat(target(records, key, "done").outcome()).isEqualTo(TargetOutcome.ALREADY_TERMINAL);
    assertThat(target(records, key, "pending").outcome()).isEqualTo(TargetOutcome.PENDING);
    assertThat(records).filteredOn(BatchView.class::isInstance).singleElement()
        .satisfies(header -> assertThat(((BatchView) header).accepted().matched()).isEqualTo(4));
  }

  @Test
  void aReplayOfWhatARecordReflectsChangesNothing() {
    log.add(batch.targets(0, 0, null, List.of("a")));
    log.add(request("a", 0));
    fold();

    for (int offset = 0; offset < log.size(); offset++) {
      report.apply(log.get(offset), offset);
    }

    assertThat(report.drainChanged(true)).isEmpty();
  }

  @Test
  void anAbortShowsTheTargetsLeftAloneAndALateArrivalGetsAChunkOfItsPartition() {
    log.add(batch.accepted(2, 0, 1));
    log.add(batch.targets(0, 0, 1.0, List.of("a", "b")));
    log.add(request("a", 0));
    log.add(batch.abort());
    log.add(Envelope.of(UUID.randomUUID(), batch.batchId().toString(), TaskHistory.TENANT, AT, "w", null, "r",
        new BatchTargetsSkipped(0, List.of("b"))));
    log.add(request("late", null));

    List<Object> records = fold();

    assertThat(target(records, BatchChunkView.key(batch.batchId(), 0, 0), "b").outcome())
        .isEqualTo(TargetOutcome.ABORTED);
    assertThat(target(records, BatchChunkView.key(batch.batchId(), null, 0), "late").outcome())
        .isEqualTo(TargetOutcome.REQUESTED);
    assertThat(records).filteredOn(BatchView.class::isInstance).singleElement()
        .satisfies(header -> assertThat(((BatchView) header).abortRequestedAt()).isNotNull());
  }

  @Test
  void aChunkUnderWayIsHeldBackWithItsOffsetAndOneThatSettlesIsWrittenAtOnce() {
    BatchRef ref = new BatchRef(batch.batchId(), 0);
    String key = BatchChunkView.key(batch.batchId(), 0, 0);
    log.add(batch.accepted(2, 0, 1));
    log.add(batch.targets(0, 0, null, List.of("a", "b")));
    log.add(request("a", 0));
    log.add(answer("a", 0, new TaskCancelled(TaskStatus.QUEUED, false, null, ref)));
    for (int offset = 0; offset < log.size(); offset++) {
      report.apply(log.get(offset), offset);
    }

    assertThat(report.drainChanged(false)).singleElement().isInstanceOf(BatchView.class);
    assertThat(report.holdsChanges()).isTrue();
    // The chunk's first change not written is its naming, at offset 1: no commit may pass it.
    assertThat(report.heldFrom()).isEqualTo(1);
    assertThat(target(report.drainChanged(true), key, "a").outcome()).isEqualTo(TargetOutcome.CANCELLED_QUEUED);
    assertThat(report.holdsChanges()).isFalse();
    assertThat(report.heldFrom()).isEqualTo(-1);

    int from = log.size();
    log.add(request("b", 0));
    log.add(answer("b", 0, new CancelNoOp(NoOpReason.ALREADY_TERMINAL, TaskStatus.COMPLETED, ref)));
    for (int offset = from; offset < log.size(); offset++) {
      report.apply(log.get(offset), offset);
    }

    assertThat(target(report.drainChanged(false), key, "b").outcome()).isEqualTo(TargetOutcome.ALREADY_TERMINAL);
    assertThat(report.holdsChanges()).isFalse();
    assertThat(report.heldFrom()).isEqualTo(-1);
  }
}
