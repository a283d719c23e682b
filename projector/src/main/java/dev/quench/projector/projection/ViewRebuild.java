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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
 * <p>One partition at a time, up to the high watermark it had when the rebuild reached it: memory is bounded by the
 * largest partition's tasks, not the whole log's.
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

  private final Consumer<byte[], byte[]> logReader;
  private final Consumer<byte[], byte[]> highWatermarks;
  private final Producer<byte[], byte[]> producer;
  private final EventCodec codec;
  private final Topics topics;

  /**
   * @param logReader      read_committed, without a group
   * @param highWatermarks read_uncommitted, for the end of each partition
   */
  ViewRebuild(Consumer<byte[], byte[]> logReader, Consumer<byte[], byte[]> highWatermarks,
              Producer<byte[], byte[]> producer, EventCodec codec, Topics topics) {
    this.logReader = logReader;
    this.highWatermarks = highWatermarks;
    this.producer = producer;
    this.codec = codec;
    this.topics = topics;
  }

  Result run() {
    long started = System.nanoTime();
    long events = 0;
    long tasks = 0;
    long undecodable = 0;
    List<PartitionInfo> partitions = logReader.partitionsFor(topics.log(), Duration.ofSeconds(30));
    for (PartitionInfo info : partitions) {
      TopicPartition tp = new TopicPartition(topics.log(), info.partition());
      highWatermarks.assign(List.of(tp));
      long end = highWatermarks.endOffsets(List.of(tp)).get(tp);
      logReader.assign(List.of(tp));
      logReader.seekToBeginning(List.of(tp));
      Map<String, TaskView> views = new HashMap<>();
      BatchReport batches = new BatchReport(tp.partition());
      while (logReader.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> record : logReader.poll(Duration.ofMillis(500))) {
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
          batches.apply(event, record.offset());
          TaskView next = ViewFold.next(views.get(event.taskId()), event, tp.partition(), record.offset());
          if (next != null) {
            views.put(event.taskId(), next);
          }
        }
      }
      tasks += write(views.values(), batches.all(), tp.partition());
      log.info("rebuilt {}: {} views up to offset {}", tp, views.size(), end);
    }
    return new Result(events, tasks, undecodable, Duration.ofNanos(System.nanoTime() - started));
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
      try {
        send.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing rebuilt views", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a rebuilt view could not be written", e.getCause());
      }
    }
    return views.size();
  }
}
