package dev.quench.standalone.chaos;

import dev.quench.events.wire.Topics;
import dev.quench.standalone.FreePorts;
import dev.quench.standalone.QuietKafkaLogs;
import dev.quench.standalone.cluster.KafkaCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/**
 * The scaling run: quench on the cluster fault run's three-node KRaft cluster (every topic on three replicas), two
 * projectors, and in turn each {@link Shape} of workers and api instances (by default 1, 2 and 3 workers, each with 1
 * and 2 api instances), on the same cluster and topics, the fleet reshaped between them by clean stops and starts.
 * In each shape, after a warm-up, a closed loop of creates ({@code sleep} tasks of half an hour, so that all but the
 * workers' few slots stay queued), then a closed loop of cancels of the tasks it created, each a {@link ScaleStep}:
 * acknowledged requests a second, their latency, and the CPU milliseconds per request of every process, api
 * instances, workers, projectors and brokers apart. Prints a table and writes it as {@code scaling.md} in the run's
 * directory; docs/capacity.md reads the capacity model off it.
 *
 * <p>Everything shares one machine: more instances bring no more cores, so the rates show what the instances cost
 * one another, and the CPU per request is the figure that carries over to a deployment with cores of its own.
 *
 * <p>Settings: {@code --shapes=1x1,1x2,...} (workers x api instances, in order), {@code --step=15s} (each loop),
 * {@code --warm-up=10s}, {@code --in-flight=32}, {@code --tail=3s} (after a loop, still in its CPU window),
 * {@code --service-jvm-args=...} (the services' JVM flags; the JVM's defaults with a 512 MB heap unless set),
 * {@code --broker-jvm-args=...}; and of {@link ChaosSettings} {@code --partitions} (6), {@code --worker-concurrency}
 * and {@code --dir}.
 */
public final class ScaleRun {

  private static final int NODES = 3;
  private static final long SLEEP_MILLIS = TimeUnit.MINUTES.toMillis(30);
  private static final Duration RESHAPE_TIMEOUT = Duration.ofMinutes(3);

  /** How many workers and api instances run. */
  record Shape(int workers, int apis) {

    Shape {
      if (workers < 1 || apis < 1) {
        throw new IllegalArgumentException("a shape needs a worker and an api instance at least: " + workers + "x"
            + apis);
      }
    }

    /** {@code 2x1}: two workers, one api instance. */
    static Shape parse(String text) {
      String[] parts = text.strip().toLowerCase(Locale.ROOT).split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException("a shape is workers x apis, e.g. 2x1: " + text);
      }
      return new Shape(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
    }

    @Override
    public String toString() {
      return workers + (workers == 1 ? " worker, " : " workers, ") + apis + (apis == 1 ? " api" : " apis");
    }
  }

  /**
   * The scaling run's own settings.
   *
   * @param shapes         the shapes, in the order measured
   * @param step           how long each loop sends
   * @param warmUp         how long each shape is loaded before it is measured
   * @param inFlight       requests in flight at once
   * @param tail           how long after a loop's last answer its CPU is still counted
   * @param serviceJvmArgs the services' JVM flags
   * @param brokerJvmArgs  the brokers' JVM flags
   */
  record ScaleSettings(List<Shape> shapes, Duration step, Duration warmUp, int inFlight, Duration tail,
                       List<String> serviceJvmArgs, List<String> brokerJvmArgs) {

    static final String DEFAULT_SHAPES = "1x1,2x1,3x1,3x2,2x2,1x2";

    static ScaleSettings from(String... args) {
      MutablePropertySources sources = new MutablePropertySources();
      sources.addFirst(new SimpleCommandLinePropertySource(args));
      Binder binder = new Binder(ConfigurationPropertySources.from(sources));
      ScaleSettings settings = new ScaleSettings(
          Arrays.stream(binder.bind("shapes", String.class).orElse(DEFAULT_SHAPES).split(","))
              .filter(s -> !s.isBlank()).map(Shape::parse).toList(),
          binder.bind("step", Duration.class).orElse(Duration.ofSeconds(15)),
          binder.bind("warm-up", Duration.class).orElse(Duration.ofSeconds(10)),
          binder.bind("in-flight", Integer.class).orElse(32),
          binder.bind("tail", Duration.class).orElse(Duration.ofSeconds(3)),
          words(binder.bind("service-jvm-args", String.class).orElse(
              "-Xms128m -Xmx512m -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true")),
          words(binder.bind("broker-jvm-args", String.class).orElse("-Xms256m -Xmx1g")));
      if (settings.shapes.isEmpty() || settings.inFlight < 1 || !positive(settings.step)
          || settings.warmUp.isNegative() || settings.tail.isNegative()) {
        throw new IllegalArgumentException("shapes, in-flight and step must be given and positive, warm-up and "
            + "tail not negative: " + settings);
      }
      return settings;
    }

    private static List<String> words(String text) {
      return Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static boolean positive(Duration d) {
      return !d.isNegative() && !d.isZero();
    }
  }

  /** What one shape measured. */
  record Result(Shape shape, ScaleStep.Figures idle, ScaleStep.Figures creates, ScaleStep.Figures cancels) {
  }

  private ScaleRun() {
  }

  public static void main(String[] args) {
    try {
      run(args, System.out);
    } catch (Exception e) {
      System.err.println("the scaling run failed: " + e.getMessage());
      e.printStackTrace();
      System.exit(2);
    }
    System.exit(0);
  }

  static List<Result> run(String[] args, PrintStream out) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    if (all.stream().noneMatch(a -> a.startsWith("--dir="))) {
      all.add("--dir=" + Path.of(System.getProperty("java.io.tmpdir"), "quench-scale-"
          + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
    }
    String[] merged = all.toArray(String[]::new);
    ChaosSettings settings = ChaosSettings.from(merged);
    ScaleSettings scale = ScaleSettings.from(merged);
    System.setProperty(ServiceProcess.JVM_ARGS_PROPERTY, String.join(" ", scale.serviceJvmArgs()));
    QuietKafkaLogs.apply();
    ChaosRun.createDirectories(settings.dir());
    Timeline timeline = new Timeline(settings.dir().resolve("timeline.log"), out);
    String runId = UUID.randomUUID().toString().substring(0, 8);
    Topics topics = Topics.withPrefix("scale-" + runId + ".");
    String apiKey = "scale-key-" + runId;
    int[] ports = FreePorts.take(2);
    List<String> urls = List.of("http://localhost:" + ports[0], "http://localhost:" + ports[1]);
    timeline.note("scaling run " + runId + ": shapes " + scale.shapes() + ", steps of " + scale.step() + " after "
        + scale.warmUp() + " of warm-up, " + scale.inFlight() + " in flight, " + settings.partitions()
        + " partitions, worker concurrency " + settings.workerConcurrency() + "; services " + scale.serviceJvmArgs()
        + ", brokers " + scale.brokerJvmArgs());

    List<Result> results = new ArrayList<>();
    try (KafkaCluster cluster = KafkaCluster.start(settings.dir().resolve("cluster"), NODES,
        scale.brokerJvmArgs())) {
      TaskApi first = new TaskApi(urls.get(0), apiKey);
      try (Fleet fleet = new Fleet(settings, cluster.bootstrapServers(), topics.prefix(), ports[0], apiKey, first,
          timeline, List.of("--quench.topics.replication-factor=" + NODES))) {
        fleet.start();
        List<ServiceProcess> apis = new ArrayList<>(List.of(fleet.processes().stream()
            .filter(p -> p.role() == ServiceProcess.Role.API).findFirst().orElseThrow()));
        Supplier<Map<String, Long>> pids = () -> pids(fleet, cluster);
        for (Shape shape : scale.shapes()) {
          reshape(fleet, apis, urls, first, shape, cluster, topics, timeline);
          TaskApi load = new TaskApi(urls.get(0), apiKey);
          for (int i = 1; i < shape.apis(); i++) {
            load.addInstance(urls.get(i));
          }
          String tag = shape.workers() + "x" + shape.apis();
          if (!scale.warmUp().isZero()) {
            Queue<String> warm = new ConcurrentLinkedQueue<>();
            ScaleStep.run(creates(load, tag), scale.inFlight(), scale.warmUp(), Duration.ZERO, Map::of,
                "scale-" + runId + "-warm-" + tag, warm);
            ScaleStep.run(cancels(load, warm), scale.inFlight(), scale.warmUp(), Duration.ZERO, Map::of,
                "scale-" + runId + "-warm-cancel-" + tag, new ConcurrentLinkedQueue<>());
          }
          ScaleStep.Figures idle = ScaleStep.idle(scale.step(), pids);
          timeline.note(shape + ": idle " + String.format(Locale.ROOT, "%.2f cores busy", idle.coresBusy()));
          Queue<String> created = new ConcurrentLinkedQueue<>();
          ScaleStep.Figures creates = ScaleStep.run(creates(load, tag), scale.inFlight(), scale.step(),
              scale.tail(), pids, "scale-" + runId + "-create-" + tag, created);
          timeline.note(shape + ": " + line("creates", creates, idle));
          ScaleStep.Figures cancels = ScaleStep.run(cancels(load, new ConcurrentLinkedQueue<>(created)),
              scale.inFlight(), scale.step().multipliedBy(4), scale.tail(), pids,
              "scale-" + runId + "-cancel-" + tag, new ConcurrentLinkedQueue<>());
          timeline.note(shape + ": " + line("cancels", cancels, idle));
          results.add(new Result(shape, idle, creates, cancels));
        }
      }
    }
    String table = table(results, scale, settings);
    out.println();
    out.println(table);
    try {
      Files.writeString(settings.dir().resolve("scaling.md"), table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println("written to " + settings.dir().resolve("scaling.md"));
    return results;
  }

  private static Supplier<ScaleStep.Request> creates(TaskApi api, String tag) {
    return () -> requestId -> api.create(SLEEP_MILLIS, "scale-" + tag, requestId);
  }

  /** Cancels of {@code taskIds}, each once; none left ends the loop early. */
  private static Supplier<ScaleStep.Request> cancels(TaskApi api, Queue<String> taskIds) {
    return () -> {
      String taskId = taskIds.poll();
      return taskId == null ? null : requestId -> api.cancel(taskId, requestId);
    };
  }

  /** Starts and stops workers and api instances until {@code shape} runs, and waits until the workers share out. */
  private static void reshape(Fleet fleet, List<ServiceProcess> apis, List<String> urls, TaskApi first, Shape shape,
                              KafkaCluster cluster, Topics topics, Timeline timeline) throws InterruptedException {
    if (shape.apis() > urls.size()) {
      throw new IllegalArgumentException("at most " + urls.size() + " api instances: " + shape);
    }
    while (fleet.workers().size() < shape.workers()) {
      fleet.addWorker("worker-" + (fleet.workers().size() + 1));
    }
    while (apis.size() < shape.apis()) {
      int n = apis.size() + 1;
      String url = urls.get(n - 1);
      apis.add(fleet.addApi("api-" + n, Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)),
          first.only(url)));
    }
    List<ServiceProcess> workers = fleet.workers();
    for (int i = 0; i < workers.size(); i++) {
      wanted(workers.get(i), i < shape.workers(), timeline);
    }
    for (int i = 0; i < apis.size(); i++) {
      wanted(apis.get(i), i < shape.apis(), timeline);
    }
    String group = topics.prefix() + "quench-worker";
    long deadline = System.nanoTime() + RESHAPE_TIMEOUT.toNanos();
    while (cluster.groupOwners(group).size() != shape.workers()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the workers did not share the partitions out as " + shape + " within "
            + RESHAPE_TIMEOUT + ": owners " + cluster.groupOwners(group));
      }
      TimeUnit.MILLISECONDS.sleep(500);
    }
    timeline.note("shape " + shape + ": partition owners " + cluster.groupOwners(group));
  }

  private static void wanted(ServiceProcess process, boolean running, Timeline timeline) throws InterruptedException {
    if (running && !process.isAlive()) {
      process.start();
      process.awaitReady(Fleet.START_TIMEOUT);
      timeline.note(process.id() + " ready (pid " + process.pid() + ")");
    } else if (!running && process.isAlive()) {
      long pid = process.stop(Duration.ofSeconds(60));
      timeline.note(process.id() + " stopped (pid " + pid + ")");
    }
  }

  /** Every running process of the deployment by id: the fleet's and the brokers ({@code broker-<node id>}). */
  private static Map<String, Long> pids(Fleet fleet, KafkaCluster cluster) {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (ServiceProcess process : fleet.processes()) {
      if (process.isAlive()) {
        pids.put(process.id(), process.pid());
      }
    }
    for (int id : cluster.nodeIds()) {
      if (cluster.isRunning(id)) {
        pids.put("broker-" + id, cluster.pid(id));
      }
    }
    return pids;
  }

  private static String line(String what, ScaleStep.Figures f, ScaleStep.Figures idle) {
    return String.format(Locale.ROOT, "%s %d acknowledged (%d not), %.0f/s, p50 %s / p99 %s ms, CPU ms per request "
            + "%.2f (api %.2f, workers %.2f, projectors %.2f, brokers %.2f), beyond idle %.2f (api %.2f, workers "
            + "%.2f, projectors %.2f, brokers %.2f), %.2f cores busy", what, f.acknowledged(), f.refused(),
        f.perSecond(), ms(f.p50()), ms(f.p99()), f.perRequest(), f.perRequest("api"), f.perRequest("worker"),
        f.perRequest("projector"), f.perRequest("broker"), f.marginal("", idle), f.marginal("api", idle),
        f.marginal("worker", idle), f.marginal("projector", idle), f.marginal("broker", idle), f.coresBusy());
  }

  static String table(List<Result> results, ScaleSettings scale, ChaosSettings settings) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "Scaling run on %d cores (%s), %d brokers, %d partitions, worker concurrency "
            + "%d, %d requests in flight, steps of %s after %s of warm-up, CPU counted until %s after the last "
            + "answer; services %s, brokers %s.%n%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.arch"), NODES, settings.partitions(), settings.workerConcurrency(), scale.inFlight(),
        scale.step(), scale.warmUp(), scale.tail(), String.join(" ", scale.serviceJvmArgs()),
        String.join(" ", scale.brokerJvmArgs())));
    md.append("CPU ms per request: all of every process's CPU over the step's window, divided by the acknowledged "
        + "requests; beyond idle: less what each process spent in the same time with no requests (measured just "
        + "before, as long as a step), the part that grows with the load.\n\n");
    for (String kind : List.of("creates", "cancels")) {
      md.append("| workers | apis | ").append(kind).append("/s | p50 ms | p99 ms | CPU ms per request: all | beyond "
          + "idle: all | api | workers | projectors | brokers | cores busy (idle) |\n");
      md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Result r : results) {
        ScaleStep.Figures f = kind.equals("creates") ? r.creates() : r.cancels();
        md.append(String.format(Locale.ROOT,
            "| %d | %d | %.0f | %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f (%.2f) |%n",
            r.shape().workers(), r.shape().apis(), f.perSecond(), ms(f.p50()), ms(f.p99()), f.perRequest(),
            f.marginal("", r.idle()), f.marginal("api", r.idle()), f.marginal("worker", r.idle()),
            f.marginal("projector", r.idle()), f.marginal("broker", r.idle()), f.coresBusy(), r.idle().coresBusy()));
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static String ms(Double millis) {
    return millis == null ? "-" : String.format(Locale.ROOT, "%.1f", millis);
  }
}
