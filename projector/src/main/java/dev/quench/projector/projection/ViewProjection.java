package dev.quench.projector.projection;

import dev.quench.kafka.RestartingRun;
import dev.quench.events.Envelope;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.UndecodableRecordException;
import dev.quench.kafka.KafkaClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the projection, from subscribing until it stops or fails: its own clients and the views of the
 * partitions it owns. A failed run is thrown away whole and the next one starts from the committed offsets with
 * views restored from the view topic, so no half-applied state outlives a failure.
 *
 * <p>Used by one thread only, except {@link #wakeup}.
 */
final class ViewProjection implements ConsumerRebalanceListener, RestartingRun.Run {

  static final String VIEWS_WRITTEN = "quench.projector.views.written";

  private static final Logger log = LoggerFactory.getLogger(ViewProjection.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final Consumer<String, byte[]> restoreConsumer;
  private final ViewRestore restore;
  private final BatchRestore batchRestore;
  private final DeadLetters deadLetters;
  private final EventCodec codec;
  private final Topics topics;
  private final Counter viewsWritten;
  private final CancelOutcomeMeters outcomes;
  private final ProjectionStatus status;
  private final Duration pollTimeout;
  private final long reportIntervalNanos;
  private final BooleanSupplier running;
  /** When the batch chunks under way are next written, by {@link System#nanoTime}. */
  private long nextReportNanos = System.nanoTime();

  /** The views of each owned log partition, by task id: what the view partition of that number holds. */
  private final Map<Integer, Map<String, TaskView>> views = new HashMap<>();
  /** The batch reports of each owned log partition: what the batches partition of that number holds. */
  private final Map<Integer, BatchReport> reports = new HashMap<>();
  /**
   * Views changed by the records of this poll, written once at its end: a task with several events in one poll
   * (a cancel and its outcome, say) costs one view, not one per event.
   */
  private final Map<String, TaskView> changed = new LinkedHashMap<>();
  /** Sends not yet known to have succeeded; nothing is committed past them. */
  private final List<Future<RecordMetadata>> sends = new ArrayList<>();
  /**
   * Where to resume each partition once {@link #sends} have succeeded; a partition whose batch report holds changes
   * back is committed only up to the first of them, and stays here until they are written.
   */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  /** Outcomes of the batch, counted once its views are written: a batch projected again is counted again only then. */
  private final List<CancelOutcomeMeters.Outcome> observed = new ArrayList<>();
  /**
   * Per owned partition, the highest log offset its restored views reflect: a record at or below it was folded by an
   * earlier run, which matters for the outcomes no view records (a cancel of an unknown task).
   */
  private final Map<Integer, Long> restoredThrough = new HashMap<>();

  /**
   * @param instanceId     names this projector in the dead letters it rejects
   * @param reportInterval how often the progress of batch chunks still under way is written
   * @param running        false once the projection is to stop
   */
  ViewProjection(ProjectorClients clients, EventCodec codec, Topics topics, MeterRegistry registry,
                 CancelOutcomeMeters outcomes, ProjectionStatus status, String instanceId, Duration pollTimeout,
                 Duration reportInterval, BooleanSupplier running) {
    this.consumer = clients.logConsumer();
    Producer<byte[], byte[]> producer = null;
    try {
      producer = clients.producer();
      this.restoreConsumer = clients.viewConsumer();
    } catch (RuntimeException e) {
      closeQuietly(producer);
      closeQuietly(consumer);
      throw e;
    }
    this.producer = producer;
    this.restore = new ViewRestore(restoreConsumer, codec, topics.view());
    this.batchRestore = new BatchRestore(restoreConsumer, codec, topics.batches());
    this.deadLetters = new DeadLetters(producer, topics.deadLetter(), "projector/" + instanceId, registry);
    this.codec = codec;
    this.topics = topics;
    this.viewsWritten = Counter.builder(VIEWS_WRITTEN).description("task views written to the view topic")
        .register(registry);
    this.outcomes = outcomes;
    this.status = status;
    this.pollTimeout = pollTimeout;
    this.reportIntervalNanos = reportInterval.toNanos();
    this.running = running;
  }

  /** Projects until {@code running} turns false or a {@link #wakeup}; throws on any failure. */
  @Override
  public void run() {
    consumer.subscribe(List.of(topics.log()), this);
    try {
      while (running.getAsBoolean()) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(nextPollTimeout());
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          project(record);
        }
        // The consumer's positions after the batch, with their leader epochs: the offsets a commit should carry.
        uncommitted.putAll(batch.nextOffsets());
        completeBatch(System.nanoTime() - nextReportNanos >= 0);
      }
    } catch (WakeupException e) {
      if (running.getAsBoolean()) {
        throw e;
      }
    }
  }

  /** Makes a blocking call of this run's consumers return at once; callable from any thread. */
  @Override
  public void wakeup() {
    consumer.wakeup();
    restoreConsumer.wakeup();
  }

  private void project(ConsumerRecord<byte[], byte[]> record) {
    int partition = record.partition();
    Map<String, TaskView> partitionViews = views.get(partition);
    if (partitionViews == null) {
      throw new IllegalStateException("a record of " + record.topic() + "-" + partition
          + ", whose views were never restored");
    }
    Envelope event;
    try {
      event = codec.decode(record.value());
    } catch (UndecodableRecordException e) {
      sends.add(deadLetters.publish(record, e));
      return;
    }
    reports.get(partition).apply(event, record.offset());
    TaskView current = partitionViews.get(event.taskId());
    TaskView next = ViewFold.next(current, event, partition, record.offset());
    CancelOutcomeMeters.Outcome outcome;
    if (next != null) {
      partitionViews.put(event.taskId(), next);
      changed.put(event.taskId(), next);
      outcome = CancelOutcomeMeters.of(current == null ? null : current.task(), next.task(), event);
    } else {
      outcome = current == null && record.offset() > restoredThrough.getOrDefault(partition, -1L)
          ? CancelOutcomeMeters.unknownTask(event) : null;
    }
    if (outcome != null) {
      observed.add(outcome);
    }
  }

  /** An idle poll waits no longer than the batch chunks held back are to wait. */
  private Duration nextPollTimeout() {
    if (reports.values().stream().noneMatch(BatchReport::holdsChanges)) {
      return pollTimeout;
    }
    long left = Math.max(0, nextReportNanos - System.nanoTime());
    return left < pollTimeout.toNanos() ? Duration.ofNanos(left) : pollTimeout;
  }

  /**
   * Writes what this poll changed: each task's latest view, and each batch record once; the batch chunks still
   * under way only with {@code allChunks}.
   */
  private void publishChanged(boolean allChunks) {
    changed.values().forEach(this::publish);
    changed.clear();
    reports.forEach((partition, report) -> {
      for (Object batchRecord : report.drainChanged(allChunks)) {
        String key = BatchReport.keyOf(batchRecord);
        sends.add(producer.send(new ProducerRecord<>(topics.batches(), partition,
            key.getBytes(StandardCharsets.UTF_8), codec.encodeBatchRecord(batchRecord))));
      }
    });
  }

  private void publish(TaskView view) {
    // The explicit partition, not the key's hash: a view must sit in the partition of its log partition's number.
    sends.add(producer.send(new ProducerRecord<>(topics.view(), view.logPartition(),
        view.task().taskId().getBytes(StandardCharsets.UTF_8), codec.encodeView(view))));
    viewsWritten.increment();
  }

  /**
   * Writes and waits for every send of the batch (the progress of batch chunks under way only with
   * {@code allChunks}), then commits it: a failed send commits nothing, the run fails. A chunk change held back
   * holds its partition's commit back too, so a crash before it is written loses nothing: the next run restores the
   * chunks as last written and projects again from before it.
   */
  private void completeBatch(boolean allChunks) {
    publishChanged(allChunks);
    producer.flush();
    try {
      for (Future<RecordMetadata> send : sends) {
        send.get();
      }
    } catch (ExecutionException e) {
      abandonBatch();
      throw new IllegalStateException("a view or dead letter could not be written; the batch will be projected "
          + "again", e.getCause());
    } catch (InterruptedException e) {
      abandonBatch();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for views to be written", e);
    }
    sends.clear();
    observed.forEach(outcomes::record);
    observed.clear();
    status.batchCompleted();
    if (allChunks) {
      nextReportNanos = System.nanoTime() + reportIntervalNanos;
    }
    if (uncommitted.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = committable();
    try {
      consumer.commitSync(commit);
      uncommitted.entrySet().removeIf(e -> commit.get(e.getKey()).equals(e.getValue()));
    } catch (RebalanceInProgressException e) {
      // Another instance is joining. Restarting the run would only rebalance the group again: the next poll
      // completes the rebalance, and these offsets go with the next commit or with the revocation of their partition.
      log.debug("commit deferred until the rebalance completes: {}", e.getMessage());
    }
  }

  /** {@link #uncommitted}, each partition whose report holds changes back stopped at the first of them. */
  private Map<TopicPartition, OffsetAndMetadata> committable() {
    if (reports.values().stream().noneMatch(BatchReport::holdsChanges)) {
      return uncommitted;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>(uncommitted);
    commit.replaceAll((tp, next) -> {
      BatchReport report = reports.get(tp.partition());
      long held = report == null ? -1 : report.heldFrom();
      return held >= 0 && held < next.offset() ? new OffsetAndMetadata(held) : next;
    });
    return commit;
  }

  private void abandonBatch() {
    sends.clear();
    observed.clear();
    uncommitted.clear();
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    List<Integer> numbers = partitions.stream().map(TopicPartition::partition).toList();
    reports.putAll(batchRestore.restore(numbers, running));
    restore.restore(numbers, running).forEach((partition, restored) -> {
      views.put(partition, new HashMap<>(restored.views()));
      restoredThrough.put(partition, restored.views().values().stream().mapToLong(TaskView::logOffset).max()
          .orElse(-1));
      for (TaskView view : restored.overtakenByStale()) {
        log.warn("rewriting the view of task {} at {}-{}@{}: an older view was written after it",
            view.task().taskId(), topics.log(), partition, view.logOffset());
        publish(view);
      }
    });
    log.info("projecting {} partitions {}", topics.log(), numbers);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    // What this run holds back is written now, and the offsets committed, while the partitions are still this
    // run's (also when closing after a wakeup).
    completeBatch(true);
    partitions.forEach(tp -> {
      views.remove(tp.partition());
      reports.remove(tp.partition());
      restoredThrough.remove(tp.partition());
    });
    if (!partitions.isEmpty()) {
      log.info("stopped projecting {}", partitions);
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    // Another instance owns them already: committing now could move its offsets backwards or forwards.
    partitions.forEach(tp -> {
      views.remove(tp.partition());
      reports.remove(tp.partition());
      restoredThrough.remove(tp.partition());
      uncommitted.remove(tp);
    });
    changed.values().removeIf(view -> partitions.stream().anyMatch(tp -> tp.partition() == view.logPartition()));
    log.warn("lost {} without committing", partitions);
  }

  @Override
  public void close() {
    try {
      consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
    } catch (RuntimeException e) {
      log.warn("closing the log consumer failed", e);
    }
    closeQuietly(producer);
    closeQuietly(restoreConsumer);
  }

  private static void closeQuietly(AutoCloseable client) {
    KafkaClients.closeQuietly(client, CLOSE_TIMEOUT);
  }
}
