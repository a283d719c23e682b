package dev.quench.standalone.chaos;

import dev.quench.api.log.RequestLog;
import dev.quench.events.Envelope;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.Uuids;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.node.ObjectNode;

/**
 * The run's one large batch (issue 11): {@code settings.bigBatch()} queued tasks, cancelled by a single filter batch
 * that is accepted while the kills go on and paced ({@code max_per_second}) so that handing it on spans several
 * kills. The batch is sent and retried by {@link BatchLoad} and recorded there once acknowledged, so the checks of
 * every batch ({@link BatchCheck}) cover it: every target one outcome, none twice, its report and counts as the log
 * has them.
 *
 * <p>Its tasks are too many to create through the api within a short run, so they are written straight to the
 * requests topic as the api appends a create, for the api's demo key (the run's): the worker sequences and queues
 * each, the projector folds it, the api's replica reads it like any other. They are {@code sleep} tasks of an hour,
 * not tasks of a capability no worker serves: a worker fails those the moment a slot is free, so they would not
 * wait for the batch. The few that take the slots run until the batch cancels them, and the run's other tasks queue
 * behind the rest until then.
 */
final class BigBatch implements AutoCloseable {

  /** The api's bounds on a batch: its targets and its {@code max_per_second}. */
  static final int MAX_TARGETS = 100_000;
  static final int MAX_RATE = 100_000;
  /** The {@link TaskApi#GROUP_LABEL} its tasks carry, and only they: the batch's filter. */
  static final String GROUP = "big";

  /**
   * What became of the big batch.
   *
   * @param size              the tasks written, each a target
   * @param rate              its {@code max_per_second}
   * @param batchId           its id, or null if it was never acknowledged
   * @param written           how long writing its tasks took
   * @param sentAt            when its first attempt was sent
   * @param acceptedAt        when the acknowledging answer came
   * @param acceptedRunSecond when that was, in seconds since the run began (the time kills are printed by)
   * @param lastDecided       the latest {@code decided_at} of its report: when its last target got its outcome
   * @param reported          the lines of its report
   * @param outcomes          its report's targets by outcome
   * @param kills             the kills from its first attempt to its last outcome
   */
  record Figures(int size, int rate, String batchId, Duration written, Instant sentAt, Instant acceptedAt,
                 double acceptedRunSecond, Instant lastDecided, int reported, Map<String, Integer> outcomes,
                 List<Timeline.Kill> kills) {

    /** From its first attempt to its last outcome, or to its acceptance while it has none. */
    Duration span() {
      Instant end = lastDecided != null ? lastDecided : acceptedAt;
      return sentAt == null || end == null ? Duration.ZERO : Duration.between(sentAt, end);
    }

    /** When its last target got its outcome, in seconds since the run began; its acceptance while it has none. */
    double lastDecidedRunSecond() {
      return lastDecided == null || acceptedAt == null ? acceptedRunSecond
          : acceptedRunSecond + Duration.between(acceptedAt, lastDecided).toMillis() / 1e3;
    }

    Map<String, Integer> killsByRole() {
      Map<String, Integer> byRole = new TreeMap<>();
      kills.forEach(kill -> byRole.merge(kill.role(), 1, Integer::sum));
      return byRole;
    }
  }

  // Into the chaos: a kill or two have happened, and many follow while it is handed on.
  private static final Duration START_AFTER = Duration.ofSeconds(10);
  // The tenant and key id the api gives its demo key, the run's key: the tasks are that caller's, as if it had created
  // them, so its filter batch finds them.
  private static final String TENANT = "demo";
  private static final String KEY_ID = "demo";
  private static final String PRODUCER = "chaos/big-batch";
  private static final long SLEEP_MILLIS = Duration.ofHours(1).toMillis();

  private final int size;
  private final int rate;
  private final String bootstrapServers;
  private final Topics topics;
  private final int partitions;
  private final String runId;
  private final BatchLoad batches;
  private final Timeline timeline;
  private final ExecutorService episode = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "chaos-big-batch");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicReference<Duration> written = new AtomicReference<>();
  private final AtomicReference<BatchLoad.Sent> sent = new AtomicReference<>();
  private volatile double acceptedRunSecond;

  BigBatch(ChaosSettings settings, String bootstrapServers, Topics topics, String runId, BatchLoad batches,
           Timeline timeline) {
    this.size = settings.bigBatch();
    this.rate = settings.bigBatchRate();
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.partitions = settings.partitions();
    this.runId = runId;
    this.batches = batches;
    this.timeline = timeline;
  }

  boolean enabled() {
    return size > 0;
  }

  /** Starts the episode in the background, {@link #START_AFTER} from now; nothing if the run has no big batch. */
  void start() {
    if (enabled()) {
      episode.execute(this::run);
    }
    episode.shutdown();
  }

  /** Waits until its batch has been answered (a retried POST may outlast the kills). */
  @Override
  public void close() throws InterruptedException {
    if (!episode.awaitTermination(5, TimeUnit.MINUTES)) {
      episode.shutdownNow();
    }
  }

  /** The acknowledged batch, or null. */
  BatchLoad.Sent sent() {
    return sent.get();
  }

  /** Its figures, from its report after the quiet and the kills of the run. */
  Figures figures(TaskApi.TargetReport report, List<Timeline.Kill> kills) {
    BatchLoad.Sent batch = sent.get();
    Map<String, Integer> outcomes = new TreeMap<>();
    report.targets().forEach(t -> outcomes.merge(Objects.requireNonNullElse(t.outcome(), "(none)"), 1,
        Integer::sum));
    Instant lastDecided = report.targets().stream().map(TaskApi.Target::decidedAt).filter(Objects::nonNull)
        .max(Instant::compareTo).orElse(null);
    Instant sentAt = batch == null ? null : batch.firstSentAt();
    Instant end = lastDecided != null ? lastDecided : batch == null ? null : batch.at();
    List<Timeline.Kill> during = sentAt == null ? List.of() : kills.stream()
        .filter(k -> !k.at().isBefore(sentAt) && !k.at().isAfter(end)).toList();
    return new Figures(size, rate, batch == null ? null : batch.batchId(), written.get(), sentAt,
        batch == null ? null : batch.at(), acceptedRunSecond, lastDecided, report.targets().size(), outcomes,
        during);
  }

  private void run() {
    try {
      TimeUnit.MILLISECONDS.sleep(START_AFTER.toMillis());
      List<String> ids = new ArrayList<>(size);
      for (int n = 0; n < size; n++) {
        ids.add(Uuids.derive("chaos-big-batch", runId, n).toString());
      }
      long started = System.nanoTime();
      write(ids);
      written.set(Duration.ofNanos(System.nanoTime() - started));
      timeline.note("big batch: wrote " + size + " queued sleeps of group " + GROUP + " to the requests topic in "
          + written.get().toMillis() + " ms; sending the batch at " + rate + "/s");
      BatchLoad.Sent batch = batches.bigBatch(GROUP, ids, rate);
      acceptedRunSecond = timeline.elapsedSeconds();
      sent.set(batch);
      timeline.note(batch == null ? "big batch: NOT acknowledged (see the batches not acknowledged)"
          : "big batch " + batch.batchId() + " acknowledged " + batch.status() + ", " + batch.matched()
          + " matched; handing it on takes " + size / rate + " s at the least");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      timeline.note("big batch: FAILED before its batch was acknowledged: " + e);
    }
  }

  /** Every submission, acknowledged by the broker, before the batch is sent: then the batch must find them all. */
  private void write(List<String> ids) {
    EventCodec codec = new EventCodec();
    ObjectNode input = TaskApi.JSON.createObjectNode().put("duration_ms", SLEEP_MILLIS);
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (Producer<String, byte[]> producer = new KafkaProducer<>(producerConfig(), new StringSerializer(),
        new ByteArraySerializer())) {
      for (String taskId : ids) {
        Envelope submission = Envelope.of(UUID.randomUUID(), taskId, TENANT,
            Instant.now().truncatedTo(ChronoUnit.MILLIS), PRODUCER, null, "chaos-" + runId + "-big-" + taskId,
            new TaskSubmitted("sleep", null, Map.of(TaskApi.GROUP_LABEL, GROUP), input, KEY_ID, sha256(taskId),
                List.of()));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.requests(),
            RequestLog.partitionFor(taskId, partitions), taskId, codec.encode(submission));
        CloudEventHeaders.of(submission).forEach((name, header) -> record.headers().add(name, header));
        producer.send(record, (metadata, error) -> {
          if (error != null) {
            failed.compareAndSet(null, error);
          }
        });
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("writing the big batch's tasks failed", failed.get());
    }
  }

  private Map<String, Object> producerConfig() {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.CLIENT_ID_CONFIG, "chaos-big-batch-writer",
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 20,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
  }

  /** Like the api's request fingerprint, a SHA-256 in hex, so the records are the size of real ones. */
  private static String sha256(String of) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(of.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
