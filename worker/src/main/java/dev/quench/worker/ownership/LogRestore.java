package dev.quench.worker.ownership;

import dev.quench.events.Envelope;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.UndecodableRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the state of one log partition (its tasks, its shares of cancellation batches) by folding it from its
 * first record: the worker keeps no state of its own anywhere else. Reads committed records only (a fenced owner's aborted writes never count) and stops at the
 * high watermark taken when it starts, waiting for open transactions below it to end, so it cannot stop short at a
 * last stable offset and silently miss a decision.
 */
final class LogRestore {

  private static final Logger log = LoggerFactory.getLogger(LogRestore.class);

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final Admin admin;
  private final EventCodec codec;
  private final String logTopic;

  /** @param consumers makes a read_committed consumer without a group */
  LogRestore(Supplier<Consumer<String, byte[]>> consumers, Admin admin, EventCodec codec, String logTopic) {
    this.consumers = consumers;
    this.admin = admin;
    this.codec = codec;
    this.logTopic = logTopic;
  }

  PartitionState restore(int partition) {
    TopicPartition tp = new TopicPartition(logTopic, partition);
    long highWatermark = highWatermark(tp);
    PartitionState state = new PartitionState();
    long events = 0;
    long started = System.nanoTime();
    try (Consumer<String, byte[]> consumer = consumers.get()) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      while (consumer.position(tp) < highWatermark) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() >= highWatermark) {
            break;
          }
          events++;
          fold(state, record);
        }
      }
    }
    log.info("restored {} tasks and {} batch shares of {} from {} events in {} ms", state.tasks().size(),
        state.shares().size(), tp, events, (System.nanoTime() - started) / 1_000_000);
    return state;
  }

  private void fold(PartitionState state, ConsumerRecord<String, byte[]> record) {
    Envelope event;
    try {
      event = codec.decode(record.value());
    } catch (UndecodableRecordException e) {
      // Only workers write the log, with this codec: a record we cannot read was written by a newer build.
      log.warn("skipping undecodable log record {}-{}@{} ({}): {}", record.topic(), record.partition(),
          record.offset(), e.reason(), e.getMessage());
      return;
    }
    state.apply(event);
  }

  private long highWatermark(TopicPartition tp) {
    try {
      return admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
              new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
          .partitionResult(tp).get().offset();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the end of " + tp, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the end of " + tp, e.getCause());
    }
  }
}
