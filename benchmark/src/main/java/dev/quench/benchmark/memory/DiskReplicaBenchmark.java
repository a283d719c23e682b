package dev.quench.benchmark.memory;

import dev.quench.api.log.TaskViewReplica;
import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.reads.ReadCeilingBenchmark;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.setup.DataDir;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.benchmark.synthetic.SyntheticTasks;
import dev.quench.events.wire.TopicSpec;
import dev.quench.events.wire.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The disk-backed replica ({@code quench.api.replica-store=rocksdb}) at ten million tasks (by default): the views
 * published to a view topic of their own, an api instance in this JVM started over them (its replica reads every
 * view into RocksDB), the heap that api holds after full collections, the store's size on disk, closed-loop reads
 * of random tasks among all of them, and how long the api takes to start again over the store it left, which
 * resumes from the view offsets the store kept instead of reading every view again.
 */
public final class DiskReplicaBenchmark {

  private static final Logger log = LoggerFactory.getLogger(DiskReplicaBenchmark.class);
  private static final String SECTION = "disk";
  private static final String PREFIX = "bench.disk.";
  private static final String KEY = "bench-disk-key";

  private final BenchmarkSettings settings;
  private final Kafka kafka;
  private final ResultTable table;

  public DiskReplicaBenchmark(BenchmarkSettings settings, Kafka kafka, ResultTable table) {
    this.settings = settings;
    this.kafka = kafka;
    this.table = table;
  }

  public void run() throws InterruptedException {
    int tasks = settings.diskTasks();
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.create(TopicSpec.all(topics, settings.partitions(), (short) 1));
    long publishStarted = System.nanoTime();
    long bytes = SyntheticViews.publish(kafka, topics, settings.partitions(), tasks);
    Duration publishing = Duration.ofNanos(System.nanoTime() - publishStarted);
    log.info("published {} views ({} MB) in {} ms", tasks, bytes >> 20, publishing.toMillis());

    Path store = settings.dataDir().resolve("disk-replica");
    DataDir.recreate(store);
    String[] args = {
        "--quench.api.replica-store=rocksdb",
        "--quench.api.replica-path=" + store,
        "--quench.api.replica-cache=" + settings.diskCache(),
        "--quench.api.keys[0].id=bench-disk",
        "--quench.api.keys[0].sha256=" + sha256(KEY),
        "--quench.api.keys[0].tenant=" + SyntheticTasks.TENANT,
        "--quench.api.keys[0].scopes=tasks:read"};
    long baseline = InProcessApi.usedAfterGc();
    long loadStarted = System.nanoTime();
    Duration loading;
    long heap;
    long held;
    try (ConfigurableApplicationContext api = InProcessApi.start(kafka, PREFIX, settings.partitions(), args)) {
      loading = Duration.ofNanos(System.nanoTime() - loadStarted);
      held = api.getBean(TaskViewReplica.class).size();
      heap = InProcessApi.usedAfterGc() - baseline;
      log.info("replica on disk: {} views read in {} ms", held, loading.toMillis());
      try (ApiClient client = new ApiClient("http://localhost:" + api.getEnvironment()
          .getProperty("local.server.port"), KEY)) {
        new ReadCeilingBenchmark(settings, client, table).run(SECTION, String.format(Locale.ROOT,
                "disk replica: GET /v1/tasks/{id} of random tasks among %,d, %d connections, closed loop", tasks,
                settings.readsConnections()), tasks, n -> client.get(SyntheticTasks.taskId(n)));
      }
    }
    long onDisk = size(store);
    long restartStarted = System.nanoTime();
    Duration restart;
    try (ConfigurableApplicationContext api = InProcessApi.start(kafka, PREFIX, settings.partitions(), args)) {
      restart = Duration.ofNanos(System.nanoTime() - restartStarted);
      long again = api.getBean(TaskViewReplica.class).size();
      log.info("restarted over the store in {} ms, {} views", restart.toMillis(), again);
    }
    table.add(SECTION, String.format(Locale.ROOT, "disk replica (RocksDB): views read at first start, %,d tasks",
            tasks), String.format(Locale.ROOT, "%,.0f views/s", held / (loading.toNanos() / 1e9)),
        String.format(Locale.ROOT, "%,d MiB of views in %.1f s", bytes >> 20, loading.toMillis() / 1000.0));
    table.add(SECTION, "disk replica: heap after GC, whole api", String.format(Locale.ROOT, "%,d MiB", heap >> 20),
        String.format(Locale.ROOT, "%,.1f bytes/task; block cache %s outside the heap; %,d MiB on disk",
            heap / (double) tasks, settings.diskCache(), onDisk >> 20));
    table.add(SECTION, "disk replica: api start over its store (resumes from stored offsets)",
        String.format(Locale.ROOT, "%.1f s", restart.toMillis() / 1000.0), "vs " + String.format(Locale.ROOT,
            "%.1f s", loading.toMillis() / 1000.0) + " reading every view");
    table.detail(SECTION, "tasks", tasks);
    table.detail(SECTION, "view_topic_bytes", bytes);
    table.detail(SECTION, "publish_ms", publishing.toMillis());
    table.detail(SECTION, "first_start_ms", loading.toMillis());
    table.detail(SECTION, "heap_added_bytes", heap);
    table.detail(SECTION, "store_bytes_on_disk", onDisk);
    table.detail(SECTION, "restart_ms", restart.toMillis());
    table.detail(SECTION, "block_cache", settings.diskCache());
  }

  private static long size(Path directory) {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).mapToLong(file -> {
        try {
          return Files.size(file);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
