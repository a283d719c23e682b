package dev.quench.standalone.chaos;

import dev.quench.standalone.chaos.ServiceProcess.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The api, two workers and two projectors, each an OS process of its own, on one broker and one topic prefix; more
 * of either may join later ({@link #addApi}, {@link #addWorker(String)}). Ids
 * stay the same across restarts: a worker's id names its transactional producer, so its next life fences and
 * aborts what the killed one left open.
 */
final class Fleet implements AutoCloseable {

  /** How long one process may take to start; generous, because six JVMs share two cores. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  // Copied on write: a soak's sampler reads it while a scale-out adds to it.
  private final List<ServiceProcess> processes = new CopyOnWriteArrayList<>();
  private final List<String> unexpectedExits = new ArrayList<>();
  private final Timeline timeline;
  private final ChaosSettings settings;
  private final String topicPrefix;
  private final String bootstrapServers;
  private final String apiKey;
  private final List<String> moreArguments;

  /**
   * @param apiPort the api's port, the same in every life, so clients reconnect to it
   * @param api     a client of the api at that port: its health says when the api is ready
   */
  Fleet(ChaosSettings settings, String bootstrapServers, String topicPrefix, int apiPort, String apiKey,
        TaskApi api, Timeline timeline) {
    this(settings, bootstrapServers, topicPrefix, apiPort, apiKey, api, timeline, List.of());
  }

  /** @param moreArguments given to every process after the common ones, e.g. the topics' replication factor */
  Fleet(ChaosSettings settings, String bootstrapServers, String topicPrefix, int apiPort, String apiKey,
        TaskApi api, Timeline timeline, List<String> moreArguments) {
    this.timeline = timeline;
    this.settings = settings;
    this.topicPrefix = topicPrefix;
    this.bootstrapServers = bootstrapServers;
    this.apiKey = apiKey;
    this.moreArguments = List.copyOf(moreArguments);
    List<String> common = common(bootstrapServers);
    Path logs = logs();
    for (int i = 1; i <= 2; i++) {
      processes.add(new ServiceProcess("projector-" + i, Role.PROJECTOR, with(common,
          "--quench.projector.id=projector-" + i,
          // On this class path every service would find Tomcat: only the api serves HTTP.
          "--spring.main.web-application-type=none"), logs.resolve("projector-" + i + ".log"), null));
    }
    for (int i = 1; i <= 2; i++) {
      processes.add(worker("worker-" + i, bootstrapServers, command -> command));
    }
    processes.add(api("api-1", apiPort, api));
  }

  /**
   * Adds, after {@link #start()}, one more api instance on {@code port}, with the same key and topics; the caller
   * starts it and waits for {@code api}, a client of that instance alone, to find it healthy.
   */
  ServiceProcess addApi(String id, int port, TaskApi api) {
    ServiceProcess instance = api(id, port, api);
    processes.add(instance);
    return instance;
  }

  /**
   * Adds, after {@link #start()}, one more worker on the fleet's brokers; the caller starts it and waits until it
   * is ready.
   */
  ServiceProcess addWorker(String id) {
    ServiceProcess worker = worker(id, bootstrapServers, command -> command);
    processes.add(worker);
    return worker;
  }

  private ServiceProcess api(String id, int port, TaskApi api) {
    return new ServiceProcess(id, Role.API, with(common(bootstrapServers),
        "--quench.api.id=" + id,
        "--quench.api.demo-key=" + apiKey,
        "--server.port=" + port), logs().resolve(id + ".log"), api::healthy);
  }

  /**
   * Adds, before {@link #start()}, a worker that reaches the brokers at {@code bootstrapServers} and runs by
   * {@code launch} (its java command line, wrapped: inside a network namespace, say).
   */
  ServiceProcess addWorker(String id, String bootstrapServers, UnaryOperator<List<String>> launch) {
    ServiceProcess worker = worker(id, bootstrapServers, launch);
    // Before the api, which the fleet starts last.
    processes.add(processes.size() - 1, worker);
    return worker;
  }

  private ServiceProcess worker(String id, String bootstrapServers, UnaryOperator<List<String>> launch) {
    return new ServiceProcess(id, Role.WORKER, with(common(bootstrapServers),
        "--quench.worker.id=" + id,
        "--quench.worker.concurrency=" + settings.workerConcurrency(),
        "--spring.main.web-application-type=none"), logs().resolve(id + ".log"), null, launch);
  }

  private List<String> common(String bootstrapServers) {
    List<String> common = new ArrayList<>(List.of(
        "--spring.kafka.bootstrap-servers=" + bootstrapServers,
        "--quench.topics.prefix=" + topicPrefix,
        "--quench.topics.partitions=" + settings.partitions(),
        "--spring.main.banner-mode=off",
        // The services' own lines matter here; Kafka clients print their whole configuration at INFO.
        "--logging.level.org.apache.kafka=WARN"));
    common.addAll(moreArguments);
    return common;
  }

  private Path logs() {
    return settings.dir().resolve("logs");
  }

  /**
   * Starts every process and waits until each is ready. One projector goes first and alone: it declares the
   * topics, which the others then find rather than race to create.
   */
  void start() throws InterruptedException {
    ServiceProcess first = processes.get(0);
    first.start();
    first.awaitReady(START_TIMEOUT);
    timeline.note(first.id() + " ready (pid " + first.pid() + ")");
    List<ServiceProcess> rest = processes.subList(1, processes.size());
    rest.forEach(ServiceProcess::start);
    for (ServiceProcess process : rest) {
      process.awaitReady(START_TIMEOUT);
      timeline.note(process.id() + " ready (pid " + process.pid() + ")");
    }
  }

  List<ServiceProcess> processes() {
    return List.copyOf(processes);
  }

  List<ServiceProcess> workers() {
    return processes.stream().filter(p -> p.role() == Role.WORKER).toList();
  }

  /** Starts again, and records, every process that ended without being killed by the run. */
  void restartExited() throws InterruptedException {
    for (ServiceProcess process : processes) {
      if (process.exitedByItself()) {
        String exit = process.id() + " (pid " + process.pid() + ") exited by itself with code "
            + process.exitValue() + " at " + String.format("%.1f s", timeline.elapsedSeconds());
        unexpectedExits.add(exit);
        timeline.note("UNEXPECTED EXIT: " + exit + "; starting it again");
        process.start();
        process.awaitReady(START_TIMEOUT);
        timeline.note(process.id() + " ready (pid " + process.pid() + ")");
      }
    }
  }

  List<String> unexpectedExits() {
    return List.copyOf(unexpectedExits);
  }

  /** Kills every process: the run is over, and nothing they would do on a graceful stop is checked any more. */
  @Override
  public void close() {
    for (ServiceProcess process : processes) {
      if (process.isAlive()) {
        try {
          process.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static List<String> with(List<String> common, String... more) {
    List<String> all = new ArrayList<>(common);
    all.addAll(List.of(more));
    return all;
  }
}
