package dev.quench.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.BatchChunkView;
import dev.quench.events.BatchDecider;
import dev.quench.events.BatchHistory;
import dev.quench.events.BatchShare;
import dev.quench.events.BatchView;
import dev.quench.events.Envelope;
import dev.quench.events.TargetOutcome;
import dev.quench.events.TaskCommand;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A batch's records on the batches topic, folded from the log by a live projector, carried on across a restart,
 * and rebuilt from the log alone to the same records.
 */
class BatchProjectionIntegrationTests {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final EventCodec CODEC = new EventCodec();

  private final String prefix = SharedKafkaBroker.uniquePrefix();
  private final Topics topics = Topics.withPrefix(prefix);
  private final List<ConfigurableApplicationContext> projectors = new ArrayList<>();
  private LogWriter log;

  @BeforeEach
  void start() {
    projectors.add(Projectors.start(prefix));
    log = new LogWriter(topics.log());
  }

  @AfterEach
  void stop() {
    log.close();
    projectors.forEach(ConfigurableApplicationContext::close);
  }

  /** What a reader of the batches topic keeps: each key's record of the highest log offset. */
  private Map<String, Object> latest() {
    Map<String, Object> latest = new HashMap<>();
    Map<String, Long> offsets = new HashMap<>();
    try (TopicTail tail = new TopicTail(topics.batches())) {
      for (ConsumerRecord<String, byte[]> record : tail.readToEnd()) {
        Object value = EventCodec.isChunkKey(record.key()) ? CODEC.decodeChunkView(record.value())
            : CODEC.decodeBatchView(record.value());
        long offset = value instanceof BatchView v ? v.logOffset() : ((BatchChunkView) value).logOffset();
        if (offset >= offsets.getOrDefault(record.key(), Long.MIN_VALUE)) {
          offsets.put(record.key(), offset);
          latest.put(record.key(), value);
        }
      }
    }
    return latest;
  }

  private static String taskIn(int partition) {
    String taskId;
    do {
      taskId = "task-" + UUID.randomUUID();
    } while (Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % Projectors.PARTITIONS
        != partition);
    return taskId;
  }

  @Test
  void theReportFollowsEveryTargetAcrossARestartAndARebuildGivesTheSameRecords() throws Exception {
    BatchHistory batch = new BatchHistory(UUID.randomUUID(), Instant.now());
    List<SimulatedWorker> tasks = List.of(new SimulatedWorker(taskIn(1)), new SimulatedWorker(taskIn(1)),
        new SimulatedWorker(taskIn(1)));
    for (SimulatedWorker task : tasks) {
      log.commit(task.submit());
    }
    int home = Utils.toPositive(Utils.murmur2(batch.batchId().toString().getBytes(StandardCharsets.UTF_8)))
        % Projectors.PARTITIONS;
    log.commit(home, List.of(batch.accepted(3, 0, 1)));
    Envelope targets = batch.targets(0, 0, null, tasks.stream().map(SimulatedWorker::taskId).toList());
    log.commit(1, List.of(targets));
    BatchShare share = BatchShare.evolve(null, targets);
    List<Envelope> requests = BatchDecider.handOn(share, "w", batch.acceptedAt(), 10);
    // The first target is decided before the restart, the others after it.
    log.commit(tasks.get(0).decide(new TaskCommand.Accept(requests.get(0), "w", Instant.now())));
    String chunkKey = BatchChunkView.key(batch.batchId(), 0, 1);
    await().atMost(PATIENCE).until(() -> latest().get(chunkKey) instanceof BatchChunkView chunk
        && chunk.targets().get(0).outcome() == TargetOutcome.CANCELLED_QUEUED);

    projectors.remove(0).close();
    projectors.add(Projectors.start(prefix));
    log.commit(tasks.get(1).decide(new TaskCommand.Accept(requests.get(1), "w", Instant.now())));
    log.commit(tasks.get(2).start());
    log.commit(tasks.get(2).decide(new TaskCommand.Accept(requests.get(2), "w", Instant.now())));

    await().atMost(PATIENCE).untilAsserted(() -> {
      BatchChunkView chunk = (BatchChunkView) latest().get(chunkKey);
      assertThat(chunk.targets()).extracting(BatchChunkView.Target::outcome).containsExactly(
          TargetOutcome.CANCELLED_QUEUED, TargetOutcome.CANCELLED_QUEUED, TargetOutcome.REQUESTED);
    });
    assertThat(latest().get(BatchView.key(batch.batchId()))).isInstanceOf(BatchView.class);
    Map<String, Object> live = latest();

    try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
        SharedKafkaBroker.bootstrapServers()))) {
      admin.deleteTopics(List.of(topics.batches())).all().get();
      await().atMost(PATIENCE).until(() -> !admin.listTopics().names().get().contains(topics.batches()));
    }
    projectors.remove(0).close();
    // The rebuild makes sure of the topics (so creates the batches topic again), folds the log and stops.
    Projectors.start(prefix, "--quench.projector.rebuild=true").close();

    assertThat(latest()).isEqualTo(live);
  }

  @Test
  void aChunkUnderWayWaitsForTheReportIntervalAndIsWrittenOnceWhenItsLastTargetSettles() throws Exception {
    projectors.remove(0).close();
    // No report interval ends within the test: what reaches the batches topic is what settling writes.
    projectors.add(Projectors.start(prefix, "--quench.projector.report-interval=1h"));
    List<SimulatedWorker> tasks = List.of(new SimulatedWorker(taskIn(1)), new SimulatedWorker(taskIn(1)),
        new SimulatedWorker(taskIn(1)));
    for (SimulatedWorker task : tasks) {
      log.commit(task.submit());
    }
    // Its views written, the projection has written what its first poll held (due at its start): the next is an hour
    // away.
    try (TopicTail views = new TopicTail(topics.view())) {
      await().atMost(PATIENCE).until(() -> tasks.stream().allMatch(t -> !views.viewsOf(t.taskId()).isEmpty()));
    }
    BatchHistory batch = new BatchHistory(UUID.randomUUID(), Instant.now());
    Envelope targets = batch.targets(0, 0, null, tasks.stream().map(SimulatedWorker::taskId).toList());
    log.commit(1, List.of(targets));
    List<Envelope> requests = BatchDecider.handOn(BatchShare.evolve(null, targets), "w", batch.acceptedAt(), 10);
    for (int i = 0; i < tasks.size(); i++) {
      log.commit(tasks.get(i).decide(new TaskCommand.Accept(requests.get(i), "w", Instant.now())));
    }

    String chunkKey = BatchChunkView.key(batch.batchId(), 0, 1);
    await().atMost(PATIENCE).until(() -> latest().containsKey(chunkKey));
    try (TopicTail tail = new TopicTail(topics.batches())) {
      List<BatchChunkView> written = tail.readToEnd().stream().filter(r -> chunkKey.equals(r.key()))
          .map(r -> CODEC.decodeChunkView(r.value())).toList();
      assertThat(written).singleElement().satisfies(chunk -> assertThat(chunk.targets())
          .extracting(BatchChunkView.Target::outcome).containsOnly(TargetOutcome.CANCELLED_QUEUED));
    }
  }
}
