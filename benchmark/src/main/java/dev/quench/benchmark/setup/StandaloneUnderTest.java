package dev.quench.benchmark.setup;

import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.stop.StopProbeConfiguration;
import dev.quench.standalone.QuenchStandalone;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system under test: quench's embedded default, started the way its README starts it ({@link QuenchStandalone}'s
 * main), on a fresh data directory and free ports, with callbacks allowed to plain-http receivers on 127.0.0.0/8 (as
 * the README's local receiver is), and one benchmark addition passed as an ordinary property: the stop probe's
 * handler as an extra Spring source ({@code spring.main.sources}) that only the worker's context activates. The
 * worker announces its capability with the built-ins', so the api takes its tasks.
 *
 * <p>The launcher stops itself on JVM exit (its own shutdown hook): the broker and the three services live as long
 * as this JVM.
 */
public final class StandaloneUnderTest {

  private static final Logger log = LoggerFactory.getLogger(StandaloneUnderTest.class);
  private static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String bootstrapServers;
  private final ApiClient api;
  private final Duration mainReturned;
  private final Duration firstAccepted;

  private StandaloneUnderTest(String bootstrapServers, ApiClient api, Duration mainReturned,
                              Duration firstAccepted) {
    this.bootstrapServers = bootstrapServers;
    this.api = api;
    this.mainReturned = mainReturned;
    this.firstAccepted = firstAccepted;
  }

  /**
   * Starts quench on {@code dataDir} (which must be empty) and times it: until {@code main} returns, and until the
   * first {@code POST /v1/tasks} is accepted.
   */
  public static StandaloneUnderTest start(Path dataDir, int partitions, int workerConcurrency,
                                         List<String> passThrough) throws InterruptedException {
    FreePorts ports = new FreePorts();
    int brokerPort = ports.next();
    int controllerPort = ports.next();
    int httpPort = ports.next();
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String apiKey = "qk_bench_" + HexFormat.of().formatHex(random);
    ApiClient api = new ApiClient("http://localhost:" + httpPort, apiKey);
    HttpRequest first = api.create("echo", "{\"hello\":\"benchmark\"}");
    List<String> args = new ArrayList<>(passThrough);
    args.addAll(List.of(
        "--quench.data-dir=" + dataDir,
        "--quench.broker.port=" + brokerPort,
        "--quench.broker.controller-port=" + controllerPort,
        "--quench.demo-api-key=" + apiKey,
        "--server.port=" + httpPort,
        "--quench.topics.partitions=" + partitions,
        "--quench.worker.concurrency=" + workerConcurrency,
        // The notify section's receiver listens on loopback in this JVM, over plain http: the launcher's
        // QUENCH_CALLBACK_ALLOW_HTTP and QUENCH_CALLBACK_ALLOWED_NETWORKS, as its README runs a local receiver.
        "--quench.callback-allow-http=true",
        "--quench.callback-allowed-networks=127.0.0.0/8",
        "--spring.main.sources=" + StopProbeConfiguration.class.getName()));

    long started = System.nanoTime();
    QuenchStandalone.main(args.toArray(String[]::new));
    Duration mainReturned = Duration.ofNanos(System.nanoTime() - started);
    long deadline = started + FIRST_REQUEST_TIMEOUT.toNanos();
    while (true) {
      try {
        HttpResponse<String> response = api.send(first);
        if (response.statusCode() / 100 == 2) {
          break;
        }
        log.info("first create answered {}: {}", response.statusCode(), response.body());
      } catch (IOException e) {
        log.info("first create failed: {}", e.toString());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("quench did not accept a request within " + FIRST_REQUEST_TIMEOUT);
      }
      Thread.sleep(20);
    }
    Duration firstAccepted = Duration.ofNanos(System.nanoTime() - started);
    return new StandaloneUnderTest("localhost:" + brokerPort, api, mainReturned, firstAccepted);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public ApiClient api() {
    return api;
  }

  /** From calling {@code QuenchStandalone.main} until it returned (broker up, services started). */
  public Duration mainReturned() {
    return mainReturned;
  }

  /** From calling {@code QuenchStandalone.main} until the first 2xx of {@code POST /v1/tasks}. */
  public Duration firstAccepted() {
    return firstAccepted;
  }

  /**
   * Deletes {@code dataDir} when this JVM exits, once the launcher's own shutdown hook has stopped the broker: shutdown
   * hooks run concurrently, so this one waits for the broker, a child process of this JVM, to be gone.
   */
  public void deleteOnExit(Path dataDir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
          child.onExit().get(60, TimeUnit.SECONDS);
        }
        DataDir.delete(dataDir);
      } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
        System.err.println("could not delete the benchmark data in " + dataDir + ": " + e);
      }
    }, "bench-delete-data"));
  }
}
