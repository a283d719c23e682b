package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar the build ships, started as its users start it: {@code java -jar}, configured by the environment
 * variables of the README. Run by Failsafe after the jar is packaged (surefire runs before it exists).
 */
class PackagedJarIntegrationTests {

  private static final String KEY = "packaged-jar-key";
  private static final Duration START = Duration.ofMinutes(2);

  @TempDir
  Path dir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killWhatIsLeft() {
    started.forEach(PackagedJarIntegrationTests::killWithChildren);
  }

  @Test
  void theExecutableJarServesTheApiAndKeepsEveryTaskAcrossAKill() throws Exception {
    Path data = dir.resolve("data");
    int apiPort = freePort();
    int brokerPort = freePort();
    int controllerPort = freePort();

    Process first = start(data, apiPort, brokerPort, controllerPort, "first.log");
    ApiClient api = new ApiClient("http://localhost:" + apiPort, KEY);
    Response created = api.post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":60000}}");
    assertThat(created.status()).isEqualTo(202);
    String taskId = created.at("/task_id");
    await().atMost(60, SECONDS).until(() -> "running".equals(api.get("/v1/tasks/" + taskId).at("/status")));
    assertThat(api.post("/v1/tasks/" + taskId + "/cancel", "{\"reason\":\"from the jar\"}").status()).isEqualTo(202);
    await().atMost(60, SECONDS).until(() -> "cancelled".equals(api.get("/v1/tasks/" + taskId).at("/status")));
    String echoed = api.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{\"n\":7}}").at("/task_id");
    await().atMost(60, SECONDS).until(() -> "completed".equals(api.get("/v1/tasks/" + echoed).at("/status")));

    // As a crash would: the launcher and its broker child at once, nothing flushed, nothing closed.
    killWithChildren(first);

    Process second = start(data, apiPort, brokerPort, controllerPort, "second.log");
    Response cancelled = api.get("/v1/tasks/" + taskId);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.at("/status")).isEqualTo("cancelled");
    assertThat(api.get("/v1/tasks/" + echoed).at("/output/n")).isEqualTo("7");

    // A planned stop: everything closes in order and the process says it went well.
    second.destroy();
    assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isZero();
    assertThat(second.descendants().filter(ProcessHandle::isAlive)).isEmpty();
  }

  /** Starts the jar and waits for its banner. */
  private Process start(Path data, int apiPort, int brokerPort, int controllerPort, String logName)
      throws IOException {
    Path jar = Path.of(System.getProperty("quench.exec-jar", "target/quench-standalone-exec.jar"));
    assertThat(jar).as("the executable jar, built by the package phase").isRegularFile();
    Path log = dir.resolve(logName);
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(),
        "--quench.broker.controller-port=" + controllerPort, "--quench.worker.concurrency=2",
        "--quench.worker.shutdown-grace=0s")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(Map.of(
        "SERVER_PORT", String.valueOf(apiPort),
        "QUENCH_DATA_DIR", data.toString(),
        "QUENCH_BROKER_PORT", String.valueOf(brokerPort),
        "QUENCH_DEMO_API_KEY", KEY));
    Process process = builder.start();
    started.add(process);
    try {
      await().atMost(START).pollInterval(Duration.ofMillis(200))
          .until(() -> !process.isAlive() || Files.readString(log).contains("quench is running"));
    } catch (ConditionTimeoutException e) {
      // What the jar was doing when time ran out is the only clue a CI failure leaves: the temporary
      // directory with its log is gone once the test ends.
      throw new AssertionError("the jar did not start within %s; its output:%n%s".formatted(START, tail(log)), e);
    }
    assertThat(process.isAlive()).as("the jar is running; its output:%n%s", tail(log)).isTrue();
    return process;
  }

  /** The last lines of a log, and of the broker's own log beside the data, enough to say where a start stopped. */
  private String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    StringBuilder out = new StringBuilder(String.join("\n", lines.subList(Math.max(0, lines.size() - 60),
        lines.size())));
    Path brokerLog = dir.resolve("data/kafka/broker.log");
    if (Files.exists(brokerLog)) {
      List<String> broker = Files.readAllLines(brokerLog);
      out.append("\n--- broker.log (last 40 lines) ---\n")
          .append(String.join("\n", broker.subList(Math.max(0, broker.size() - 40), broker.size())));
    }
    return out.toString();
  }

  private static void killWithChildren(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(30, TimeUnit.SECONDS);
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("a killed process did not go away", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
