package dev.quench.callbacks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.CallbackDelivered;
import dev.quench.events.CallbackRequest;
import dev.quench.events.CallbackSchedule;
import dev.quench.events.Envelope;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskEvent;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.Uuids;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The deliverer's fold of its partitions, given records of the log, without a broker. */
class OwnedCallbacksTests {

  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private static final EventCodec CODEC = new EventCodec();

  private final OwnedCallbacks callbacks = new OwnedCallbacks(CODEC,
      new CallbackSchedule(List.of(Duration.ZERO, Duration.ofSeconds(5)), 0));
  private long offset;

  @Test
  void aCallbackIsDueOnceItsTaskEndsAndIsTakenOnce() {
    callbacks.own(0, 0);
    callbacks.restored(p -> 0);
    fold(0, "t1", T0, submittedWithCallback());
    assertThat(callbacks.takeDue(T0.plusSeconds(1))).isEmpty();

    fold(0, "t1", T0.plusSeconds(1), new TaskCancelled(TaskStatus.QUEUED, false));

    assertThat(callbacks.takeDue(T0.plusSeconds(1))).singleElement().satisfies(due -> {
      assertThat(due.task().taskId()).isEqualTo("t1");
      assertThat(due.attempt()).isEqualTo(1);
      assertThat(due.partition()).isZero();
    });
    assertThat(callbacks.sending()).isTrue();
    assertThat(callbacks.takeDue(T0.plusSeconds(2))).as("out being sent").isEmpty();
  }

  @Test
  void nothingIsDueWhilePartitionIsRestoring() {
    callbacks.own(0, 3);
    fold(0, "t1", T0, submittedWithCallback());
    fold(0, "t1", T0, new TaskCancelled(TaskStatus.QUEUED, false));

    assertThat(callbacks.takeDue(T0.plusSeconds(1))).isEmpty();
    assertThat(callbacks.nextDue()).isNull();
    assertThat(callbacks.restored(p -> 2)).isEmpty();

    assertThat(callbacks.restored(p -> 3)).containsExactly(0);
    assertThat(callbacks.takeDue(T0.plusSeconds(1))).hasSize(1);
  }

  @Test
  void aTaskThatAskedForNoCallbackIsNeverFollowed() {
    callbacks.own(0, 0);
    callbacks.restored(p -> 0);
    fold(0, "t1", T0, new TaskSubmitted("echo", null, Map.of(), null, "demo", null, List.of()));
    fold(0, "t1", T0, new TaskCancelled(TaskStatus.QUEUED, false));

    assertThat(callbacks.takeDue(T0.plusSeconds(1))).isEmpty();
    assertThat(callbacks.progressIfChanged(true).pending()).isZero();
  }

  @Test
  void aResultRecordedSettlesTheCallbackAndItsEchoFromTheLogChangesNothing() {
    givenACallbackDueOnPartitionZero();
    OwnedCallbacks.Due due = callbacks.takeDue(T0).get(0);

    var task = callbacks.cameBack(0, "t1", due.attempt());
    assertThat(task).isNotNull();
    Envelope delivered = task.callback().record(task, new CallbackDelivered(1, 204), "deliverer", T0);
    callbacks.recorded(0, delivered);
    fold(0, delivered);

    assertThat(callbacks.takeDue(T0.plusSeconds(10))).isEmpty();
    assertThat(callbacks.nextDue()).isNull();
    assertThat(callbacks.sending()).isFalse();
  }

  @Test
  void aSendThatComesBackAfterItsPartitionWasReleasedIsNotRecorded() {
    givenACallbackDueOnPartitionZero();
    OwnedCallbacks.Due due = callbacks.takeDue(T0).get(0);

    callbacks.release(0);

    assertThat(callbacks.cameBack(0, "t1", due.attempt())).isNull();
    assertThat(callbacks.sending()).isFalse();
    assertThat(callbacks.owned()).isEmpty();
  }

  @Test
  void recordsOfAPartitionNotOwnedAreIgnored() {
    callbacks.own(0, 0);
    callbacks.restored(p -> 0);
    fold(1, "t1", T0, submittedWithCallback());
    fold(1, "t1", T0, new TaskCancelled(TaskStatus.QUEUED, false));

    assertThat(callbacks.takeDue(T0.plusSeconds(1))).isEmpty();
  }

  /** Partition 0 owned and restored, and on it task t1, which asked for a callback and was cancelled at T0. */
  private void givenACallbackDueOnPartitionZero() {
    callbacks.own(0, 0);
    callbacks.restored(p -> 0);
    fold(0, "t1", T0, submittedWithCallback());
    fold(0, "t1", T0, new TaskCancelled(TaskStatus.QUEUED, false));
  }

  private static TaskSubmitted submittedWithCallback() {
    return new TaskSubmitted("echo", null, Map.of(), null, "demo", null, List.of(), null, List.of(),
        new CallbackRequest("https://receiver.example/hook"));
  }

  private void fold(int partition, String taskId, Instant at, TaskEvent event) {
    fold(partition, Envelope.of(Uuids.v7(at.toEpochMilli()), taskId, "demo", at, "test", null, "req", event));
  }

  private void fold(int partition, Envelope e) {
    RecordHeaders headers = new RecordHeaders();
    CloudEventHeaders.of(e).forEach(headers::add);
    callbacks.fold(new ConsumerRecord<>("tasks.log", partition, offset++, e.occurredAt().toEpochMilli(),
        TimestampType.CREATE_TIME, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE,
        e.taskId().getBytes(StandardCharsets.UTF_8), CODEC.encode(e), headers, Optional.empty()));
  }
}
