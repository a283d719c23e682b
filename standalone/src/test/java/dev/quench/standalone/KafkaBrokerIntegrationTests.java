package dev.quench.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class KafkaBrokerIntegrationTests {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(45);

  @TempDir
  static Path sharedDir;

  @TempDir
  Path dir;

  private static KafkaBroker shared;

  @BeforeAll
  static void startSharedBroker() {
    shared = KafkaBroker.start(settings(sharedDir));
  }

  @AfterAll
  static void stopSharedBroker() {
    if (shared != null) {
      shared.close();
    }
  }

  @Test
  void consumerGroupReadsWhatAProducerWrote() throws Exception {
    String topic = createTopic(shared, "plain");

    send(shared, topic, "cancel");

    try (KafkaConsumer<String, String> consumer = consumer(shared, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, "readers",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> records = pollUntil(consumer, 1);
      // A commit needs __consumer_offsets, which a single broker can only create with replication factor 1.
      consumer.commitSync();

      assertThat(records).extracting(ConsumerRecord::key, ConsumerRecord::value)
          .containsExactly(tuple("task-1", "cancel"));
      TopicPartition partition = new TopicPartition(topic, 0);
      assertThat(consumer.committed(Set.of(partition)).get(partition).offset()).isEqualTo(1);
    }
  }

  @Test
  void readCommittedConsumerSeesCommittedTransactionsOnly() throws Exception {
    String topic = createTopic(shared, "transactional");

    try (KafkaProducer<String, String> producer = producer(shared, Map.of(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID()))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "task-1", "aborted"));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "task-1", "committed"));
      producer.commitTransaction();
    }

    try (KafkaConsumer<String, String> consumer = consumer(shared, Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));

      // Both transactions and their markers are before the end offset, so nothing can still arrive after it.
      List<ConsumerRecord<String, String>> records = pollToEnd(consumer, partition);

      assertThat(records).extracting(ConsumerRecord::value).containsExactly("committed");
    }
  }

  @Test
  void restartKeepsTopicsAndRecordsAfterAStopAndAfterACrash() throws Exception {
    // After a crash the restarted broker may register only once its predecessor's session has expired: 9 s by
    // default, shortened here to keep the test quick.
    BrokerSettings settings = settings(dir).withExtraBrokerProperties(Map.of(
        "broker.session.timeout.ms", "2000",
        "broker.heartbeat.interval.ms", "500"));
    String topic;
    try (KafkaBroker broker = KafkaBroker.start(settings)) {
      topic = createTopic(broker, "durable");
      send(broker, topic, "before stop");
    }

    KafkaBroker crashed = KafkaBroker.start(settings);
    try {
      assertThat(topics(crashed)).contains(topic);
      assertThat(readAll(crashed, topic)).containsExactly("before stop");
      send(crashed, topic, "before crash");
    } finally {
      crashed.kill();
    }
    assertThat(crashed.isAlive()).isFalse();

    try (KafkaBroker broker = KafkaBroker.start(settings)) {
      assertThat(readAll(broker, topic)).containsExactly("before stop", "before crash");
    }
  }

  @Test
  void brokerStopsCleanlyWhenItsLauncherIsGone() throws Exception {
    Process launcher = IdleProcess.start();
    try (KafkaBroker broker = KafkaBroker.start(settings(dir), launcher.pid())) {
      launcher.destroyForcibly();

      await().atMost(Duration.ofSeconds(30)).until(() -> !broker.isAlive());
    } finally {
      launcher.destroyForcibly();
    }
    // Kafka writes this marker only from its own shutdown, so the broker was stopped, not killed.
    assertThat(dir.resolve("kafka/data/.kafka_cleanshutdown")).exists();
    assertThat(Files.readString(dir.resolve("kafka/broker.log"))).contains("is gone, stopping the broker");
  }

  @Test
  void startFailsAtOnceWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("localhost", 0));
      int port = taken.getLocalPort();
      BrokerSettings settings = BrokerSettings.of(dir, port).withControllerPort(freePort());

      long started = System.nanoTime();
      assertThatIllegalStateException()
          .isThrownBy(() -> KafkaBroker.start(settings))
          .withMessageContaining("port " + port)
          .withMessageContaining("already in use");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void startFailureShowsTheBrokerLog() {
    BrokerSettings broken = settings(dir).withExtraBrokerProperties(Map.of("num.partitions", "many"));

    assertThatIllegalStateException()
        .isThrownBy(() -> KafkaBroker.start(broken))
        .withMessageContaining("broker.log")
        .withMessageContaining("num.partitions");
  }

  private static BrokerSettings settings(Path dataDir) {
    return BrokerSettings.of(dataDir, freePort())
        .withControllerPort(freePort())
        .withStartTimeout(START_TIMEOUT)
        // Halves the CPU time of each start: a broker serving a few records has no use for the optimising compiler
        // or a concurrent collector, and this class starts five of them.
        .withExtraJvmArgs(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("localhost", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Admin admin(KafkaBroker broker) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private static String createTopic(KafkaBroker broker, String prefix) throws ExecutionException, InterruptedException {
    String topic = prefix + "-" + UUID.randomUUID();
    try (Admin admin = admin(broker)) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    return topic;
  }

  private static Set<String> topics(KafkaBroker broker) throws ExecutionException, InterruptedException {
    try (Admin admin = admin(broker)) {
      return admin.listTopics().names().get();
    }
  }

  private static void send(KafkaBroker broker, String topic, String value) throws Exception {
    try (KafkaProducer<String, String> producer = producer(broker, Map.of())) {
      producer.send(new ProducerRecord<>(topic, "task-1", value)).get();
    }
  }

  private static KafkaProducer<String, String> producer(KafkaBroker broker, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"));
    config.putAll(extra);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(KafkaBroker broker, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
    config.putAll(extra);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  private static List<String> readAll(KafkaBroker broker, String topic) {
    try (KafkaConsumer<String, String> consumer = consumer(broker, Map.of())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<String> values = new ArrayList<>();
      pollToEnd(consumer, partition).forEach(record -> values.add(record.value()));
      return values;
    }
  }

  private static List<ConsumerRecord<String, String>> pollUntil(KafkaConsumer<String, String> consumer, int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ZERO).until(() -> {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      return records.size() >= count;
    });
    return records;
  }

  private static List<ConsumerRecord<String, String>> pollToEnd(KafkaConsumer<String, String> consumer,
      TopicPartition partition) {
    long end = consumer.endOffsets(List.of(partition)).get(partition);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ZERO).until(() -> {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      return consumer.position(partition) >= end;
    });
    return records;
  }
}
