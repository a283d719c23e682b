package dev.quench.benchmark.memory;

import dev.quench.api.log.TaskViewReplica;
import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.events.wire.TopicSpec;
import dev.quench.events.wire.Topics;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The api's in-memory replica, per task: a million views (by default) published to a view topic of their own, an api
 * instance started over them in this JVM, and the heap it added, after full collections, compared with an api
 * instance over an empty view topic. The difference divided by the tasks is what each task costs the replica.
 *
 * <p>The views are {@link SyntheticViews}: distinct tasks, a realistic mix of outcomes.
 */
public final class ReplicaMemoryBenchmark {

  private static final Logger log = LoggerFactory.getLogger(ReplicaMemoryBenchmark.class);
  private static final String SECTION = "memory";
  private static final String PREFIX = "bench.memory.";
  private static final String EMPTY_PREFIX = "bench.memory-empty.";

  private final BenchmarkSettings settings;
  private final Kafka kafka;
  private final ResultTable table;

  public ReplicaMemoryBenchmark(BenchmarkSettings settings, Kafka kafka, ResultTable table) {
    this.settings = settings;
    this.kafka = kafka;
    this.table = table;
  }

  public void run() throws InterruptedException {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.create(TopicSpec.all(topics, settings.partitions(), (short) 1));
    kafka.create(TopicSpec.all(Topics.withPrefix(EMPTY_PREFIX), settings.partitions(), (short) 1));
    long publishStarted = System.nanoTime();
    long bytes = SyntheticViews.publish(kafka, topics, settings.partitions(), settings.memoryTasks());
    Duration publishing = Duration.ofNanos(System.nanoTime() - publishStarted);
    log.info("published {} views ({} MB) in {} ms", settings.memoryTasks(), bytes >> 20, publishing.toMillis());

    long before = InProcessApi.usedAfterGc();
    long empty;
    try (ConfigurableApplicationContext api = InProcessApi.start(kafka, EMPTY_PREFIX, settings.partitions())) {
      empty = InProcessApi.usedAfterGc() - before;
    }
    long baseline = InProcessApi.usedAfterGc();
    long loadStarted = System.nanoTime();
    long full;
    long held;
    Duration loading;
    try (ConfigurableApplicationContext api = InProcessApi.start(kafka, PREFIX, settings.partitions())) {
      loading = Duration.ofNanos(System.nanoTime() - loadStarted);
      held = api.getBean(TaskViewReplica.class).size();
      full = InProcessApi.usedAfterGc() - baseline;
    }
    double perTask = (full - empty) / (double) held;
    table.add(SECTION, String.format(Locale.ROOT, "api replica heap per task, %,d tasks", held),
        String.format(Locale.ROOT, "%,.0f bytes/task", perTask),
        String.format(Locale.ROOT, "heap after GC: +%,d MiB with the views, +%,d MiB for an api over no views; "
                + "the replica read %,d MiB of views in %.1f s at start", full >> 20, empty >> 20, bytes >> 20,
            loading.toMillis() / 1000.0));
    table.detail(SECTION, "tasks", held);
    table.detail(SECTION, "bytes_per_task", Math.round(perTask));
    table.detail(SECTION, "heap_added_with_views_bytes", full);
    table.detail(SECTION, "heap_added_without_views_bytes", empty);
    table.detail(SECTION, "view_topic_bytes", bytes);
    table.detail(SECTION, "replica_start_ms", loading.toMillis());
    table.detail(SECTION, "publish_ms", publishing.toMillis());
  }
}
