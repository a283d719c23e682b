package dev.quench.standalone;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code server.properties} of the embedded broker: KRaft combined mode, sized for exactly one node, or for the
 * nodes of its {@link Quorum}.
 */
final class ServerProperties {

  private ServerProperties() {
  }

  static Map<String, String> of(BrokerSettings settings, Path logDir) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("process.roles", "broker,controller");
    Quorum quorum = settings.quorum();
    properties.put("node.id", Integer.toString(quorum.nodeId()));
    properties.put("controller.listener.names", "CONTROLLER");
    properties.put("inter.broker.listener.name", "PLAINTEXT");
    // Bound to localhost: an embedded default should not be reachable from other machines unless asked to.
    properties.put("listeners",
        "PLAINTEXT://localhost:" + settings.port() + ",CONTROLLER://localhost:" + settings.controllerPort());
    properties.put("advertised.listeners", "PLAINTEXT://localhost:" + settings.port());
    properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    if (quorum.isSingle()) {
      // A dynamic quorum (what `kafka-storage format --standalone` formats), not static controller.quorum.voters.
      properties.put("controller.quorum.bootstrap.servers", "localhost:" + settings.controllerPort());
    } else {
      // A cluster's voters are fixed: the nodes are known before any of them starts, and never change.
      properties.put("controller.quorum.voters", quorum.voters());
    }
    properties.put("log.dirs", logDir.toString());

    // Kafka's defaults assume three brokers: with one, internal topics could not be created and
    // initTransactions() would wait for an ISR that never forms. With more, a write survives the loss of one node.
    String replicas = Integer.toString(Math.min(3, quorum.size()));
    String minIsr = Integer.toString(Math.max(1, Math.min(2, quorum.size() - 1)));
    properties.put("offsets.topic.replication.factor", replicas);
    properties.put("transaction.state.log.replication.factor", replicas);
    properties.put("transaction.state.log.min.isr", minIsr);
    properties.put("share.coordinator.state.topic.replication.factor", replicas);
    properties.put("share.coordinator.state.topic.min.isr", minIsr);
    properties.put("default.replication.factor", replicas);
    properties.put("min.insync.replicas", minIsr);
    if (!quorum.isSingle()) {
      // Kafka's default, stated: a replica that fell behind must never become leader and drop acknowledged writes.
      properties.put("unclean.leader.election.enable", "false");
    }
    properties.put("num.partitions", "1");
    // Topics are declared by the services; a typo in a topic name should fail, not create a topic.
    properties.put("auto.create.topics.enable", "false");
    // Nobody else will join, so waiting for more group members only delays every first poll.
    properties.put("group.initial.rebalance.delay.ms", "0");
    // Abort the open transactions of crashed producers within a second of their timeout, not a minute later.
    properties.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");

    properties.putAll(new TreeMap<>(settings.extraBrokerProperties()));
    return properties;
  }

  /** The properties in their given order, escaped so that {@link java.util.Properties#load} reads them back. */
  static String render(Map<String, String> properties) {
    StringBuilder text = new StringBuilder("# Written by quench on every start; edits are overwritten.\n");
    properties.forEach((key, value) -> text.append(escape(key, true)).append('=').append(escape(value, false))
        .append('\n'));
    return text.toString();
  }

  // Kafka loads this file as ISO-8859-1, so anything beyond ASCII goes out as \\uXXXX.
  private static String escape(String text, boolean key) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\':
          escaped.append("\\\\");
          break;
        case '\n':
          escaped.append("\\n");
          break;
        case '\r':
          escaped.append("\\r");
          break;
        case '\t':
          escaped.append("\\t");
          break;
        case '\f':
          escaped.append("\\f");
          break;
        case ' ':
          escaped.append(key || i == 0 ? "\\ " : " ");
          break;
        case '=':
        case ':':
        case '#':
        case '!':
          if (key || i == 0) {
            escaped.append('\\');
          }
          escaped.append(c);
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            escaped.append(String.format("\\u%04x", (int) c));
          } else {
            escaped.append(c);
          }
      }
    }
    return escaped.toString();
  }
}
