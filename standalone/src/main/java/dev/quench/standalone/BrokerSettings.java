package dev.quench.standalone;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to run the embedded KRaft broker: the single node of quench's default, or, by its {@link Quorum}, one node of
 * a cluster of such brokers.
 *
 * <p>The broker keeps everything under {@code dataDir/kafka}: its formatted log directory, the
 * {@code server.properties} and logging configuration written on each start, and {@code broker.log}. Starting again
 * on the same {@code dataDir} keeps every topic and record.
 *
 * <p>The controller listener takes {@code port + 1} unless set otherwise, mirroring Kafka's own 9092/9093 pair. Both
 * ports may change between starts on the same data: formatting records the controller's address as the quorum's only
 * voter, and Kafka (4.2) updates that record when the node comes back on another port.
 *
 * @param dataDir the directory whose {@code kafka} subdirectory holds the broker's data, configuration and log
 * @param port the PLAINTEXT listener on localhost, advertised as {@code localhost:<port>}
 * @param controllerPort the KRaft controller listener on localhost
 * @param startTimeout how long {@link KafkaBroker#start} waits for the broker to accept requests
 * @param extraBrokerProperties broker properties that replace or add to the generated ones, except those that fix
 *     where the data lives and which node this is ({@code log.dirs}, {@code log.dir}, {@code metadata.log.dir},
 *     {@code process.roles}, {@code node.id}), which would no longer match the formatted storage
 * @param extraJvmArgs JVM options appended after the defaults ({@code -Xms256m -Xmx512m}), so a later {@code -Xmx}
 *     wins
 * @param quorum which KRaft quorum the node belongs to: {@link Quorum#single()} for the embedded default, a
 *     {@link Quorum#member} for a node of a cluster, whose controller port must be the one the quorum names for it
 */
public record BrokerSettings(
    Path dataDir,
    int port,
    int controllerPort,
    Duration startTimeout,
    Map<String, String> extraBrokerProperties,
    List<String> extraJvmArgs,
    Quorum quorum) {

  public static final int DEFAULT_PORT = 9092;
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

  private static final Set<String> FIXED_BROKER_PROPERTIES =
      Set.of("log.dirs", "log.dir", "metadata.log.dir", "process.roles", "node.id");

  public BrokerSettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(quorum, "quorum");
    Objects.requireNonNull(startTimeout, "startTimeout");
    requireValidPort("port", port);
    requireValidPort("controllerPort", controllerPort);
    if (port == controllerPort) {
      throw new IllegalArgumentException("port and controllerPort must differ, both are " + port);
    }
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
    }
    for (String key : extraBrokerProperties.keySet()) {
      if (FIXED_BROKER_PROPERTIES.contains(key)) {
        throw new IllegalArgumentException(key + " cannot be overridden: it must match the broker's formatted storage");
      }
    }
    if (!quorum.isSingle() && quorum.controllerPorts().get(quorum.nodeId()) != controllerPort) {
      throw new IllegalArgumentException("node " + quorum.nodeId() + " listens as a controller on " + controllerPort
          + ", but its quorum names port " + quorum.controllerPorts().get(quorum.nodeId()));
    }
    dataDir = dataDir.toAbsolutePath();
    extraBrokerProperties = Map.copyOf(extraBrokerProperties);
    extraJvmArgs = List.copyOf(extraJvmArgs);
  }

  /** The single node of the embedded default. */
  public BrokerSettings(Path dataDir, int port, int controllerPort, Duration startTimeout,
                        Map<String, String> extraBrokerProperties, List<String> extraJvmArgs) {
    this(dataDir, port, controllerPort, startTimeout, extraBrokerProperties, extraJvmArgs, Quorum.single());
  }

  /** The defaults on port 9092, controller on 9093. */
  public static BrokerSettings of(Path dataDir) {
    return of(dataDir, DEFAULT_PORT);
  }

  /** The defaults on the given port, controller on {@code port + 1}. */
  public static BrokerSettings of(Path dataDir, int port) {
    return new BrokerSettings(dataDir, port, port + 1, DEFAULT_START_TIMEOUT, Map.of(), List.of());
  }

  public BrokerSettings withControllerPort(int controllerPort) {
    return new BrokerSettings(dataDir, port, controllerPort, startTimeout, extraBrokerProperties, extraJvmArgs,
        quorum);
  }

  public BrokerSettings withStartTimeout(Duration startTimeout) {
    return new BrokerSettings(dataDir, port, controllerPort, startTimeout, extraBrokerProperties, extraJvmArgs,
        quorum);
  }

  public BrokerSettings withExtraBrokerProperties(Map<String, String> extraBrokerProperties) {
    return new BrokerSettings(dataDir, port, controllerPort, startTimeout, extraBrokerProperties, extraJvmArgs,
        quorum);
  }

  public BrokerSettings withExtraJvmArgs(List<String> extraJvmArgs) {
    return new BrokerSettings(dataDir, port, controllerPort, startTimeout, extraBrokerProperties, extraJvmArgs,
        quorum);
  }

  /** As {@code quorum}'s node; the controller port must be the one it names for that node. */
  public BrokerSettings withQuorum(Quorum quorum) {
    return new BrokerSettings(dataDir, port, controllerPort, startTimeout, extraBrokerProperties, extraJvmArgs,
        quorum);
  }

  /** Where the broker keeps its configuration, log and data. */
  public Path kafkaDir() {
    return dataDir.resolve("kafka");
  }

  /** {@code localhost:<port>}. */
  public String bootstrapServers() {
    return "localhost:" + port;
  }

  private static void requireValidPort(String name, int value) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(name + " must be between 1 and 65535, was " + value);
    }
  }
}
