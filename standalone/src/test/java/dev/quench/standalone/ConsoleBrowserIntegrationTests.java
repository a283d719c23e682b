package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quench.events.testing.ApiClient.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator console at {@code /console}, end to end in a real browser: Debian's headless Chromium, driven by
 * {@code playwright-core} from node ({@code src/test/browser/console.mjs}), against the api, worker and projector of
 * the shared pipeline, so the tasks the page shows really run and really get cancelled. The script fails at the first
 * step whose page condition does not come; what the page did is then checked again through the api.
 *
 * <p>Skipped, saying why, only where Chromium ({@code apt-get install chromium}; {@code .ci/run} installs it) or
 * node 20 or later is not installed. The test installs {@code playwright-core} itself ({@code npm ci}, from the
 * committed lock file) when {@code node_modules} does not hold the locked version. Screenshots of the main views go
 * to {@code target/console-screenshots}, or to {@code -Dquench.console.screenshots=<dir>} (the README's are refreshed
 * with {@code docs/console}).
 */
@Order(3)
class ConsoleBrowserIntegrationTests {

  private static final Path SCRIPTS = Path.of("src", "test", "browser").toAbsolutePath();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(4);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Pipeline pipeline = Pipeline.shared();

  @Test
  void anOperatorWatchesATaskCancelsItWithAReasonAndCancelsABatchByFilter() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
        + " (apt-get install chromium; .ci/run installs it): the console's browser test cannot run here");
    Optional<Integer> node = nodeMajorVersion();
    assumeTrue(node.isPresent(), "node is not installed: the console's browser test cannot run here");
    assumeTrue(node.get() >= 20, "node " + node.get() + " is too old for playwright-core (20 or later)");
    installPlaywright();
    everySlotFree();

    Path screenshots = Path.of(System.getProperty("quench.console.screenshots", "target/console-screenshots"))
        .toAbsolutePath();
    Path output = Files.createTempFile("quench-console-browser", ".log");
    ProcessBuilder script = new ProcessBuilder("node", "console.mjs").directory(SCRIPTS.toFile())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    script.environment().putAll(Map.of(
        "QUENCH_BASE_URL", "http://localhost:" + pipeline.services.apiPort(),
        "QUENCH_API_KEY", Pipeline.API_KEY,
        "QUENCH_CHROMIUM", CHROMIUM.toString(),
        "QUENCH_SCREENSHOTS", screenshots.toString(),
        // Each step's page condition, on a machine as busy as a full build makes it.
        "QUENCH_STEP_TIMEOUT_MS", "45000"));
    Process process = script.start();
    boolean ended = process.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!ended) {
      // The browser is the script's child: nothing of either may outlive the test.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String log = Files.readString(output, StandardCharsets.UTF_8);
    Files.delete(output);
    System.out.println(log);
    assertThat(ended).as("the browser script ended within %s:%n%s", SCRIPT_TIMEOUT, log).isTrue();
    assertThat(process.exitValue()).as("the browser script said:%n%s", log).isZero();

    JsonNode result = JSON.readTree(log.lines().filter(line -> line.startsWith("RESULT "))
        .reduce((first, last) -> last).orElseThrow().substring("RESULT ".length()));

    // What the operator did in the page is in the log, as any client of the api reads it.
    String taskId = result.get("taskId").asString();
    assertThat(pipeline.get(taskId).at("/status")).isEqualTo("cancelled");
    JsonNode request = pipeline.api.get("/v1/tasks/" + taskId + "/cancellations").json().at("/requests/0");
    assertThat(request.get("reason").asString()).isEqualTo(result.get("reason").asString());
    assertThat(request.get("requested_by").asString()).isEqualTo("demo");
    assertThat(request.get("found_status").asString()).isEqualTo("running");
    assertThat(request.get("outcome").asString()).isEqualTo("cancelled");

    Response batch = pipeline.api.get("/v1/cancellation_batches/" + result.get("batchId").asString());
    List<String> targets = StreamSupport.stream(result.get("targets").spliterator(), false)
        .map(JsonNode::asString).toList();
    assertThat(batch.at("/status")).isEqualTo("completed");
    assertThat(batch.json().get("matched").asInt()).isEqualTo(targets.size());
    assertThat(batch.at("/reason")).isEqualTo("Campaign withdrawn");
    assertThat(batch.at("/filter/metadata/campaign")).isEqualTo(result.get("campaign").asString());
    assertThat(batch.json().at("/counts/cancelled_queued").asInt() + batch.json().at("/counts/cancelled_running")
        .asInt()).isEqualTo(targets.size());
    targets.forEach(target -> assertThat(pipeline.get(target).at("/status")).isEqualTo("cancelled"));
    for (String view : List.of("sign-in", "task-list", "timeline", "bulk-dry-run", "batch", "batches")) {
      assertThat(screenshots.resolve(view + ".png")).isNotEmptyFile();
    }
  }

  /**
   * Earlier tests may have left tasks running: the page's new task is to start at once, so whatever still holds a
   * worker slot is cancelled first (by a batch, as an operator would).
   */
  private void everySlotFree() {
    Response live = pipeline.api.get("/v1/tasks?status=queued,running&limit=1");
    if (!live.json().get("data").isEmpty()) {
      Response batch = pipeline.api.post("/v1/cancellation_batches",
          "{\"filter\":{\"status\":[\"queued\",\"running\"]},\"reason\":\"free the slots for the console test\"}");
      assertThat(batch.status()).as(batch.body()).isEqualTo(202);
    }
    await().atMost(60, SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> pipeline.api
        .get("/v1/tasks?status=queued,running&limit=1").json().get("data").isEmpty());
  }

  /** {@code npm ci} from the committed lock file, unless {@code node_modules} holds its playwright-core already. */
  private static void installPlaywright() throws IOException, InterruptedException {
    String locked = JSON.readTree(SCRIPTS.resolve("package-lock.json").toFile())
        .at("/packages/node_modules~1playwright-core/version").asString();
    Path installed = SCRIPTS.resolve("node_modules/playwright-core/package.json");
    if (Files.exists(installed) && locked.equals(JSON.readTree(installed.toFile()).get("version").asString())) {
      return;
    }
    Process npm;
    try {
      npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(SCRIPTS.toFile())
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "npm is not installed beside node: the console's browser test cannot run here");
      return;
    }
    String said = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci ended").isTrue();
    assertThat(npm.exitValue()).as("npm ci in %s said:%n%s", SCRIPTS, said).isZero();
  }

  private static Optional<Integer> nodeMajorVersion() throws InterruptedException {
    try {
      Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0 || !version.matches("v\\d+\\..*")) {
        return Optional.empty();
      }
      return Optional.of(Integer.parseInt(version.substring(1, version.indexOf('.'))));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
