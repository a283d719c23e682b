package dev.quench.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskView;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.DeadLetterHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** One projector over the topics of this class, fed the log a worker writes. */
class ViewProjectionIntegrationTests {

  private static final String PREFIX = SharedKafkaBroker.uniquePrefix();
  private static final Topics TOPICS = Topics.withPrefix(PREFIX);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static ConfigurableApplicationContext projector;
  private static LogWriter log;
  private static TopicTail views;

  @BeforeAll
  static void startProjector() {
    projector = Projectors.start(PREFIX);
    log = new LogWriter(TOPICS.log());
    views = new TopicTail(TOPICS.view());
  }

  @AfterAll
  static void stopProjector() {
    views.close();
    log.close();
    projector.close();
  }

  @Test
  void projectsEveryEventOfATaskIntoItsView() {
    SimulatedWorker worker = SimulatedWorker.forNewTask();
    List<RecordMetadata> written = new ArrayList<>();
    // One event at a time, each awaited in the view: events a poll reads together share one view (the latest),
    // so only events that arrive apart are each sure of a view of their own.
    List<Supplier<List<Envelope>>> steps = List.of(worker::submit, worker::start,
        () -> worker.cancel("the user changed their mind"), () -> worker.finish(new Outcome.Cancelled(false)));
    for (Supplier<List<Envelope>> step : steps) {
      RecordMetadata committed = log.commit(step.get()).get(0);
      written.add(committed);
      await().atMost(PATIENCE).until(() -> views.viewsOf(worker.taskId()).stream()
          .anyMatch(v -> v.logOffset() == committed.offset()));
    }
    RecordMetadata last = written.get(written.size() - 1);

    List<ConsumerRecord<String, byte[]>> records = views.recordsOf(worker.taskId());
    ConsumerRecord<String, byte[]> latest = records.get(records.size() - 1);
    TaskView view = TopicTail.view(latest);
    assertThat(view.task().status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(view.task()).isEqualTo(worker.viewed());
    assertThat(view.logOffset()).isEqualTo(last.offset());
    assertThat(view.logPartition()).isEqualTo(last.partition());
    assertThat(latest.partition()).isEqualTo(last.partition());
    // Every event changed the task, so each has its view, in log order.
    assertThat(records).extracting(r -> TopicTail.view(r).logOffset())
        .containsExactlyElementsOf(written.stream().map(RecordMetadata::offset).toList());
    assertThat(records).extracting(r -> TopicTail.view(r).task().status()).containsExactly(
        TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RUNNING, TaskStatus.CANCELLED);
    assertThat(records).allSatisfy(r -> assertThat(r.partition()).isEqualTo(last.partition()));
  }

  @Test
  void eventsOfAnAbortedTransactionNeverReachAView() throws Exception {
    SimulatedWorker fenced = SimulatedWorker.forNewTask();
    log.commit(fenced.submit());
    List<RecordMetadata> aborted = log.abort(fenced.decideAndAbandon(fenced.task().start()));
    List<RecordMetadata> cancelled = log.commit(fenced.cancel("stop"));
    SimulatedWorker neverSubmitted = SimulatedWorker.forNewTask();
    log.abort(neverSubmitted.decideAndAbandon(neverSubmitted.task().accept(neverSubmitted.task().submitted())));

    await().atMost(PATIENCE).until(() -> log.consumedBy(Projectors.defaultGroup(PREFIX)));

    List<TaskView> fencedViews = views.viewsOf(fenced.taskId());
    assertThat(fencedViews).extracting(v -> v.task().status()).doesNotContain(TaskStatus.RUNNING);
    assertThat(fencedViews).extracting(TaskView::logOffset).doesNotContainAnyElementsOf(
        aborted.stream().map(RecordMetadata::offset).toList());
    TaskView latest = fencedViews.get(fencedViews.size() - 1);
    assertThat(latest.logOffset()).isEqualTo(cancelled.get(cancelled.size() - 1).offset());
    assertThat(latest.task()).isEqualTo(fenced.viewed());
    assertThat(latest.task().cancellation().was()).isEqualTo(TaskStatus.QUEUED);
    assertThat(latest.task().attempt()).isZero();
    assertThat(views.viewsOf(neverSubmitted.taskId())).isEmpty();
  }

  @Test
  void undecodableRecordsGoToTheDeadLetterTopicAndLaterEventsAreStillProjected() throws Exception {
    String badKey = "bad-" + UUID.randomUUID();
    byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
    RecordMetadata malformed = log.commitRaw(badKey, notJson,
        new RecordHeader("origin", "test".getBytes(StandardCharsets.UTF_8)));
    SimulatedWorker teleported = SimulatedWorker.forNewTask();
    byte[] unknownType = new String(new EventCodec().encode(teleported.task().submitted()), StandardCharsets.UTF_8)
        .replace(EventType.TASK_SUBMITTED.wire(), "task.teleported").getBytes(StandardCharsets.UTF_8);
    RecordMetadata unknown = log.commitRaw(teleported.taskId(), unknownType);
    SimulatedWorker later = SimulatedWorker.forNewTask();
    List<RecordMetadata> laterWritten = log.commit(later.submit());

    await().atMost(PATIENCE).until(() -> log.consumedBy(Projectors.defaultGroup(PREFIX)));

    try (TopicTail deadLetters = new TopicTail(TOPICS.deadLetter())) {
      List<ConsumerRecord<String, byte[]>> dead = deadLetters.readToEnd();
      assertThat(dead).hasSize(2);
      assertDeadLetter(dead.stream().filter(r -> badKey.equals(r.key())).findFirst().orElseThrow(), malformed,
          notJson, "malformed_json");
      assertThat(header(dead.stream().filter(r -> badKey.equals(r.key())).findFirst().orElseThrow().headers(),
          "origin")).isEqualTo("test");
      assertDeadLetter(dead.stream().filter(r -> teleported.taskId().equals(r.key())).findFirst().orElseThrow(),
          unknown, unknownType, "unknown_type");
    }
    assertThat(views.viewsOf(teleported.taskId())).isEmpty();
    assertThat(views.viewsOf(later.taskId())).singleElement()
        .satisfies(v -> assertThat(v.logOffset()).isEqualTo(laterWritten.get(0).offset()))
        .satisfies(v -> assertThat(v.task()).isEqualTo(later.viewed()));
    MeterRegistry registry = projector.getBean(MeterRegistry.class);
    assertThat(registry.find("quench.projector.dead.letters").counters().stream().mapToDouble(Counter::count).sum())
        .isEqualTo(2.0);
  }

  @Test
  void aCancelForANeverSubmittedTaskCreatesNoView() throws Exception {
    SimulatedWorker ghost = SimulatedWorker.forNewTask();
    List<Envelope> requestAndNoOp = ghost.cancel("who is this");
    assertThat(requestAndNoOp).extracting(Envelope::type)
        .containsExactly(EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
    log.commit(requestAndNoOp);

    await().atMost(PATIENCE).until(() -> log.consumedBy(Projectors.defaultGroup(PREFIX)));

    assertThat(views.viewsOf(ghost.taskId())).isEmpty();
  }

  private static void assertDeadLetter(ConsumerRecord<String, byte[]> dead, RecordMetadata source, byte[] value,
                                       String reason) {
    assertThat(dead.value()).isEqualTo(value);
    assertThat(dead.partition()).isEqualTo(source.partition());
    Headers headers = dead.headers();
    assertThat(header(headers, DeadLetterHeaders.REASON)).isEqualTo(reason);
    assertThat(header(headers, DeadLetterHeaders.MESSAGE)).isNotBlank();
    assertThat(header(headers, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(TOPICS.log());
    assertThat(header(headers, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo(String.valueOf(source.partition()));
    assertThat(header(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo(String.valueOf(source.offset()));
    assertThat(header(headers, DeadLetterHeaders.REJECTED_BY))
        .isEqualTo("projector/" + Projectors.instanceId(PREFIX));
  }

  private static String header(Headers headers, String name) {
    return headers.lastHeader(name) == null ? null
        : new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
