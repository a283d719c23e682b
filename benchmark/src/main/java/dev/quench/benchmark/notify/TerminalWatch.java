package dev.quench.benchmark.notify;

import dev.quench.benchmark.setup.ViewStatus;
import dev.quench.events.EventType;
import dev.quench.events.TaskStatus;
import dev.quench.events.wire.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log and the views as any outside client reads them: one plain {@code read_committed} consumer of
 * {@code tasks.log} and {@code tasks.view}, no group, from their ends, telling log records apart by their
 * {@code ce_type} header only. It keeps, for every task, when this JVM first read its {@code task.started} and the
 * record timestamp of its terminal event: the timestamp the worker's producer gave it (CreateTime, this JVM's wall
 * clock, as the worker runs here) when it appended it, inside the transaction that then committed it. And, for the
 * first view showing the task ended, that record's timestamp (the projector's producer, when it sent it) and when
 * this consumer read it: what splits a stream's latency into the projector's part and the api's. Every task is
 * kept, not only those a step registered: a task can start before its create's answer has been read.
 */
final class TerminalWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TerminalWatch.class);
  private static final String STARTED = EventType.TASK_STARTED.wire();
  private static final Set<String> TERMINAL = Set.of(EventType.TASK_COMPLETED.wire(), EventType.TASK_FAILED.wire(),
      EventType.TASK_CANCELLED.wire());

  /** What the log said of one task so far; 0 for not yet. */
  static final class Seen {
    volatile long startedReadNanos;
    volatile long terminalTimestampMillis;
    /** When this consumer read that terminal event ({@code System.currentTimeMillis}): once it was committed. */
    volatile long terminalReadMillis;
    /** The record timestamp of the first view showing the task ended: when the projector sent it. */
    volatile long terminalViewTimestampMillis;
    /** When this consumer read that view ({@code System.currentTimeMillis}). */
    volatile long terminalViewReadMillis;
  }

  private final String logTopic;
  private final String viewTopic;
  private final Consumer<String, byte[]> consumer;
  private final Map<String, Seen> tasks = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  TerminalWatch(String bootstrapServers, String logTopic, String viewTopic, int partitions) {
    this.logTopic = logTopic;
    this.viewTopic = viewTopic;
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-notify-watch");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> all = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      all.add(new TopicPartition(logTopic, p));
      all.add(new TopicPartition(viewTopic, p));
    }
    consumer.assign(all);
    consumer.seekToEnd(all);
    // Resolved now, so nothing written from here on is missed.
    all.forEach(consumer::position);
    this.thread = new Thread(this::loop, "bench-notify-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** What the log said of this task so far (made empty if nothing yet). */
  Seen of(String taskId) {
    return tasks.computeIfAbsent(taskId, id -> new Seen());
  }

  /** Waits, at most {@code timeout}, until every one of {@code ids} has started; returns how many had not. */
  int awaitStarted(List<String> ids, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int missing = (int) ids.stream().filter(id -> of(id).startedReadNanos == 0).count();
      if (missing == 0 || System.nanoTime() - deadline > 0) {
        return missing;
      }
      Thread.sleep(5);
    }
  }

  /** Waits, at most {@code timeout}, until every one of {@code ids} has ended; returns how many had not. */
  int awaitEnded(List<String> ids, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int missing = (int) ids.stream().filter(id -> of(id).terminalTimestampMillis == 0).count();
      if (missing == 0 || System.nanoTime() - deadline > 0) {
        return missing;
      }
      Thread.sleep(20);
    }
  }

  private void loop() {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, byte[]> record : records.records(logTopic)) {
          seeEvent(record);
        }
        // After the log's: a view read in the same poll as its task's terminal event still counts.
        for (ConsumerRecord<String, byte[]> record : records.records(viewTopic)) {
          seeView(record);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("the notify watch failed: tasks will show as never ending", e);
    } finally {
      consumer.close();
    }
  }

  private void seeEvent(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    String type = type(record);
    if (STARTED.equals(type)) {
      Seen seen = of(record.key());
      if (seen.startedReadNanos == 0) {
        seen.startedReadNanos = System.nanoTime();
      }
    } else if (type != null && TERMINAL.contains(type)) {
      // A task has at most one terminal event (invariant 1); the first is the one.
      Seen seen = of(record.key());
      if (seen.terminalTimestampMillis == 0) {
        seen.terminalReadMillis = System.currentTimeMillis();
        seen.terminalTimestampMillis = record.timestamp();
      }
    }
  }

  private void seeView(ConsumerRecord<String, byte[]> record) {
    Seen seen = record.key() == null ? null : tasks.get(record.key());
    // Only tasks whose terminal event this watch read: the views of every other task are not parsed.
    if (seen != null && seen.terminalTimestampMillis != 0 && seen.terminalViewReadMillis == 0
        && TaskStatus.parse(ViewStatus.of(record.value())).map(TaskStatus::terminal).orElse(false)) {
      seen.terminalViewReadMillis = System.currentTimeMillis();
      seen.terminalViewTimestampMillis = record.timestamp();
    }
  }

  private static String type(ConsumerRecord<String, byte[]> record) {
    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
    return type == null ? null : new String(type.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
