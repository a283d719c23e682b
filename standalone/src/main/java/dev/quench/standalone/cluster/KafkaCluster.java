package dev.quench.standalone.cluster;

import dev.quench.standalone.BrokerSettings;
import dev.quench.standalone.FreePorts;
import dev.quench.standalone.KafkaBroker;
import dev.quench.standalone.Quorum;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * A Kafka cluster of {@code size} nodes on loopback ports, each a combined broker and controller in a child JVM of
 * its own ({@link KafkaBroker} with a {@link Quorum#member quorum}), so that any node can be SIGKILLed and started
 * again on its data, as a crashed machine would come back.
 *
 * <p>Its questions go through the Admin client, as an operator's would: which node leads a partition, which
 * controller is active, whether every replica is back in sync.
 */
public final class KafkaCluster implements AutoCloseable {

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
  private static final int DEDUPE_BUFFER_BYTES = 16 * 1024 * 1024;

  private final Map<Integer, BrokerSettings> settings;
  private final Map<Integer, KafkaBroker> nodes = new TreeMap<>();
  private final Map<Integer, String> isolated;
  private final Admin admin;

  // Created once the nodes run: an Admin client bootstrapping from none would warn on every attempt.
  private KafkaCluster(Map<Integer, BrokerSettings> settings, Map<Integer, KafkaBroker> nodes,
                       Map<Integer, String> isolated) {
    this.settings = settings;
    this.isolated = Map.copyOf(isolated);
    this.nodes.putAll(nodes);
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.CLIENT_ID_CONFIG, "quench-cluster-probe",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis(),
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
  }

  /**
   * Formats and starts {@code size} nodes under {@code dir/node-<id>}, all at once (none becomes ready before a
   * majority of the voters runs), and returns when every one accepts requests.
   *
   * @param jvmArgs JVM options of every node, after the broker's defaults
   */
  public static KafkaCluster start(Path dir, int size, List<String> jvmArgs) {
    return start(dir, size, jvmArgs, null);
  }

  /**
   * As {@link #start(Path, int, List)}, every node with a second client listener on {@code isolatedHost} (the host
   * end of an {@link IsolatedNetwork}), advertised there, for clients that cannot reach localhost.
   *
   * @param isolatedHost null for none
   */
  public static KafkaCluster start(Path dir, int size, List<String> jvmArgs, String isolatedHost) {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, was " + size);
    }
    int[] ports = FreePorts.take(3 * size);
    Map<Integer, Integer> controllerPorts = new TreeMap<>();
    for (int id = 1; id <= size; id++) {
      controllerPorts.put(id, ports[3 * id - 2]);
    }
    String clusterId = Uuid.randomUuid().toString();
    Map<Integer, BrokerSettings> settings = new TreeMap<>();
    Map<Integer, String> isolated = new TreeMap<>();
    for (int id = 1; id <= size; id++) {
      int port = ports[3 * id - 3];
      int controllerPort = controllerPorts.get(id);
      BrokerSettings node = BrokerSettings.of(dir.resolve("node-" + id), port)
          .withControllerPort(controllerPort)
          .withQuorum(Quorum.member(id, controllerPorts, clusterId))
          .withStartTimeout(Duration.ofSeconds(120))
          .withExtraJvmArgs(jvmArgs);
      Map<String, String> properties = new TreeMap<>();
      // The log cleaner takes its whole dedupe buffer (128 MB by default) from the heap at start: half of a small
      // node's, which then ran out of memory as it joined the cluster. Quench's compacted topics need far less.
      properties.put("log.cleaner.dedupe.buffer.size", Integer.toString(DEDUPE_BUFFER_BYTES));
      if (isolatedHost != null) {
        String listener = isolatedHost + ":" + ports[3 * id - 1];
        isolated.put(id, listener);
        properties.putAll(Map.of(
            "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort
                + ",ISOLATED://" + listener,
            "advertised.listeners", "PLAINTEXT://localhost:" + port + ",ISOLATED://" + listener,
            "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,ISOLATED:PLAINTEXT"));
      }
      settings.put(id, node.withExtraBrokerProperties(properties));
    }
    Map<Integer, CompletableFuture<KafkaBroker>> starting = new LinkedHashMap<>();
    settings.forEach((id, s) -> starting.put(id, CompletableFuture.supplyAsync(() -> KafkaBroker.start(s))));
    Map<Integer, KafkaBroker> started = new TreeMap<>();
    RuntimeException failure = null;
    for (Map.Entry<Integer, CompletableFuture<KafkaBroker>> node : starting.entrySet()) {
      try {
        started.put(node.getKey(), join(node.getValue()));
      } catch (RuntimeException e) {
        // Every start is waited for, so that the nodes that did come up are stopped.
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      started.values().forEach(KafkaBroker::kill);
      throw failure;
    }
    return new KafkaCluster(settings, started, isolated);
  }

  /** Every node's broker listener, {@code localhost:p1,localhost:p2,...}: clients find the others from any one. */
  public String bootstrapServers() {
    return settings.values().stream().map(BrokerSettings::bootstrapServers).collect(Collectors.joining(","));
  }

  /** Every node's listener on the isolated host, for a client inside the {@link IsolatedNetwork}. */
  public String isolatedBootstrapServers() {
    if (isolated.isEmpty()) {
      throw new IllegalStateException("this cluster was started without a listener on an isolated host");
    }
    return String.join(",", isolated.values());
  }

  public Set<Integer> nodeIds() {
    return settings.keySet();
  }

  /** Where node {@code id} keeps its data and {@code broker.log}. */
  public Path kafkaDir(int id) {
    return settings(id).kafkaDir();
  }

  public synchronized boolean isRunning(int id) {
    KafkaBroker node = nodes.get(id);
    return node != null && node.isAlive();
  }

  /** The pid of running node {@code id}. */
  public synchronized long pid(int id) {
    KafkaBroker node = nodes.get(id);
    if (node == null) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    return node.pid();
  }

  /** SIGKILLs node {@code id} and waits until it is gone; returns its pid. */
  public synchronized long kill(int id) {
    KafkaBroker node = nodes.remove(id);
    if (node == null) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    node.kill();
    return node.pid();
  }

  /**
   * Stops node {@code id} gracefully (SIGTERM: a controlled shutdown that hands its leaderships over first, as in a
   * rolling restart; SIGKILL only past the broker's grace period) and waits until it is gone; returns its pid.
   */
  public long stop(int id) {
    KafkaBroker node;
    synchronized (this) {
      node = nodes.remove(id);
    }
    if (node == null) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    // Outside the lock: a controlled shutdown takes seconds, and isRunning must answer meanwhile.
    node.close();
    return node.pid();
  }

  /** Starts node {@code id} again on its data and ports; returns once it accepts requests. */
  public long restart(int id) {
    KafkaBroker node = KafkaBroker.start(settings(id));
    synchronized (this) {
      nodes.put(id, node);
    }
    return node.pid();
  }

  /** The node leading {@code topic}'s partition {@code partition}, or -1 while it has none. */
  public int leaderOf(String topic, int partition) {
    TopicPartitionInfo info = describe(List.of(topic)).get(topic).partitions().get(partition);
    return info.leader() == null || info.leader().isEmpty() ? -1 : info.leader().id();
  }

  /** The fewest replicas any partition of {@code topic} has. */
  public int replicationFactor(String topic) {
    return describe(List.of(topic)).get(topic).partitions().stream().mapToInt(p -> p.replicas().size()).min()
        .orElse(0);
  }

  /** The active controller: the leader of the KRaft quorum, as the quorum itself reports it. */
  public int activeController() {
    return get(admin.describeMetadataQuorum().quorumInfo()).leaderId();
  }

  /** Whether every partition of {@code topics} has a leader and all its replicas in sync. */
  public boolean fullyReplicated(Collection<String> topics) {
    for (TopicDescription topic : describe(topics).values()) {
      for (TopicPartitionInfo partition : topic.partitions()) {
        if (partition.leader() == null || partition.leader().isEmpty()
            || partition.isr().size() < partition.replicas().size()) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The client ids of the members of consumer group {@code group} that own partitions now; empty while it has none,
   * or does not exist yet.
   */
  public Set<String> groupOwners(String group) {
    ConsumerGroupDescription description;
    try {
      description = get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Set.of();
      }
      throw e;
    }
    return description.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty())
        .map(MemberDescription::clientId).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Every topic of the cluster, Kafka's internal ones included. */
  public Set<String> topics() {
    return get(admin.listTopics(new ListTopicsOptions().listInternal(true)).names());
  }

  /** Stops every running node gracefully. */
  @Override
  public synchronized void close() {
    admin.close(Duration.ofSeconds(2));
    List<KafkaBroker> running = new ArrayList<>(nodes.values());
    nodes.clear();
    // All at once: a node stopping alone waits for the others to take over its partitions.
    running.stream().map(node -> CompletableFuture.runAsync(node::close)).toList()
        .forEach(CompletableFuture::join);
  }

  @Override
  public synchronized String toString() {
    return "KafkaCluster" + nodes.values();
  }

  private BrokerSettings settings(int id) {
    BrokerSettings node = settings.get(id);
    if (node == null) {
      throw new IllegalArgumentException("no node " + id + " in " + settings.keySet());
    }
    return node;
  }

  private Map<String, TopicDescription> describe(Collection<String> topics) {
    return get(admin.describeTopics(topics).allTopicNames());
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the cluster", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the cluster did not answer: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the cluster did not answer within " + ADMIN_TIMEOUT.toSeconds() + " s", e);
    }
  }

  private static KafkaBroker join(CompletableFuture<KafkaBroker> start) {
    try {
      return start.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}
