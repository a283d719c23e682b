package dev.quench.projector.projection;

import dev.quench.events.Envelope;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * <p>Partitions are independent (a task's events all sit in one), so several are folded at once, one per thread,
 * each up to the high watermark it had when the rebuild started: decoding the log is CPU-bound, and one thread
 * left the other cores idle. Memory is bounded by the tasks of as many partitions as there are threads, not by the
 * whole log's.
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

    Result plus(Result other) {
      return new Result(events + other.events, tasks + other.tasks, undecodable + other.undecodable, elapsed);
    }
  }

  private final Supplier<Consumer<byte[], byte[]>> logReaders;
  private final Consumer<byte[], byte[]> highWatermarks;
  private final Producer<byte[], byte[]> producer;
  private final EventCodec codec;
  private final Topics topics;
  private final int threads;

  /**
   * @param logReaders     read_committed consumers without a group, one per thread; closed here
   * @param highWatermarks read_uncommitted, for the end of each partition
   * @param producer       shared by every thread
   * @param threads        partitions folded at once; 0 for one per available processor
   */
  ViewRebuild(Supplier<Consumer<byte[], byte[]>> logReaders, Consumer<byte[], byte[]> highWatermarks,
              Producer<byte[], byte[]> producer, EventCodec codec, Topics topics, int threads) {
    this.logReaders = logReaders;
    this.highWatermarks = highWatermarks;
    this.producer = producer;
    this.codec = codec;
    this.topics = topics;
    this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  Result run() {
    long started = System.nanoTime();
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : highWatermarks.partitionsFor(topics.log(), Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(topics.log(), info.partition()));
    }
    Map<TopicPartition, Long> ends = highWatermarks.endOffsets(partitions);
    Queue<TopicPartition> left = new ConcurrentLinkedQueue<>(partitions);
    int count = Math.max(1, Math.min(threads, partitions.size()));
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(count, r -> {
      Thread t = new Thread(r, "quench-rebuild-" + names.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Result>> folds = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        folds.add(pool.submit(() -> foldPartitions(left, ends)));
      }
      Result total = new Result(0, 0, 0, Duration.ZERO);
      for (Future<Result> fold : folds) {
        total = total.plus(fold.get());
      }
      return new Result(total.events(), total.tasks(), total.undecodable(),
          Duration.ofNanos(System.nanoTime() - started));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while rebuilding", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the rebuild failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** Takes partitions off {@code left} until none are left, each folded and written whole. */
  private Result foldPartitions(Queue<TopicPartition> left, Map<TopicPartition, Long> ends) {
    Result done = new Result(0, 0, 0, Duration.ZERO);
    try (Consumer<byte[], byte[]> reader = logReaders.get()) {
      for (TopicPartition tp = left.poll(); tp != null; tp = left.poll()) {
        done = done.plus(foldPartition(reader, tp, ends.get(tp)));
      }
    }
    return done;
  }

  private Result foldPartition(Consumer<byte[], byte[]> reader, TopicPartition tp, long end) {
    long events = 0;
    long undecodable = 0;
    reader.assign(List.of(tp));
    reader.seekToBeginning(List.of(tp));
    Map<String, TaskView> views = new HashMap<>();
    while (reader.position(tp) < end) {
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(500))) {
        if (record.offset() >= end) {
          break;
        }
        events++;
        Envelope event;
        try {
          event = codec.decode(record.value());
        } catch (UndecodableRecordException e) {
          undecodable++;
          continue;
        }
        TaskView next = ViewFold.next(views.get(event.taskId()), event, tp.partition(), record.offset());
        if (next != null) {
          views.put(event.taskId(), next);
        }
      }
    }
    int written = write(views.values());
    log.info("rebuilt {}: {} views up to offset {}", tp, written, end);
    return new Result(events, written, undecodable, Duration.ZERO);
  }

  private int write(Iterable<TaskView> views) {
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (TaskView view : views) {
      sends.add(producer.send(new ProducerRecord<>(topics.view(), view.logPartition(),
          view.task().taskId().getBytes(StandardCharsets.UTF_8), codec.encodeView(view))));
    }
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing rebuilt views", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a rebuilt view could not be written", e.getCause());
      }
    }
    return sends.size();
  }
}
