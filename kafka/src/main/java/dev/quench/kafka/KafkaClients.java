package dev.quench.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Helpers for the Kafka clients the services make by hand. */
public final class KafkaClients {

  private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);

  private KafkaClients() {
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
