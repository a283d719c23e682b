package dev.quench.kafka.lag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.testing.SharedKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Consumer lag as the cluster tells it: committed offsets against the ends a reader can reach. */
class LagWatchIntegrationTests {

  private static Admin admin;

  @BeforeAll
  static void connect() {
    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers()));
  }

  @AfterAll
  static void disconnect() {
    admin.close();
  }

  @Test
  void reportsEachPartitionsRecordsBeyondTheGroupsCommittedOffset() throws Exception {
    String topic = SharedKafkaBroker.uniquePrefix() + "log";
    admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    try (KafkaProducer<String, String> producer = producer(null)) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>(topic, 0, null, "r" + i)).get();
      }
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topic, 1, null, "r" + i)).get();
      }
    }
    String group = "group-" + UUID.randomUUID();
    // The group committed on partition 0 only: partition 1 is behind by everything it holds.
    admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2))).all()
        .get();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LagWatch watch = new LagWatch(admin, registry, Duration.ofSeconds(10), Clock.systemUTC());
    watch.watch(new LagWatch.Group(group, topic, 2));
    AtomicReference<Map<Integer, Long>> ends = new AtomicReference<>();
    watch.watchEnds(topic, 2, (byPartition, readAt) -> ends.set(byPartition));

    assertThat(lagGauge(registry, group, topic, 0)).isNaN();
    watch.readOnce();

    assertThat(lagGauge(registry, group, topic, 0)).isEqualTo(3.0);
    assertThat(lagGauge(registry, group, topic, 1)).isEqualTo(3.0);
    assertThat(ends.get()).containsOnly(Map.entry(0, 5L), Map.entry(1, 3L));

    admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(5),
        new TopicPartition(topic, 1), new OffsetAndMetadata(3))).all().get();
    watch.readOnce();

    assertThat(lagGauge(registry, group, topic, 0)).isZero();
    assertThat(lagGauge(registry, group, topic, 1)).isZero();
  }

  @Test
  void doesNotCountRecordsOfAnOpenTransactionAsLag() throws Exception {
    String topic = SharedKafkaBroker.uniquePrefix() + "log";
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    String group = "group-" + UUID.randomUUID();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LagWatch watch = new LagWatch(admin, registry, Duration.ofSeconds(10), Clock.systemUTC());
    watch.watch(new LagWatch.Group(group, topic, 1));
    try (KafkaProducer<String, String> producer = producer("lag-test-" + UUID.randomUUID())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, null, "committed")).get();
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, null, "open")).get();

      watch.readOnce();

      // One committed record (and its marker) ahead of a group that read nothing; the open one is not readable yet.
      assertThat(lagGauge(registry, group, topic, 0)).isEqualTo(2.0);
      producer.abortTransaction();
    }
  }

  @Test
  void toldTheEndsWithWhenTheyWereRead() throws Exception {
    String topic = SharedKafkaBroker.uniquePrefix() + "view";
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    LagWatch watch = new LagWatch(admin, new SimpleMeterRegistry(), Duration.ofSeconds(10),
        Clock.fixed(now, java.time.ZoneOffset.UTC));
    AtomicReference<Instant> readAt = new AtomicReference<>();
    watch.watchEnds(topic, 1, (byPartition, at) -> readAt.set(at));

    watch.readOnce();

    assertThat(readAt.get()).isEqualTo(now);
  }

  private static double lagGauge(SimpleMeterRegistry registry, String group, String topic, int partition) {
    return registry.get(LagWatch.CONSUMER_LAG).tag("group", group).tag("topic", topic)
        .tag("partition", String.valueOf(partition)).gauge().value();
  }

  private static KafkaProducer<String, String> producer(String transactionalId) {
    Map<String, Object> config = new java.util.HashMap<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers(),
        ProducerConfig.LINGER_MS_CONFIG, 0));
    if (transactionalId != null) {
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
