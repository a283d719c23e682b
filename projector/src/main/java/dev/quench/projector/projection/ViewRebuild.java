package dev.quench.projector.projection;

import dev.quench.events.Envelope;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the read model from the log alone: folds every partition of the log from its first record, with no
 * view restored, and writes each task's final view. Views carry the log offset they reflect, so a correct view is
 * rewritten unchanged, a wrong or missing one is repaired, and a live projector may keep running meanwhile (every
 * reader keeps the view of the later offset).
 *
 * <p>Partitions are independent (a task's events are all in one), so several are folded at once, each by a thread
 * of its own with its own consumers, up to the high watermark it had when the rebuild reached it: decoding and
 * folding use every core, and memory is bounded by that many partitions' tasks, not the whole log's.
 */
final class ViewRebuild {

  private static final Logger log = LoggerFactory.getLogger(ViewRebuild.class);

  /**
   * What a rebuild did.
   *
   * @param events       log records read
   * @param tasks        views written
   * @param undecodable  log records that could not be read (skipped; a live projector dead-letters them)
   * @param elapsed      how long it took
   */
  record Result(long events, long tasks, long undecodable, Duration elapsed) {
    double eventsPerSecond() {
      return events / Math.max(0.001, elapsed.toNanos() / 1e9);
    }
  }

  private final Supplier<Consumer<byte[], byte[]>> logReaders;
  private final Supplier<Consumer<byte[], byte[]>> highWatermarks;
  private final Producer<byte[], byte[]> producer;
  private final EventCodec codec;
  private final Topics topics;
  private final int threads;
  private final LongAdder events = new LongAdder();
  private final LongAdder tasks = new LongAdder();
  private final LongAdder undecodable = new LongAdder();

  /**
   * @param logReaders     read_committed, without a group: one per thread
   * @param highWatermarks read_uncommitted, for the end of each partition: one per thread
   * @param producer       shared by the threads (a Kafka producer is thread-safe)
   * @param threads        how many partitions are folded at once
   */
  ViewRebuild(Supplier<Consumer<byte[], byte[]>> logReaders, Supplier<Consumer<byte[], byte[]>> highWatermarks,
              Producer<byte[], byte[]> producer, EventCodec codec, Topics topics, int threads) {
    this.logReaders = logReaders;
    this.highWatermarks = highWatermarks;
    this.producer = producer;
    this.codec = codec;
    this.topics = topics;
    this.threads = threads;
  }

  Result run() {
    long started = System.nanoTime();
    Queue<Integer> partitions = new ConcurrentLinkedQueue<>();
    try (Consumer<byte[], byte[]> reader = logReaders.get()) {
      for (PartitionInfo info : reader.partitionsFor(topics.log(), Duration.ofSeconds(30))) {
        partitions.add(info.partition());
      }
    }
    int parallel = Math.max(1, Math.min(threads, partitions.size()));
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> new Thread(r, "quench-rebuild-"
        + names.incrementAndGet()));
    try {
      List<Future<?>> folds = new ArrayList<>();
      for (int i = 0; i < parallel; i++) {
        folds.add(pool.submit(() -> foldEach(partitions)));
      }
      for (Future<?> fold : folds) {
        await(fold, "a partition could not be rebuilt");
      }
    } finally {
      pool.shutdownNow();
    }
    return new Result(events.sum(), tasks.sum(), undecodable.sum(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** Folds partitions off the queue until none is left, with consumers of this thread's own. */
  private void foldEach(Queue<Integer> partitions) {
    try (Consumer<byte[], byte[]> reader = logReaders.get(); Consumer<byte[], byte[]> ends = highWatermarks.get()) {
      Integer partition;
      while ((partition = partitions.poll()) != null) {
        fold(new TopicPartition(topics.log(), partition), reader, ends);
      }
    }
  }

  private void fold(TopicPartition tp, Consumer<byte[], byte[]> reader, Consumer<byte[], byte[]> ends) {
    ends.assign(List.of(tp));
    long end = ends.endOffsets(List.of(tp)).get(tp);
    reader.assign(List.of(tp));
    reader.seekToBeginning(List.of(tp));
    Map<String, TaskView> views = new HashMap<>();
    BatchReport batches = new BatchReport(tp.partition());
    long read = 0;
    while (reader.position(tp) < end) {
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
        if (record.offset() >= end) {
          break;
        }
        read++;
        Envelope event;
        try {
          event = codec.decode(record.value());
        } catch (UndecodableRecordException e) {
          undecodable.increment();
          continue;
        }
        batches.apply(event, record.offset());
        TaskView next = ViewFold.next(views.get(event.taskId()), event, tp.partition(), record.offset());
        if (next != null) {
          views.put(event.taskId(), next);
        }
      }
    }
    events.add(read);
    tasks.add(write(views.values(), batches.all(), tp.partition()));
    log.info("rebuilt {}: {} views up to offset {}", tp, views.size(), end);
  }

  /** Writes a partition's views, and its batch records; returns how many views. */
  private int write(Collection<TaskView> views, List<Object> batchRecords, int partition) {
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (TaskView view : views) {
      sends.add(producer.send(new ProducerRecord<>(topics.view(), view.logPartition(),
          view.task().taskId().getBytes(StandardCharsets.UTF_8), codec.encodeView(view))));
    }
    for (Object batchRecord : batchRecords) {
      String key = BatchReport.keyOf(batchRecord);
      sends.add(producer.send(new ProducerRecord<>(topics.batches(), partition, key.getBytes(StandardCharsets.UTF_8),
          codec.encodeBatchRecord(batchRecord))));
    }
    producer.flush();
    for (Future<RecordMetadata> send : sends) {
      await(send, "a rebuilt view could not be written");
    }
    return views.size();
  }

  private static void await(Future<?> future, String failure) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rebuilding the read model", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(failure, e.getCause());
    }
  }
}
