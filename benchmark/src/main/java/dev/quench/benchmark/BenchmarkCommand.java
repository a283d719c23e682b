package dev.quench.benchmark;

import dev.quench.benchmark.baseline.KafkaRelayBenchmark;
import dev.quench.benchmark.cancel.BulkCancelBenchmark;
import dev.quench.benchmark.cancel.CancelPipelineBenchmark;
import dev.quench.benchmark.cancel.RunningBatchBenchmark;
import dev.quench.benchmark.cancel.SlotHog;
import dev.quench.benchmark.ceiling.HttpCeilingBenchmark;
import dev.quench.benchmark.cpu.CpuMeter;
import dev.quench.benchmark.cpu.CpuUsage;
import dev.quench.benchmark.cpu.ThreadRoles;
import dev.quench.benchmark.creates.CreateBenchmark;
import dev.quench.benchmark.creates.TaskCreator;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.memory.DiskReplicaBenchmark;
import dev.quench.benchmark.memory.ReplicaMemoryBenchmark;
import dev.quench.benchmark.notify.NotifyBenchmark;
import dev.quench.benchmark.reads.ReadCeilingBenchmark;
import dev.quench.benchmark.rebuild.RebuildBenchmark;
import dev.quench.benchmark.report.BulkTargets;
import dev.quench.benchmark.report.Machine;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.ResultWriter;
import dev.quench.benchmark.report.Targets;
import dev.quench.benchmark.setup.DataDir;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.benchmark.setup.StandaloneUnderTest;
import dev.quench.benchmark.stop.RunningStopBenchmark;
import dev.quench.events.wire.Topics;
import dev.quench.standalone.QuietKafkaLogs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Runs the benchmark: starts quench's standalone setup on a fresh data directory (timing its start-up), runs the
 * selected sections against it and its broker, one after the other, and prints one table, also written as JSON and
 * Markdown. A section that fails is reported as failed and the run goes on; the exit status is then 1.
 *
 * <pre>./mvnw -q -pl benchmark -am -DskipTests -Pbenchmark verify -Dspring-boot.run.arguments="--quick"</pre>
 */
public final class BenchmarkCommand {

  private static final Logger log = LoggerFactory.getLogger(BenchmarkCommand.class);
  private static final int READ_SAMPLE = 100_000;

  private final BenchmarkSettings settings;
  private final ResultTable table = new ResultTable();
  private final Map<Section, Duration> sectionTimes = new EnumMap<>(Section.class);
  private boolean failed;

  private BenchmarkCommand(BenchmarkSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) {
    QuietKafkaLogs.apply();
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
    if (environment.containsProperty("help")) {
      System.out.println(BenchmarkSettings.OPTIONS);
      return;
    }
    BenchmarkSettings settings = BenchmarkSettings.from(environment, args);
    System.exit(new BenchmarkCommand(settings).run());
  }

  private int run() {
    Machine machine = Machine.current();
    Instant started = Instant.now();
    long startedNanos = System.nanoTime();
    log.info("benchmark on {}: {}", machine.summary(), settings.describe());
    StandaloneUnderTest quench = null;
    try {
      DataDir.recreate(settings.dataDir());
      quench = StandaloneUnderTest.start(settings.dataDir(), settings.partitions(), settings.workerSlots(),
          settings.standaloneArgs());
      if (settings.runs(Section.STARTUP)) {
        table.add("startup", "QuenchStandalone.main on a fresh data dir -> first POST /v1/tasks 2xx",
            seconds(quench.firstAccepted()), "main returned after " + seconds(quench.mainReturned())
                + " (broker child JVM, projector, worker, api); the benchmark JVM's own start not counted");
        table.detail("startup", "first_accepted_ms", quench.firstAccepted().toMillis());
        table.detail("startup", "main_returned_ms", quench.mainReturned().toMillis());
      }
      sections(quench);
    } catch (Exception e) {
      log.error("the run failed", e);
      table.add("run", "FAILED", e.toString(), "");
      failed = true;
    }
    Targets.addTo(table);
    BulkTargets.addTo(table);
    Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
    ResultWriter writer = new ResultWriter(started, took, machine, settings.describe(), table);
    System.out.println();
    System.out.print(writer.console());
    for (Path path : writer.write(settings.resultsDir(), settings.copyTo())) {
      System.out.println("written: " + path);
    }
    if (quench != null && !failed && !settings.keepData()) {
      quench.deleteOnExit(settings.dataDir());
    } else {
      System.out.println("broker data kept in " + settings.dataDir());
    }
    return failed ? 1 : 0;
  }

  private void sections(StandaloneUnderTest quench) throws Exception {
    Topics topics = Topics.defaults();
    try (Kafka kafka = new Kafka(quench.bootstrapServers())) {
      TaskCreator creator = new TaskCreator(quench.api());
      Deque<String> queued = new ArrayDeque<>();
      List<String> created = new ArrayList<>();
      SlotHog hog = new SlotHog(quench.api());
      // The services run in this JVM: their threads, by name, tell their CPU apart from the client's.
      CpuMeter cpu = new CpuMeter(ThreadRoles.of(quench.api().port()));
      CancelPipelineBenchmark pipeline = new CancelPipelineBenchmark(settings, quench.api(), creator, kafka, topics,
          table, queued, cpu);
      if (settings.runs(Section.CREATES) || settings.runs(Section.CANCEL) || settings.runs(Section.BURST)
          || settings.runs(Section.BULK) || settings.runs(Section.READS)) {
        // From here on every slot is taken: new tasks stay queued.
        hog.occupy(settings.workerSlots());
        warmUp(quench.api(), creator, pipeline, queued);
      }
      section(Section.CREATES, () -> {
        List<String> ids = new CreateBenchmark(settings, creator, table, cpu, kafka, topics).run();
        created.addAll(ids);
        queued.addAll(ids);
      });
      section(Section.CANCEL, pipeline::run);
      section(Section.BURST, pipeline::burst);
      // Right after the burst, behind the same hog: the two compare side by side.
      section(Section.BULK, () -> new BulkCancelBenchmark(settings, quench.api(), creator, kafka, topics, table, cpu,
          queued).run());
      section(Section.READS, () -> {
        List<String> ids = new ArrayList<>(created);
        ids.addAll(queued);
        if (ids.isEmpty()) {
          ids.addAll(creator.create(1000, Duration.ofMinutes(5), "sleep", TaskCreator.LONG_SLEEP,
              settings.createsInFlight()).ids());
        }
        new ReadCeilingBenchmark(settings, quench.api(), table, new ReadCeilingBenchmark.CpuCost(cpu,
            CpuUsage.Counted.SERVICES, "read")).run(ids.subList(0, Math.min(READ_SAMPLE, ids.size())));
      });
      section(Section.HTTP_CEILING, () -> {
        List<String> ids = new ArrayList<>(created);
        ids.addAll(queued);
        new HttpCeilingBenchmark(settings, quench.api(), creator, quench.bootstrapServers(), table).run(ids);
      });
      boolean runningBatch = settings.runs(Section.BULK) && settings.bulkRunning() > 0;
      if (settings.runs(Section.STOP) || runningBatch || settings.runs(Section.NOTIFY)) {
        // What is still queued would take the slots the hog frees.
        pipeline.cancelQueued();
      }
      hog.release();
      if (runningBatch) {
        // The bulk section's last part: its batch over running tasks needs the slots the hog held.
        section(Section.BULK, () -> new RunningBatchBenchmark(settings, quench.api(), kafka, topics, table).run());
      }
      // After the cancel sections, on an api whose cancel path is warm, as a service in production is.
      section(Section.STOP, () -> new RunningStopBenchmark(settings, quench.api(), table, kafka, topics).run());
      // With every slot free again: it holds them itself while it needs tasks to stay queued.
      section(Section.NOTIFY, () -> new NotifyBenchmark(settings, quench.api(), creator, kafka, topics, table, cpu)
          .run());
      section(Section.BASELINE, () -> {
        TreeSet<Integer> rates = new TreeSet<>(settings.baselineRates());
        if (rates.isEmpty()) {
          rates.add(1000);
          rates.addAll(pipeline.ranRates());
        }
        new KafkaRelayBenchmark(settings, kafka, table).run(List.copyOf(rates), pipeline.measuredSizes());
      });
      section(Section.REBUILD, () -> new RebuildBenchmark(settings, kafka, table).run());
      section(Section.MEMORY, () -> new ReplicaMemoryBenchmark(settings, kafka, table).run());
      section(Section.DISK, () -> new DiskReplicaBenchmark(settings, kafka, table).run());
    }
  }

  /**
   * Unrecorded: creates, cancels and reads {@code settings.warmupTasks()} tasks, so that the JIT has compiled the
   * paths the sections time (a service in production is warm) and no section pays for the first ones.
   */
  private void warmUp(ApiClient api, TaskCreator creator, CancelPipelineBenchmark pipeline, Deque<String> queued)
      throws InterruptedException {
    if (settings.warmupTasks() <= 0) {
      return;
    }
    long started = System.nanoTime();
    List<String> ids = creator.create(settings.warmupTasks(), Duration.ofMinutes(5), "sleep", TaskCreator.LONG_SLEEP,
        settings.createsInFlight()).ids();
    Semaphore reading = new Semaphore(settings.readsConnections());
    for (String id : ids) {
      reading.acquire();
      api.sendAsync(api.get(id)).whenComplete((response, error) -> reading.release());
    }
    reading.acquire(settings.readsConnections());
    queued.addAll(ids);
    pipeline.cancelQueued();
    log.info("warmed up on {} tasks in {} s", ids.size(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  /** What a section does; it may throw anything: the run goes on with the next one. */
  private interface Body {
    void run() throws Exception;
  }

  private void section(Section section, Body body) {
    if (!settings.runs(section)) {
      return;
    }
    log.info("section {}: {}", section.id(), section.description());
    long started = System.nanoTime();
    try {
      body.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      log.error("section {} failed", section.id(), e);
      table.add(section.id(), "FAILED", e.toString(), "see the log above");
      failed = true;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    // A section may run in parts (bulk's batch over running tasks comes once the long sleeps are gone): their sum.
    table.detail(section.id(), "section_seconds", sectionTimes.merge(section, took, Duration::plus).toSeconds());
    log.info("section {} took {} s", section.id(), took.toSeconds());
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
