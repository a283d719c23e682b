package dev.quench.events.testing;

import dev.quench.events.Envelope;
import dev.quench.events.wire.EventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads whole topics with a plain read_committed consumer, as any outside Kafka tool would. */
public final class LogReader {

  private final String bootstrapServers;
  private final EventCodec codec = new EventCodec();

  public LogReader(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Every committed record of {@code topic}, partition by partition, each in offset order, up to where the topic
   * ended when the read began (its high watermark: a read_committed end offset may stop short).
   */
  public List<ConsumerRecord<String, byte[]>> records(String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A read goes on until its position reaches where the topic ended; a fetch that finds nothing to return yet (the
    // rest still in an open transaction, or only its commit marker) is parked by the broker for fetch.max.wait.ms.
    // Kafka's 500 ms made each read take 0.5-0.9 s, and tests that await a task's history read it again and again.
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    Properties uncommitted = new Properties();
    uncommitted.putAll(config);
    uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
         KafkaConsumer<String, byte[]> ends = new KafkaConsumer<>(uncommitted)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      if (partitions.isEmpty()) {
        throw new IllegalStateException("no topic " + topic);
      }
      ends.assign(partitions);
      Map<TopicPartition, Long> end = ends.endOffsets(partitions);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(100)).forEach(r -> {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            records.add(r);
          }
        });
      }
    }
    return records;
  }

  /** Every event of the log topic, decoded; each task's events in log order. */
  public List<Envelope> events(String topic) {
    return records(topic).stream().map(r -> codec.decode(r.value())).toList();
  }

  /** The events of one task, in log order. */
  public List<Envelope> history(String topic, String taskId) {
    return events(topic).stream().filter(e -> e.taskId().equals(taskId)).collect(Collectors.toList());
  }
}
