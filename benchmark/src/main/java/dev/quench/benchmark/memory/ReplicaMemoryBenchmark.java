package dev.quench.benchmark.memory;

import dev.quench.api.ApiApplication;
import dev.quench.api.log.RequestLog;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.benchmark.synthetic.SyntheticTasks;
import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.TopicSpec;
import dev.quench.events.wire.Topics;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The api's in-memory replica, per task: a million views (by default) published to a view topic of their own, an api
 * instance started over them in this JVM, and the heap it added, after full collections, compared with an api
 * instance over an empty view topic. The difference divided by the tasks is what each task costs the replica.
 *
 * <p>The views are real folds of {@link SyntheticTasks} histories (the section's mix of completed, cancelled and
 * failed tasks), {@value #TEMPLATES} of them, each published many times under other task ids: every copy decodes
 * into objects of its own, as distinct tasks would.
 */
public final class ReplicaMemoryBenchmark {

  private static final Logger log = LoggerFactory.getLogger(ReplicaMemoryBenchmark.class);
  private static final String SECTION = "memory";
  private static final String PREFIX = "bench.memory.";
  private static final String EMPTY_PREFIX = "bench.memory-empty.";
  private static final int TEMPLATES = 1000;

  private final BenchmarkSettings settings;
  private final Kafka kafka;
  private final ResultTable table;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

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
    long bytes = publish(topics, settings.memoryTasks());
    Duration publishing = Duration.ofNanos(System.nanoTime() - publishStarted);
    log.info("published {} views ({} MB) in {} ms", settings.memoryTasks(), bytes >> 20, publishing.toMillis());

    long before = usedAfterGc();
    long empty;
    try (ConfigurableApplicationContext api = startApi(EMPTY_PREFIX)) {
      empty = usedAfterGc() - before;
    }
    long baseline = usedAfterGc();
    long loadStarted = System.nanoTime();
    long full;
    int held;
    Duration loading;
    try (ConfigurableApplicationContext api = startApi(PREFIX)) {
      loading = Duration.ofNanos(System.nanoTime() - loadStarted);
      held = api.getBean(TaskViewReplica.class).size();
      full = usedAfterGc() - baseline;
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

  private ConfigurableApplicationContext startApi(String prefix) {
    return new SpringApplicationBuilder(ApiApplication.class)
        .main(ApiApplication.class)
        .web(WebApplicationType.SERVLET)
        .registerShutdownHook(false)
        .run("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
            "--quench.topics.prefix=" + prefix,
            "--quench.topics.partitions=" + settings.partitions(),
            "--server.port=0",
            "--quench.api.id=bench-memory",
            "--quench.api.demo-key=bench-memory-key",
            "--quench.api.startup-timeout=30m",
            "--spring.main.banner-mode=off",
            "--logging.level.org.apache.kafka=WARN");
  }

  /** Publishes {@code tasks} views; returns the bytes of their values. */
  private long publish(Topics topics, int tasks) {
    EventCodec codec = new EventCodec();
    SyntheticTasks synthetic = new SyntheticTasks(Instant.now().minus(Duration.ofDays(30)));
    byte[][] templates = new byte[TEMPLATES][];
    for (int n = 0; n < TEMPLATES; n++) {
      List<Envelope> history = synthetic.history(n);
      TaskState task = TaskState.fold(history);
      int partition = RequestLog.partitionFor(task.taskId(), settings.partitions());
      templates[n] = codec.encodeView(new TaskView(task, partition, history.size() - 1L));
    }
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-memory-writer");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    long bytes = 0;
    try (Producer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
        new ByteArraySerializer())) {
      for (int n = 0; n < tasks; n++) {
        int template = n % TEMPLATES;
        String taskId = SyntheticTasks.taskId(n);
        byte[] view = n < TEMPLATES ? templates[template]
            : replace(templates[template], SyntheticTasks.taskId(template), taskId);
        producer.send(new ProducerRecord<>(topics.view(), RequestLog.partitionFor(taskId, settings.partitions()),
            taskId, view));
        bytes += view.length;
      }
      producer.flush();
    }
    return bytes;
  }

  /** {@code bytes} with every occurrence of one task id replaced by another of the same length. */
  static byte[] replace(byte[] bytes, String from, String to) {
    byte[] target = from.getBytes(StandardCharsets.US_ASCII);
    byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
    if (target.length != replacement.length) {
      throw new IllegalArgumentException("task ids of different lengths");
    }
    byte[] copy = bytes.clone();
    outer:
    for (int i = 0; i <= copy.length - target.length; i++) {
      for (int j = 0; j < target.length; j++) {
        if (copy[i + j] != target[j]) {
          continue outer;
        }
      }
      System.arraycopy(replacement, 0, copy, i, replacement.length);
      i += target.length - 1;
    }
    return copy;
  }

  /** Used heap after full collections, the least of three readings: what is live, give or take a few MiB. */
  private long usedAfterGc() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
