package dev.quench.standalone;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one process) running as a child JVM of this one, from
 * the Kafka jars this JVM runs with: its class path, or the executable jar it was started from ({@link JavaCommand}).
 * Alone by default; one node of a cluster when its settings name a {@link Quorum#member quorum}, and then it becomes
 * ready only once a majority of the quorum's voters runs.
 *
 * <p>This is quench's embedded default: fixed ports, data under {@link BrokerSettings#dataDir()} that survives
 * restarts, and a broker that external Kafka tools can reach at {@link #bootstrapServers()}. The child stops itself
 * when this JVM goes away, even by SIGKILL, so it never keeps the port after its launcher is gone. Its output goes to
 * {@code dataDir/kafka/broker.log}.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start(BrokerSettings.of(Path.of("data")))) {
 *   String bootstrapServers = broker.bootstrapServers();
 *   ...
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);

  private static final List<String> DEFAULT_JVM_ARGS = List.of(
      "-Xms256m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final long LOG_ROTATE_BYTES = 20L * 1024 * 1024;
  private static final int LOG_TAIL_LINES = 40;

  private final BrokerSettings settings;
  private final Process process;

  private KafkaBroker(BrokerSettings settings, Process process) {
    this.settings = settings;
    this.process = process;
  }

  /**
   * Starts the broker and returns once it accepts requests, formatting its storage first if this data directory has
   * never held a broker.
   *
   * @throws IllegalStateException if a port is taken, formatting fails, or the broker exits or does not answer
   *     within the start timeout; the message ends with the tail of the broker's log
   */
  public static KafkaBroker start(BrokerSettings settings) {
    return start(settings, ProcessHandle.current().pid());
  }

  // The broker stops when launcherPid exits: this JVM in production, a stand-in that tests can kill.
  static KafkaBroker start(BrokerSettings settings, long launcherPid) {
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    Layout layout = new Layout(settings.kafkaDir());
    requireFree(settings.port(), "broker");
    requireFree(settings.controllerPort(), "controller");
    writeConfiguration(settings, layout);
    if (!Files.exists(layout.metaProperties())) {
      format(settings, layout, deadline);
    }
    log.info("Starting Kafka broker on {} (data in {}, log in {})", settings.bootstrapServers(), layout.dataDir(),
        layout.brokerLog());
    Process process = launch(javaCommand(settings, layout, List.of(), BrokerMain.class.getName(),
        List.of(Long.toString(launcherPid), layout.serverProperties().toString())), layout);
    try {
      awaitReady(settings, process, layout, deadline);
    } catch (RuntimeException e) {
      // Waited for, so that a caller who retries finds the ports and the log directory lock released.
      process.destroyForcibly();
      awaitExit(process, GRACEFUL_STOP);
      throw e;
    }
    log.info("Kafka broker ready on {} (pid {})", settings.bootstrapServers(), process.pid());
    return new KafkaBroker(settings, process);
  }

  /** {@code localhost:<port>}. */
  public String bootstrapServers() {
    return settings.bootstrapServers();
  }

  /** The broker's process id, the one {@link #kill()} ends. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Ends the broker at once, as a crash would: the next start recovers its logs. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(process, GRACEFUL_STOP);
  }

  /** Stops the broker gracefully, forcibly if it has not stopped within 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    log.info("Stopping Kafka broker on {}", settings.bootstrapServers());
    process.destroy();
    if (!awaitExit(process, GRACEFUL_STOP)) {
      log.warn("Kafka broker on {} did not stop within {} s, killing it", settings.bootstrapServers(),
          GRACEFUL_STOP.toSeconds());
      kill();
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + settings.bootstrapServers() + ", pid " + process.pid() + "]";
  }

  // Kafka would find the port taken only after formatting and a JVM start, and then report it in its own log.
  private static void requireFree(int port, String listener) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("localhost", port));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start the Kafka broker: " + listener + " port " + port
          + " on localhost is already in use (" + e.getMessage() + ")", e);
    }
  }

  private static void writeConfiguration(BrokerSettings settings, Layout layout) {
    try {
      Files.createDirectories(layout.dataDir());
      Files.writeString(layout.serverProperties(),
          ServerProperties.render(ServerProperties.of(settings, layout.dataDir())));
      try (InputStream logback = KafkaBroker.class.getResourceAsStream("broker-logback.xml")) {
        Files.copy(logback, layout.logbackXml(), StandardCopyOption.REPLACE_EXISTING);
      }
      // The child appends to broker.log for as long as the data lives; keep one previous generation only.
      if (Files.exists(layout.brokerLog()) && Files.size(layout.brokerLog()) > LOG_ROTATE_BYTES) {
        Files.move(layout.brokerLog(), layout.kafkaDir().resolve("broker.log.1"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the Kafka broker's configuration in " + layout.kafkaDir(), e);
    }
  }

  // kafka-storage.sh format, once per data directory: --standalone for a single-voter dynamic quorum; a node of a
  // cluster takes its voters from controller.quorum.voters and the cluster id all its nodes share.
  private static void format(BrokerSettings settings, Layout layout, long deadline) {
    Quorum quorum = settings.quorum();
    String clusterId = quorum.isSingle() ? clusterId(layout) : quorum.clusterId();
    log.info("Formatting Kafka storage in {} for cluster {}", layout.dataDir(), clusterId);
    List<String> args = new ArrayList<>(List.of("format"));
    if (quorum.isSingle()) {
      args.add("--standalone");
    }
    args.addAll(List.of("--cluster-id", clusterId, "--config", layout.serverProperties().toString()));
    // A JVM that lives for a second has no use for the optimising compiler, which would double its CPU time.
    Process process = launch(javaCommand(settings, layout, List.of("-XX:TieredStopAtLevel=1"),
        "kafka.tools.StorageTool", args), layout);
    if (!awaitExit(process, remaining(deadline))) {
      process.destroyForcibly();
      throw new IllegalStateException("Formatting Kafka storage in " + layout.dataDir() + " did not finish within "
          + settings.startTimeout().toSeconds() + " s" + tail(layout));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("Formatting Kafka storage in " + layout.dataDir() + " failed with exit code "
          + process.exitValue() + tail(layout));
    }
  }

  // Kept apart from meta.properties so that a format that failed half-way is retried with the same id.
  private static String clusterId(Layout layout) {
    try {
      if (Files.exists(layout.clusterIdFile())) {
        return Files.readString(layout.clusterIdFile()).strip();
      }
      String clusterId = Uuid.randomUuid().toString();
      Files.writeString(layout.clusterIdFile(), clusterId + "\n");
      return clusterId;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot keep the Kafka cluster id in " + layout.clusterIdFile(), e);
    }
  }

  private static List<String> javaCommand(BrokerSettings settings, Layout layout, List<String> jvmArgs,
                                          String mainClass, List<String> args) {
    List<String> options = new ArrayList<>(DEFAULT_JVM_ARGS);
    options.addAll(jvmArgs);
    options.add("-Dlogback.configurationFile=" + layout.logbackXml());
    options.addAll(settings.extraJvmArgs());
    return JavaCommand.of(options, mainClass, args);
  }

  private static Process launch(List<String> command, Layout layout) {
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(layout.kafkaDir().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.brokerLog().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + command.get(0), e);
    }
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  // A listening socket comes first (cheap to probe, and Kafka binds it early), then the real proof: an answer to
  // describeCluster. Probing with the Admin client alone would log a warning per refused connection.
  private static void awaitReady(BrokerSettings settings, Process process, Layout layout, long deadline) {
    while (!accepts(settings.port())) {
      checkRunning(settings, process, layout, deadline);
      pause();
    }
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
        AdminClientConfig.CLIENT_ID_CONFIG, "quench-broker-probe",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    try (Admin admin = Admin.create(config)) {
      while (true) {
        checkRunning(settings, process, layout, deadline);
        try {
          int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get().size();
          if (nodes > 0) {
            return;
          }
        } catch (ExecutionException e) {
          // Not ready yet: the broker answers only once it has caught up with the metadata log.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the Kafka broker to start", e);
        }
        pause();
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("localhost", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void checkRunning(BrokerSettings settings, Process process, Layout layout, long deadline) {
    if (!process.isAlive()) {
      throw new IllegalStateException("The Kafka broker exited with code " + process.exitValue()
          + " before it accepted requests" + tail(layout));
    }
    if (System.nanoTime() - deadline > 0) {
      throw new IllegalStateException("The Kafka broker did not accept requests on " + settings.bootstrapServers()
          + " within " + settings.startTimeout().toSeconds() + " s" + tail(layout));
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the Kafka broker to start", e);
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static boolean awaitExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private static String tail(Layout layout) {
    Path file = layout.brokerLog();
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, in.length() - 16 * 1024);
      byte[] bytes = new byte[(int) (in.length() - start)];
      in.seek(start);
      in.readFully(bytes);
      List<String> lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
      List<String> last = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      return "\n--- last lines of " + file + " ---\n" + String.join("\n", last);
    } catch (IOException e) {
      return " (no log at " + file + ")";
    }
  }

  /** Where things live under {@code dataDir/kafka}. */
  private record Layout(Path kafkaDir) {

    // log.dirs; apart from the files below because Kafka takes every directory in it for a partition.
    Path dataDir() {
      return kafkaDir.resolve("data");
    }

    Path metaProperties() {
      return dataDir().resolve("meta.properties");
    }

    Path serverProperties() {
      return kafkaDir.resolve("server.properties");
    }

    Path logbackXml() {
      return kafkaDir.resolve("logback.xml");
    }

    Path brokerLog() {
      return kafkaDir.resolve("broker.log");
    }

    Path clusterIdFile() {
      return kafkaDir.resolve("cluster.id");
    }
  }
}
