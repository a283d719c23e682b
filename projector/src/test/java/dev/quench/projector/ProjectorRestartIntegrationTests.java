package dev.quench.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.Progress;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskError;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskView;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.node.JsonNodeFactory;

/** Projectors stopped, started again, replaced and rebuilt over one log; each test has its own topics. */
class ProjectorRestartIntegrationTests {

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final String prefix = SharedKafkaBroker.uniquePrefix();
  private final Topics topics = Topics.withPrefix(prefix);
  private final List<ConfigurableApplicationContext> projectors = new ArrayList<>();
  private LogWriter log;

  @BeforeEach
  void createTopics() {
    // The first projector creates the topics the writer needs.
    projectors.add(Projectors.start(prefix));
    log = new LogWriter(topics.log());
  }

  @AfterEach
  void stopEverything() {
    if (log != null) {
      log.close();
    }
    projectors.forEach(ConfigurableApplicationContext::close);
  }

  @Test
  void aRestartedProjectorGoesOnFromItsRestoredViewsAndNoViewGoesBackwards() {
    List<SimulatedWorker> workers = IntStream.range(0, 9).mapToObj(i -> SimulatedWorker.forNewTask()).toList();
    for (SimulatedWorker worker : workers) {
      log.commit(worker.submit());
      log.commit(worker.start());
    }
    awaitConsumed(Projectors.defaultGroup(prefix));
    projectors.get(0).close();

    for (SimulatedWorker worker : workers) {
      log.commit(worker.cancel("restart"));
      log.commit(worker.finish(new Outcome.Cancelled(true)));
    }
    projectors.add(Projectors.start(prefix));
    awaitConsumed(Projectors.defaultGroup(prefix));

    try (TopicTail views = new TopicTail(topics.view())) {
      for (SimulatedWorker worker : workers) {
        List<TaskView> written = views.viewsOf(worker.taskId());
        // The cancel was folded onto the restored running view, not onto nothing.
        assertThat(written.get(written.size() - 1).task()).isEqualTo(worker.viewed());
        assertThat(written.get(written.size() - 1).task().status()).isEqualTo(TaskStatus.CANCELLED);
        // At most one view per event (events of one poll make one view), each at a later offset than the one
        // before: nothing re-sent, nothing older.
        assertThat(written).hasSizeBetween(2, 4);
        assertThat(written).extracting(TaskView::logOffset).isSorted().doesNotHaveDuplicates();
      }
    }
  }

  @Test
  void projectorsOfOneGroupShareThePartitionsAndHandThemOverWithoutAViewGoingBackwards() {
    List<SimulatedWorker> workers = IntStream.range(0, 9).mapToObj(i -> SimulatedWorker.forNewTask()).toList();
    workers.forEach(worker -> log.commit(worker.submit()));
    projectors.add(Projectors.start(prefix, "--quench.projector.id=second-" + UUID.randomUUID()));
    await().atMost(PATIENCE).until(() -> membersWithPartitions(Projectors.defaultGroup(prefix)) == 2);
    workers.forEach(worker -> log.commit(worker.start()));
    awaitConsumed(Projectors.defaultGroup(prefix));

    projectors.get(0).close();
    for (SimulatedWorker worker : workers) {
      log.commit(worker.cancel("handover"));
      log.commit(worker.finish(new Outcome.Cancelled(false)));
    }
    awaitConsumed(Projectors.defaultGroup(prefix));

    try (TopicTail views = new TopicTail(topics.view())) {
      for (SimulatedWorker worker : workers) {
        List<TaskView> written = views.viewsOf(worker.taskId());
        assertThat(lastOf(written).task()).isEqualTo(worker.viewed());
        assertThat(written).extracting(TaskView::logOffset).isSorted();
      }
    }
  }

  @Test
  void aProjectorReplayingTheLogOverExistingViewsWritesNothing() {
    List<SimulatedWorker> workers = IntStream.range(0, 6).mapToObj(i -> SimulatedWorker.forNewTask()).toList();
    for (SimulatedWorker worker : workers) {
      log.commit(worker.submit());
      log.commit(worker.cancel("replay"));
    }
    awaitConsumed(Projectors.defaultGroup(prefix));
    projectors.get(0).close();
    Map<TopicPartition, Long> before;
    try (TopicTail views = new TopicTail(topics.view())) {
      before = views.endOffsets();
    }

    String replayGroup = "replay-" + UUID.randomUUID();
    projectors.add(Projectors.start(prefix, "--quench.projector.group-id=" + replayGroup));
    awaitConsumed(replayGroup);

    try (TopicTail views = new TopicTail(topics.view())) {
      assertThat(views.endOffsets()).isEqualTo(before);
    }
  }

  @Test
  void aStaleViewWrittenLateIsIgnoredOnRestoreAndOvertakenAgain() {
    SimulatedWorker worker = SimulatedWorker.forNewTask();
    RecordMetadata submitted = log.commit(worker.submit()).get(0);
    TaskState queued = worker.state();
    RecordMetadata started = log.commit(worker.start()).get(0);
    awaitConsumed(Projectors.defaultGroup(prefix));
    projectors.get(0).close();

    // A zombie projector that still believed it owned the partition writes what it had: the queued view.
    writeView(new TaskView(queued, submitted.partition(), submitted.offset()));
    projectors.add(Projectors.start(prefix));

    try (TopicTail views = new TopicTail(topics.view())) {
      await().atMost(PATIENCE).until(() -> lastOf(views.viewsOf(worker.taskId())).logOffset() == started.offset());
      log.commit(worker.cancel("after the zombie"));
      awaitConsumed(Projectors.defaultGroup(prefix));

      TaskView latest = lastOf(views.viewsOf(worker.taskId()));
      assertThat(latest.task()).isEqualTo(worker.viewed());
      assertThat(latest.task().status()).isEqualTo(TaskStatus.RUNNING);
      assertThat(latest.task().cancelRequestedAt()).isNotNull();
    }
  }

  /** Writes a mixed log, lets the projector fold it, stops it and deletes the view topic: the views it had. */
  private Map<String, TaskView> liveViewsThenAnEmptyViewTopic() throws Exception {
    writeAMixedLog();
    awaitConsumed(Projectors.defaultGroup(prefix));
    Map<String, TaskView> live;
    try (TopicTail views = new TopicTail(topics.view())) {
      live = views.latestViews();
    }
    projectors.get(0).close();
    try (Admin admin = admin()) {
      admin.deleteTopics(List.of(topics.view())).all().get();
      await().atMost(PATIENCE).until(() -> !admin.listTopics().names().get().contains(topics.view()));
    }
    return live;
  }

  @Test
  void rebuildingTheViewTopicFromTheLogGivesTheSameViews() throws Exception {
    Map<String, TaskView> live = liveViewsThenAnEmptyViewTopic();

    String rebuildGroup = "rebuild-" + UUID.randomUUID();
    projectors.add(Projectors.start(prefix, "--quench.projector.group-id=" + rebuildGroup));
    awaitConsumed(rebuildGroup);

    try (TopicTail views = new TopicTail(topics.view())) {
      assertThat(live).hasSize(6);
      assertThat(views.latestViews()).isEqualTo(live);
    }
  }

  @Test
  void theRebuildCommandRestoresAnEmptiedViewTopicToTheLiveViewsAndStops() throws Exception {
    Map<String, TaskView> live = liveViewsThenAnEmptyViewTopic();

    // The rebuild runs while the application starts and is done when it has started: one pass, no group.
    try (ConfigurableApplicationContext rebuild = Projectors.start(prefix, "--quench.projector.rebuild=true")) {
      assertThat(rebuild.getBeanNamesForType(SmartLifecycle.class)).noneMatch(name -> name.contains("projection"));
    }

    try (TopicTail views = new TopicTail(topics.view())) {
      assertThat(live).hasSize(6);
      assertThat(views.latestViews()).isEqualTo(live);
      // One view per task: a rebuild writes each task's final view only.
      assertThat(views.readToEnd()).hasSize(6);
    }
  }

  @Test
  void aViewThatCannotBeWrittenIsNotCommittedPastAndIsWrittenOnceItCan() throws Exception {
    projectors.remove(0).close();
    projectors.add(Projectors.start(prefix, "--quench.projector.restart-backoff=100ms"));
    SimulatedWorker worker = SimulatedWorker.forNewTask();
    log.commit(worker.submit());
    log.commit(worker.start());
    awaitConsumed(Projectors.defaultGroup(prefix));
    // A view the broker refuses until the limit is raised: a send failure that lasts as long as the test wants.
    setViewTopicMaxMessageBytes(2048);
    String longMessage = "x".repeat(4096);
    RecordMetadata progressed = log.commit(worker.decide(new TaskCommand.ReportProgress(worker.taskId(), 1,
        new Progress(50, "working", longMessage), null, TaskHistory.WORKER, worker.task().tick()))).get(0);
    MeterRegistry registry = projectors.get(0).getBean(MeterRegistry.class);
    TopicPartition partition = new TopicPartition(topics.log(), progressed.partition());

    await().atMost(PATIENCE).until(() -> registry.counter("quench.projector.failures").count() >= 2);
    assertThat(committedOffset(Projectors.defaultGroup(prefix), partition)).isLessThanOrEqualTo(progressed.offset());

    setViewTopicMaxMessageBytes(1024 * 1024);
    awaitConsumed(Projectors.defaultGroup(prefix));
    try (TopicTail views = new TopicTail(topics.view())) {
      TaskView latest = lastOf(views.viewsOf(worker.taskId()));
      assertThat(latest.logOffset()).isEqualTo(progressed.offset());
      assertThat(latest.task().progress().message()).isEqualTo(longMessage);
      assertThat(latest.task()).isEqualTo(worker.viewed());
    }
  }

  /** A task in every corner of the cancellation table, an aborted transaction and a dead letter among them. */
  private void writeAMixedLog() {
    SimulatedWorker queued = SimulatedWorker.forNewTask();
    log.commit(queued.submit());
    log.commit(queued.cancel("while queued"));

    SimulatedWorker running = SimulatedWorker.forNewTask();
    log.commit(running.submit());
    log.commit(running.start());
    log.commit(running.progress(40));
    log.abort(running.decideAndAbandon(running.task().finish(1,
        new Outcome.Completed(JsonNodeFactory.instance.textNode("a zombie's result")))));
    log.commit(running.cancel("while running"));
    log.commit(running.cancel("again"));
    log.commit(running.finish(new Outcome.Cancelled(true)));

    SimulatedWorker completedFirst = SimulatedWorker.forNewTask();
    log.commit(completedFirst.submit());
    log.commit(completedFirst.start());
    log.commit(completedFirst.cancel("too late"));
    log.commit(completedFirst.finish(new Outcome.Completed(JsonNodeFactory.instance.objectNode().put("ok", true))));
    log.commit(completedFirst.cancel("already done"));

    SimulatedWorker failed = SimulatedWorker.forNewTask();
    log.commit(failed.submit());
    log.commit(failed.start());
    log.commit(failed.finish(new Outcome.Failed(new TaskError(TaskError.HANDLER_ERROR, "boom", false))));

    SimulatedWorker stillQueued = SimulatedWorker.forNewTask();
    log.commit(stillQueued.submit());
    log.commitRaw(stillQueued.taskId(), "not an event".getBytes(StandardCharsets.UTF_8));

    SimulatedWorker ghost = SimulatedWorker.forNewTask();
    log.commit(ghost.cancel("unknown"));

    // Two racing creates with one idempotency key: the log's order decides, the second changes nothing.
    SimulatedWorker duplicateSubmit = SimulatedWorker.forNewTask();
    log.commit(duplicateSubmit.submit());
    log.commit(List.of(duplicateSubmit.task().submitted()));
  }

  private void writeView(TaskView view) {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topics.view(), view.logPartition(), view.task().taskId(),
          new EventCodec().encodeView(view))).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void setViewTopicMaxMessageBytes(int bytes) throws Exception {
    try (Admin admin = admin()) {
      ConfigResource view = new ConfigResource(ConfigResource.Type.TOPIC, topics.view());
      admin.incrementalAlterConfigs(Map.of(view, List.of(new AlterConfigOp(
          new ConfigEntry("max.message.bytes", String.valueOf(bytes)), AlterConfigOp.OpType.SET)))).all().get();
    }
  }

  private long committedOffset(String group, TopicPartition partition) throws Exception {
    try (Admin admin = admin()) {
      OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
          .get(partition);
      return committed == null ? 0 : committed.offset();
    }
  }

  private static long membersWithPartitions(String group) throws Exception {
    try (Admin admin = admin()) {
      return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
          .filter(m -> !m.assignment().topicPartitions().isEmpty())
          .count();
    }
  }

  private static Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()));
  }

  private void awaitConsumed(String group) {
    await().atMost(PATIENCE).until(() -> log.consumedBy(group));
  }

  private static TaskView lastOf(List<TaskView> views) {
    return views.isEmpty() ? new TaskView(null, -1, -1) : views.get(views.size() - 1);
  }
}
