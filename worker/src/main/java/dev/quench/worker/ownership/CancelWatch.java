package dev.quench.worker.ownership;

import dev.quench.events.EventType;
import dev.quench.events.wire.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fast path to a running task: reads every cancel request as it is appended and fires the token of the task's
 * run if it runs here. The owner thread decides and records the cancel as always; this only makes sure the handler
 * hears of it without waiting for the owner's transaction in progress to commit.
 *
 * <p>It reads the requests topic from its end, without a group, and looks at nothing but a record's key (the task id)
 * and its {@code ce_type} header: no decoding, so it keeps up with any rate. Firing a token twice is harmless. A
 * cancellation batch's targets are not its business: the owner fires each one's token as it hands the target on, in
 * the turn that reads the batch's record, or at the target's time for a batch with a rate.
 */
final class CancelWatch implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(CancelWatch.class);
  private static final byte[] CANCEL_TYPE = EventType.CANCEL_REQUESTED.wire().getBytes(StandardCharsets.UTF_8);

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final String requestsTopic;
  private final RunningTasks running;
  private volatile boolean stopping;
  private volatile Consumer<String, byte[]> consumer;

  CancelWatch(Supplier<Consumer<String, byte[]>> consumers, String requestsTopic, RunningTasks running) {
    this.consumers = consumers;
    this.requestsTopic = requestsTopic;
    this.running = running;
  }

  @Override
  public void run() {
    while (!stopping) {
      try (Consumer<String, byte[]> c = consumers.get()) {
        consumer = c;
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : c.partitionsFor(requestsTopic, Duration.ofSeconds(30))) {
          partitions.add(new TopicPartition(requestsTopic, info.partition()));
        }
        c.assign(partitions);
        c.seekToEnd(partitions);
        while (!stopping) {
          for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofSeconds(1))) {
            if (record.key() != null && isCancel(record)) {
              running.cancel(record.key(), record.offset(), Instant.ofEpochMilli(record.timestamp()));
            }
          }
        }
      } catch (WakeupException e) {
        // stopping
      } catch (RuntimeException e) {
        // The owner still fires every token on its own path: this one only has to come back.
        log.warn("the cancel watch failed; starting it again", e);
        pause();
      } finally {
        consumer = null;
      }
    }
  }

  void stop() {
    stopping = true;
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  private static boolean isCancel(ConsumerRecord<String, byte[]> record) {
    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
    return type != null && Arrays.equals(type.value(), CANCEL_TYPE);
  }

  private void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }
}
