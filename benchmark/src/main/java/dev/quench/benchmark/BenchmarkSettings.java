package dev.quench.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Everything a run can be told, as {@code --name=value} arguments (or environment variables, Spring-style). Sizes
 * default to a full run; {@code --quick} shrinks every default to a smoke run of a minute or two, and any option
 * given explicitly still wins.
 *
 * @param quick              small sizes for a smoke run
 * @param sections           what to run (start-up always happens: every other section needs the standalone)
 * @param dataDir            the broker's data for this run: emptied first, removed after a successful run
 * @param keepData           keep {@code dataDir} after the run, for a look at the broker's log and topics
 * @param resultsDir         where benchmark-results.json and .md go
 * @param copyTo             a second directory for a dated copy of the results, or null for none
 * @param partitions         partitions of quench's topics and of the benchmark's own
 * @param workerConcurrency  the worker's slots (more if the bulk section's running batch needs them,
 *                           {@link #workerSlots()}): running tasks per round of the stop section, long sleeps that keep
 *                           the cancel section's tasks queued
 * @param stopTasks          running tasks cancelled in the stop section
 * @param stopRate           cancels per second within a round of the stop section (open loop)
 * @param createsDuration    how long the creates section creates
 * @param createsInFlight    concurrent creates in the creates section and when queueing tasks for the cancel steps
 * @param cancelRates        the cancel rates to step through, per second, lowest first; the ladder stops at the first
 *                           rate that fails; if the first fails, halves down to {@code minRate}
 * @param minRate            the lowest rate tried when even the first one fails
 * @param stepDuration       how long each cancel rate is held
 * @param warmupTasks        tasks created, read and cancelled, unrecorded, before the first HTTP section
 * @param warmup             an unrecorded cancel step at the first rate, and the unrecorded start of the reads
 * @param p99Target          a rate is sustained if every cancel was acknowledged and p99 to the view stays under this
 * @param drainTimeout       how long after a step's last send to wait for its views
 * @param burstTasks         queued tasks cancelled in the burst section
 * @param burstInFlight      the burst's requests in flight at once
 * @param burstTarget        the burst passes if every cancel is shown within this of the first request
 * @param bulkTasks          queued tasks cancelled by the bulk section's one filter batch
 * @param bulkLargeTasks     queued tasks written straight to the requests topic, then cancelled by one filter batch
 *                           (0 skips it)
 * @param bulkRunning        running probe tasks cancelled by one batch of their ids (0 skips it); the worker gets at
 *                           least this many slots (see {@link #workerSlots()})
 * @param notifyRate         terminal tasks per second in the notify section's callback step (one paced batch)
 * @param notifyDuration     how long that step ends tasks at that rate
 * @param notifyStreams      event streams the notify section keeps open while it times others
 * @param notifyStreamCancels streams, on tasks of their own, whose task it cancels and times
 * @param notifyWaitTasks    running sleeps it cancels with {@code Prefer: wait}
 * @param readsDuration      how long the reads section reads (after its warm-up)
 * @param readsConnections   concurrent GETs in the reads section
 * @param baselineRates      the raw relay's fixed rates; empty for 1,000/s plus every rate the cancel section ran
 * @param baselineDuration   how long each baseline rate is held
 * @param baselineMaxRecords records pushed as fast as possible for the relay's maximum throughput
 * @param rebuildEvents      synthetic log events the rebuild folds
 * @param memoryTasks        task views the api replica holds in the memory section
 * @param diskTasks          task views the RocksDB replica holds in the disk section
 * @param diskCache          the RocksDB replica's block cache in the disk section, as {@code quench.api.replica-cache}
 * @param standaloneArgs     arguments handed on to the standalone's services, to measure a tuning: every
 *                           {@code --spring.kafka.*}, {@code --logging.level.*}, {@code --quench.worker.*},
 *                           {@code --quench.projector.*}, {@code --quench.api.*} and {@code --quench.callbacks.*}
 *                           argument, except those the benchmark sets itself (worker concurrency, the demo key, the
 *                           callbacks' address rules)
 */
public record BenchmarkSettings(
    boolean quick,
    Set<Section> sections,
    Path dataDir,
    boolean keepData,
    Path resultsDir,
    Path copyTo,
    int partitions,
    int workerConcurrency,
    int stopTasks,
    int stopRate,
    Duration createsDuration,
    int createsInFlight,
    List<Integer> cancelRates,
    int minRate,
    Duration stepDuration,
    int warmupTasks,
    Duration warmup,
    Duration p99Target,
    Duration drainTimeout,
    int burstTasks,
    int burstInFlight,
    Duration burstTarget,
    int bulkTasks,
    int bulkLargeTasks,
    int bulkRunning,
    int notifyRate,
    Duration notifyDuration,
    int notifyStreams,
    int notifyStreamCancels,
    int notifyWaitTasks,
    Duration readsDuration,
    int readsConnections,
    List<Integer> baselineRates,
    Duration baselineDuration,
    int baselineMaxRecords,
    int rebuildEvents,
    int memoryTasks,
    int diskTasks,
    String diskCache,
    List<String> standaloneArgs) {

  private static final List<String> PASSED_ON = List.of("--spring.kafka.", "--logging.level.", "--quench.worker.",
      "--quench.projector.", "--quench.api.", "--quench.callbacks.");
  private static final List<String> SET_BY_BENCHMARK = List.of("--quench.worker.concurrency=",
      "--quench.api.demo-key=", "--quench.callbacks.allow-http=", "--quench.callbacks.allowed-networks=");

  public static final String OPTIONS = String.join(System.lineSeparator(),
      "Options (--name=value):",
      "  --quick                     small sizes for a smoke run",
      "  --sections=a,b,...          startup,stop,creates,cancel,burst,bulk,reads,http-ceiling,notify,baseline,",
      "                              rebuild,memory (the default), disk",
      "  --data-dir=PATH             broker data for the run (default target/benchmark-data); --keep-data keeps it",
      "  --results-dir=PATH          benchmark-results.{json,md} (default target)",
      "  --copy-to=PATH              also a dated copy there (default results for a full run, none for --quick)",
      "  --partitions=N              partitions of every topic (default 6, the standalone's)",
      "  --worker-concurrency=N      worker slots (default 32)",
      "  --stop-tasks=N --stop-rate=N/s              running tasks cancelled (256), cancels/s per round (100)",
      "  --creates-duration=D --creates-in-flight=N  closed-loop creates (10s, 32)",
      "  --cancel-rates=R1,R2,...    cancel rates stepped up through (1000,1500,2000,3000,4000,6000,8000)",
      "  --min-rate=N                lowest rate tried when the first fails (50)",
      "  --warmup-tasks=N            created, read and cancelled unrecorded before the first HTTP section (5000)",
      "  --step-duration=D           each cancel rate (10s); --warmup=D (3s); --drain-timeout=D (30s)",
      "  --p99-target=D              the sustained-rate bound (100ms)",
      "  --burst-tasks=N --burst-in-flight=N --burst-target=D  queued tasks cancelled at once (20000, 64, 4s)",
      "  --bulk-tasks=N              queued tasks cancelled by one filter batch (20000, the burst's size)",
      "  --bulk-large-tasks=N        queued tasks written straight to the log, one filter batch (100000; 0 skips)",
      "  --bulk-running=N            running probe tasks cancelled by one batch of ids (256; 0 skips); the worker",
      "                              then has at least N slots, all held by the long sleeps while tasks must queue",
      "  --notify-rate=N/s --notify-duration=D       terminal tasks/s called back, for how long (500, 20s)",
      "  --notify-streams=N --notify-stream-cancels=N  SSE streams kept open (1000), streams timed beside (200)",
      "  --notify-wait-tasks=N       running sleeps cancelled with Prefer: wait (200)",
      "  --reads-duration=D --reads-connections=N    closed-loop reads (10s, 16)",
      "  --baseline-rates=R1,...     raw relay rates (default 1000 and every rate the cancel section ran)",
      "  --baseline-duration=D --baseline-max-records=N  each rate (step duration), max-throughput burst (200000)",
      "  --rebuild-events=N          synthetic log events to rebuild (1000000)",
      "  --memory-tasks=N            task views in the measured replica (1000000)",
      "  --disk-tasks=N --disk-cache=SIZE  views in the RocksDB replica (10000000), its block cache (256MB)",
      "  --spring.kafka.*, --logging.level.*, --quench.worker.*, --quench.projector.*, --quench.api.*,",
      "  --quench.callbacks.*",
      "                              handed on to the standalone's services, to measure a tuning");

  public static BenchmarkSettings from(ConfigurableEnvironment environment, String... args) {
    Binder binder = Binder.get(environment);
    boolean quick = flag(environment, "quick");
    Set<Section> sections = EnumSet.noneOf(Section.class);
    List<String> named = binder.bind("sections", Bindable.listOf(String.class)).orElse(List.of());
    if (named.isEmpty()) {
      EnumSet.allOf(Section.class).stream().filter(Section::byDefault).forEach(sections::add);
    } else {
      named.forEach(name -> sections.add(Section.parse(name)));
    }
    Path dataDir = binder.bind("data-dir", Path.class).orElse(Path.of("target", "benchmark-data"));
    Path resultsDir = binder.bind("results-dir", Path.class).orElse(Path.of("target"));
    String copy = binder.bind("copy-to", String.class).orElse(quick ? "" : "results");
    Duration step = duration(binder, "step-duration", quick ? "2s" : "10s");
    return new BenchmarkSettings(
        quick,
        Set.copyOf(sections),
        dataDir.toAbsolutePath(),
        flag(environment, "keep-data"),
        resultsDir.toAbsolutePath(),
        copy.isBlank() || copy.equals("none") ? null : Path.of(copy).toAbsolutePath(),
        integer(binder, "partitions", 6),
        integer(binder, "worker-concurrency", quick ? 8 : 32),
        integer(binder, "stop-tasks", quick ? 32 : 256),
        integer(binder, "stop-rate", 100),
        duration(binder, "creates-duration", quick ? "2s" : "10s"),
        integer(binder, "creates-in-flight", 32),
        binder.bind("cancel-rates", Bindable.listOf(Integer.class))
            .orElse(quick ? List.of(1000, 2000) : List.of(1000, 1500, 2000, 3000, 4000, 6000, 8000)),
        integer(binder, "min-rate", 50),
        step,
        integer(binder, "warmup-tasks", quick ? 500 : 5_000),
        duration(binder, "warmup", quick ? "1s" : "3s"),
        duration(binder, "p99-target", "100ms"),
        duration(binder, "drain-timeout", quick ? "15s" : "30s"),
        integer(binder, "burst-tasks", quick ? 2_000 : 20_000),
        integer(binder, "burst-in-flight", 64),
        duration(binder, "burst-target", "4s"),
        integer(binder, "bulk-tasks", quick ? 2_000 : 20_000),
        integer(binder, "bulk-large-tasks", quick ? 5_000 : 100_000),
        integer(binder, "bulk-running", quick ? 32 : 256),
        integer(binder, "notify-rate", 500),
        duration(binder, "notify-duration", quick ? "4s" : "20s"),
        integer(binder, "notify-streams", quick ? 200 : 1_000),
        integer(binder, "notify-stream-cancels", quick ? 50 : 200),
        integer(binder, "notify-wait-tasks", quick ? 32 : 200),
        duration(binder, "reads-duration", quick ? "2s" : "10s"),
        integer(binder, "reads-connections", 16),
        binder.bind("baseline-rates", Bindable.listOf(Integer.class)).orElse(List.of()),
        binder.bind("baseline-duration", Duration.class).orElse(step),
        integer(binder, "baseline-max-records", quick ? 20_000 : 200_000),
        integer(binder, "rebuild-events", quick ? 50_000 : 1_000_000),
        integer(binder, "memory-tasks", quick ? 20_000 : 1_000_000),
        integer(binder, "disk-tasks", quick ? 100_000 : 10_000_000),
        binder.bind("disk-cache", String.class).orElse("256MB"),
        Arrays.stream(args).filter(arg -> PASSED_ON.stream().anyMatch(arg::startsWith))
            .filter(arg -> SET_BY_BENCHMARK.stream().noneMatch(arg::startsWith)).toList());
  }

  public boolean runs(Section section) {
    return sections.contains(section);
  }

  /**
   * The worker's slots: {@code workerConcurrency}, or the bulk section's running batch's size if that is larger, for
   * a batch over running tasks needs them all running at once. The long sleeps then hold every slot, and the stop
   * section still runs its rounds of {@code workerConcurrency}.
   */
  public int workerSlots() {
    return runs(Section.BULK) ? Math.max(workerConcurrency, bulkRunning) : workerConcurrency;
  }

  /** Every setting, for the results: a run is only comparable with one that ran the same way. */
  public Map<String, Object> describe() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("quick", quick);
    List<String> ids = new ArrayList<>();
    for (Section section : Section.values()) {
      if (sections.contains(section)) {
        ids.add(section.id());
      }
    }
    all.put("sections", ids);
    all.put("partitions", partitions);
    all.put("worker_concurrency", workerConcurrency);
    all.put("stop_tasks", stopTasks);
    all.put("stop_rate_per_s", stopRate);
    all.put("creates_duration", createsDuration.toString());
    all.put("creates_in_flight", createsInFlight);
    all.put("cancel_rates_per_s", cancelRates);
    all.put("min_rate_per_s", minRate);
    all.put("step_duration", stepDuration.toString());
    all.put("warmup_tasks", warmupTasks);
    all.put("warmup", warmup.toString());
    all.put("p99_target", p99Target.toString());
    all.put("drain_timeout", drainTimeout.toString());
    all.put("burst_tasks", burstTasks);
    all.put("burst_in_flight", burstInFlight);
    all.put("burst_target", burstTarget.toString());
    all.put("bulk_tasks", bulkTasks);
    all.put("bulk_large_tasks", bulkLargeTasks);
    all.put("bulk_running", bulkRunning);
    all.put("worker_slots", workerSlots());
    all.put("notify_rate_per_s", notifyRate);
    all.put("notify_duration", notifyDuration.toString());
    all.put("notify_streams", notifyStreams);
    all.put("notify_stream_cancels", notifyStreamCancels);
    all.put("notify_wait_tasks", notifyWaitTasks);
    all.put("reads_duration", readsDuration.toString());
    all.put("reads_connections", readsConnections);
    all.put("baseline_rates_per_s", baselineRates.isEmpty() ? "1000 + the cancel section's rates" : baselineRates);
    all.put("baseline_duration", baselineDuration.toString());
    all.put("baseline_max_records", baselineMaxRecords);
    all.put("rebuild_events", rebuildEvents);
    all.put("memory_tasks", memoryTasks);
    all.put("disk_tasks", diskTasks);
    all.put("disk_cache", diskCache);
    all.put("data_dir", dataDir.toString());
    all.put("standalone_args", standaloneArgs);
    return all;
  }

  // "--quick" alone arrives as an empty value.
  private static boolean flag(ConfigurableEnvironment environment, String name) {
    String value = environment.getProperty(name);
    return value != null && (value.isEmpty() || Boolean.parseBoolean(value));
  }

  private static int integer(Binder binder, String name, int fallback) {
    return binder.bind(name, Integer.class).orElse(fallback);
  }

  private static Duration duration(Binder binder, String name, String fallback) {
    return binder.bind(name, Duration.class).orElseGet(() -> DurationStyle.detectAndParse(fallback));
  }
}
