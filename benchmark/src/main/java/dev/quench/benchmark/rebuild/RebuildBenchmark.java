package dev.quench.benchmark.rebuild;

import dev.quench.api.log.RequestLog;
import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.benchmark.synthetic.SyntheticTasks;
import dev.quench.events.Envelope;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.TopicSpec;
import dev.quench.events.wire.Topics;
import dev.quench.projector.ProjectorApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

/**
 * How fast the projector refolds the log: a million (by default) synthetic events written into a log topic of its
 * own, in transactions as workers write them, then the projector application run in rebuild mode over it, in this
 * JVM. Timed from the first application runner to the rebuild's end, so Spring's start is not counted as folding.
 */
public final class RebuildBenchmark {

  private static final Logger log = LoggerFactory.getLogger(RebuildBenchmark.class);
  private static final String SECTION = "rebuild";
  private static final String PREFIX = "bench.rebuild.";
  private static final int EVENTS_PER_TRANSACTION = 50_000;

  private final BenchmarkSettings settings;
  private final Kafka kafka;
  private final ResultTable table;

  public RebuildBenchmark(BenchmarkSettings settings, Kafka kafka, ResultTable table) {
    this.settings = settings;
    this.kafka = kafka;
    this.table = table;
  }

  public void run() {
    Topics topics = Topics.withPrefix(PREFIX);
    kafka.create(TopicSpec.all(topics, settings.partitions(), (short) 1));
    long writeStarted = System.nanoTime();
    Written written = write(topics);
    Duration writing = Duration.ofNanos(System.nanoTime() - writeStarted);
    log.info("wrote {} events of {} tasks into {} in {} ms", written.events, written.tasks, topics.log(),
        writing.toMillis());

    long contextStarted = System.nanoTime();
    List<String> args = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
        "--quench.topics.prefix=" + PREFIX,
        "--quench.topics.partitions=" + settings.partitions(),
        "--quench.projector.rebuild=true",
        "--quench.projector.id=bench-rebuild",
        "--spring.main.banner-mode=off",
        "--logging.level.org.apache.kafka=WARN"));
    // A projector tuning given to the benchmark is measured here too.
    settings.standaloneArgs().stream().filter(arg -> arg.startsWith("--quench.projector.")).forEach(args::add);
    ConfigurableApplicationContext context = new SpringApplicationBuilder(ProjectorApplication.class,
        RebuildClock.class)
        .main(ProjectorApplication.class)
        .web(WebApplicationType.NONE)
        .registerShutdownHook(false)
        .run(args.toArray(String[]::new));
    long ended = System.nanoTime();
    long foldStarted = context.getBean(RebuildClock.class).startedAt;
    context.close();
    Duration folding = Duration.ofNanos(ended - foldStarted);
    Duration command = Duration.ofNanos(ended - contextStarted);
    long views = kafka.records(List.of(topics.view()));
    double perSecond = written.events / (folding.toNanos() / 1e9);
    table.add(SECTION, "projector rebuild (ProjectorApplication --quench.projector.rebuild=true)",
        String.format(Locale.ROOT, "%,.0f events/s", perSecond),
        String.format(Locale.ROOT, "%,d events of %,d tasks folded, %,d views written in %.1f s (%.1f s with "
            + "Spring's start); the log was written in %.1f s", written.events, written.tasks, views,
            folding.toMillis() / 1000.0, command.toMillis() / 1000.0, writing.toMillis() / 1000.0));
    table.detail(SECTION, "events", written.events);
    table.detail(SECTION, "tasks", written.tasks);
    table.detail(SECTION, "log_bytes", written.bytes);
    table.detail(SECTION, "views_written", views);
    table.detail(SECTION, "events_per_second", Math.round(perSecond));
    table.figure(Targets.REBUILD, perSecond);
    table.detail(SECTION, "rebuild_ms", folding.toMillis());
    table.detail(SECTION, "rebuild_with_spring_start_ms", command.toMillis());
    table.detail(SECTION, "log_write_ms", writing.toMillis());
  }

  private record Written(long events, long tasks, long bytes) {
  }

  /** The synthetic log, in transactions of 50,000 events, as large producer batches: fast to write, real to read. */
  private Written write(Topics topics) {
    Map<String, Object> config = kafka.bulkProducerConfig("bench-rebuild-writer");
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-rebuild-writer");
    EventCodec codec = new EventCodec();
    SyntheticTasks tasks = new SyntheticTasks(Instant.now().minus(Duration.ofDays(30)));
    long events = 0;
    long bytes = 0;
    long task = 0;
    try (Producer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
        new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      long inTransaction = 0;
      while (events < settings.rebuildEvents()) {
        String taskId = SyntheticTasks.taskId(task);
        int partition = RequestLog.partitionFor(taskId, settings.partitions());
        for (Envelope event : tasks.history(task)) {
          byte[] value = codec.encode(event);
          ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.log(), partition, taskId, value);
          CloudEventHeaders.of(event).forEach((name, header) -> record.headers().add(name, header));
          producer.send(record);
          events++;
          bytes += value.length;
          inTransaction++;
        }
        task++;
        if (inTransaction >= EVENTS_PER_TRANSACTION) {
          producer.commitTransaction();
          producer.beginTransaction();
          inTransaction = 0;
        }
      }
      producer.commitTransaction();
    }
    return new Written(events, task, bytes);
  }

  /** Runs before the rebuild's own runner (which has no order, so comes last): when folding began. */
  static final class RebuildClock implements ApplicationRunner, Ordered {
    volatile long startedAt;

    @Override
    public void run(ApplicationArguments args) {
      startedAt = System.nanoTime();
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }
}
