package dev.quench.events.testing;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real KRaft broker per test JVM, started on first use and shared by every integration test of a module:
 * starting a broker costs seconds, and tests keep apart by using their own topic prefix ({@link #uniquePrefix}).
 */
public final class SharedKafkaBroker {

  private static EmbeddedKafkaKraftBroker broker;
  private static final List<AutoCloseable> beforeBroker = new CopyOnWriteArrayList<>();

  private SharedKafkaBroker() {
  }

  /** The broker's bootstrap servers, starting it if this is the first call. */
  public static synchronized String bootstrapServers() {
    if (broker == null) {
      EmbeddedKafkaKraftBroker b = new EmbeddedKafkaKraftBroker(1, 1);
      // The test kit's broker sets none of the single-broker transaction settings: initTransactions() would hang.
      b.brokerProperties(Map.of(
          "transaction.state.log.replication.factor", "1",
          "transaction.state.log.min.isr", "1",
          "offsets.topic.replication.factor", "1",
          "group.initial.rebalance.delay.ms", "0",
          // Kafka's least session timeout is 6 s: a test that kills or freezes a group member would wait that out
          // before its partitions move. This only lets a test's client ask for less; every other keeps its own.
          "group.min.session.timeout.ms", "1000",
          "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000",
          "auto.create.topics.enable", "false"));
      // By default the test kit publishes its address as the system property spring.kafka.bootstrap-servers, which
      // outranks what a test gives an application as defaults and silently moves it to this broker.
      b.brokerListProperty("quench.test.kafka.bootstrap-servers");
      b.afterPropertiesSet();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        // What uses the broker stops first: clients of a broker already gone wait out their timeouts.
        for (int i = beforeBroker.size() - 1; i >= 0; i--) {
          try {
            beforeBroker.get(i).close();
          } catch (Exception e) {
            // stopping anyway
          }
        }
        b.destroy();
      }, "shared-kafka-broker-stop"));
      broker = b;
    }
    return broker.getBrokersAsString();
  }

  /**
   * Closes {@code user} when the test JVM exits, before the broker stops: for what a test leaves running to the end
   * (a shared pipeline), which would otherwise race the broker's own stop.
   */
  public static void closeBeforeBroker(AutoCloseable user) {
    beforeBroker.add(user);
  }

  /** A topic prefix no other test uses, e.g. {@code t3f9a1c.}. */
  public static String uniquePrefix() {
    return "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }
}
