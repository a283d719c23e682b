package dev.quench.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Helpers for the Kafka clients the services make by hand. */
public final class KafkaClients {

  private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

  private KafkaClients() {
  }

  /**
   * Makes {@code config} that of a member of a quench consumer group, as every service's is: named, starting from the
   * earliest record of a partition it never committed, committing only inside its transactions (offsets sent with
   * them, never auto-committed), reading only committed records (an aborted decision, a fenced zombie's, is never
   * seen), and cooperative, so a member joining or leaving moves only the partitions that must move and the others
   * go on. The classic protocol, as the transactional read-process-write of these groups needs: the new one (KIP-848)
   * aborts on member-epoch races.
   *
   * @return {@code config}, for chaining
   */
  public static Map<String, Object> groupMember(Map<String, Object> config, String groupId, String clientId) {
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    return config;
  }

  /**
   * Closes a client that may be broken (after a failed session, a broker outage), within {@code timeout}: a failure
   * to close is logged, never thrown, so it cannot hide the failure that made the caller close it.
   */
  public static void closeQuietly(AutoCloseable client, Duration timeout) {
    if (client == null) {
      return;
    }
    try {
      if (client instanceof Producer<?, ?> p) {
        p.close(timeout);
      } else if (client instanceof Consumer<?, ?> c) {
        c.close(CloseOptions.timeout(timeout));
      } else {
        client.close();
      }
    } catch (Exception e) {
      log.warn("closing a Kafka client failed", e);
    }
  }
}
