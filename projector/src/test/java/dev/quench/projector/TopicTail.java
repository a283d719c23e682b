package dev.quench.projector;

import dev.quench.events.TaskView;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.EventCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything written to one topic so far, in each partition's order, read the way the api's replica reads. */
final class TopicTail implements AutoCloseable {

  private static final EventCodec CODEC = new EventCodec();

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  TopicTail(String topic) {
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
        new StringDeserializer(), new ByteArrayDeserializer());
    this.partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Every record up to the topic's current end. */
  synchronized List<ConsumerRecord<String, byte[]>> readToEnd() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + partitions + " up to " + ends);
      }
      consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
    }
    return List.copyOf(seen);
  }

  /** The views of one task, in the order they were written. */
  List<TaskView> viewsOf(String taskId) {
    return readToEnd().stream().filter(r -> taskId.equals(r.key())).map(TopicTail::view).toList();
  }

  /** The view records of one task, in the order they were written. */
  List<ConsumerRecord<String, byte[]>> recordsOf(String taskId) {
    return readToEnd().stream().filter(r -> taskId.equals(r.key())).toList();
  }

  /** Each task's view with the highest log offset: what a reader of the view topic keeps. */
  Map<String, TaskView> latestViews() {
    Map<String, TaskView> latest = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : readToEnd()) {
      latest.merge(record.key(), view(record), (a, b) -> b.logOffset() > a.logOffset() ? b : a);
    }
    return latest;
  }

  Map<TopicPartition, Long> endOffsets() {
    return consumer.endOffsets(partitions);
  }

  static TaskView view(ConsumerRecord<String, byte[]> record) {
    return CODEC.decodeView(record.value());
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
