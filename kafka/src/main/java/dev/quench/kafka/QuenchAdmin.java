package dev.quench.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.ForwardingAdmin;

/**
 * The services' shared Kafka {@code Admin}, whose {@link #close()} (what Spring calls when a service stops) waits at
 * most {@link #CLOSE_TIMEOUT} for calls still in flight. A plain {@code Admin.close()} waits for every call to reach
 * its own deadline: with the brokers already gone (a machine shutting down, a test's broker stopped first), a
 * service's stop would hang for a minute.
 */
public final class QuenchAdmin extends ForwardingAdmin {

  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  public QuenchAdmin(Map<String, Object> configs) {
    super(configs);
  }

  @Override
  public void close() {
    close(CLOSE_TIMEOUT);
  }
}
