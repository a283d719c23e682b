package dev.quench.benchmark.cancel;

import dev.quench.benchmark.setup.ViewStatus;
import dev.quench.events.EventType;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.CloudEventHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Watches a cancel travel, as any outside Kafka client could: one plain consumer, no group, reading the requests
 * topic (the api's append), the log ({@code TaskCancelled} committed by the worker; read_committed, as the projector
 * reads it) and the view topic (the projector's view showing {@code cancelled}), timestamping each record of a
 * watched task when its poll returns.
 */
final class PipelineWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineWatch.class);
  private static final String CANCEL_REQUESTED = EventType.CANCEL_REQUESTED.wire();
  private static final String CANCELLED = EventType.TASK_CANCELLED.wire();

  /**
   * The sizes of one cancel's records as the pipeline wrote them (value plus headers), for the raw relay.
   *
   * @param request the api's {@code CancelRequested} on the requests topic
   * @param outcome the worker's {@code TaskCancelled} on the log
   * @param view    the projector's view of the cancelled task
   */
  record Sizes(int request, int outcome, int view) {
  }

  private final Topics topics;
  private final Consumer<String, byte[]> consumer;
  private final Map<String, CancelProbe> watched = new ConcurrentHashMap<>();
  private final AtomicInteger requestSize = new AtomicInteger();
  private final AtomicInteger outcomeSize = new AtomicInteger();
  private final AtomicInteger viewSize = new AtomicInteger();
  private final Thread thread;
  private volatile boolean running = true;

  PipelineWatch(String bootstrapServers, Topics topics, int partitions) {
    this.topics = topics;
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-pipeline-watch");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> all = new ArrayList<>();
    for (String topic : List.of(topics.requests(), topics.log(), topics.view())) {
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition(topic, p));
      }
    }
    consumer.assign(all);
    consumer.seekToEnd(all);
    // Resolve the positions now, so nothing written from here on is missed.
    all.forEach(consumer::position);
    this.thread = new Thread(this::loop, "bench-pipeline-watch");
    thread.setDaemon(true);
    thread.start();
  }

  void watch(Collection<CancelProbe> probes) {
    probes.forEach(p -> watched.put(p.taskId, p));
  }

  void unwatch(Collection<CancelProbe> probes) {
    probes.forEach(p -> watched.remove(p.taskId));
  }

  Sizes sizes() {
    return new Sizes(requestSize.get(), outcomeSize.get(), viewSize.get());
  }

  private void loop() {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        for (ConsumerRecord<String, byte[]> record : records) {
          CancelProbe probe = record.key() == null ? null : watched.get(record.key());
          if (probe != null) {
            see(probe, record, now);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("the pipeline watch failed: cancels will show as never reaching the view", e);
    } finally {
      consumer.close();
    }
  }

  private void see(CancelProbe probe, ConsumerRecord<String, byte[]> record, long now) {
    String topic = record.topic();
    if (topic.equals(topics.view())) {
      if (probe.inView == 0 && "cancelled".equals(ViewStatus.of(record.value()))) {
        probe.inView = now;
        viewSize.set(size(record));
      }
    } else if (topic.equals(topics.log())) {
      if (probe.inLog == 0 && CANCELLED.equals(type(record))) {
        probe.inLog = now;
        outcomeSize.set(size(record));
      }
    } else if (probe.inRequests == 0 && CANCEL_REQUESTED.equals(type(record))) {
      probe.inRequests = now;
      requestSize.set(size(record));
    }
  }

  private static String type(ConsumerRecord<String, byte[]> record) {
    Header type = record.headers().lastHeader(CloudEventHeaders.TYPE);
    return type == null ? null : new String(type.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static int size(ConsumerRecord<String, byte[]> record) {
    int size = record.serializedValueSize();
    for (Header header : record.headers()) {
      size += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    return size;
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
