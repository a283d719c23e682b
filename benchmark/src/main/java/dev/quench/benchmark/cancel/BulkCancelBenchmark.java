package dev.quench.benchmark.cancel;

import dev.quench.api.log.RequestLog;
import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.cpu.CpuMeter;
import dev.quench.benchmark.cpu.CpuUsage;
import dev.quench.benchmark.creates.TaskCreator;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.report.BulkTargets;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.benchmark.synthetic.SyntheticTasks;
import dev.quench.events.Envelope;
import dev.quench.events.Uuids;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The burst's workload cancelled the other way: {@code settings.bulkTasks()} queued tasks (behind the same slot hog,
 * so the worker decides each at once) cancelled by <em>one</em> {@code POST /v1/cancellation_batches} whose filter
 * selects exactly them, by a metadata value only they carry. A dry run of the same filter goes first. Timed from the
 * request: its 202, each target shown {@code cancelled} by the view topic (the burst's watch), and the batch's
 * {@code GET} saying it completed. Its CPU is measured as the burst's is, from the request until the view shows the
 * last target and the topics have gone quiet, per task cancelled.
 *
 * <p>Then the same at issue 11's larger size, {@code settings.bulkLargeTasks()} queued tasks, too many to create
 * through the api within the section's time: written straight to the requests topic as the api appends a create
 * ({@link SyntheticTasks#submission}), so the worker sequences and queues each, the projector folds it and the api's
 * replica reads it like any other task. Timed the same way, without the CPU rows; its dry run is the one issue 11
 * bounds. Every figure a target of issue 11 is judged on goes to {@link BulkTargets}.
 */
public final class BulkCancelBenchmark {

  private static final Logger log = LoggerFactory.getLogger(BulkCancelBenchmark.class);
  private static final String SECTION = "bulk";
  // How often the batch's progress is read: often enough to time its completion to a few tens of ms, rarely enough
  // that the reads are not the load.
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration QUIET = Duration.ofSeconds(1);
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(180);
  // As the burst's: its idle tail counts too.
  private static final Duration CPU_QUIET = Duration.ofMillis(500);
  // The tenant and key id the standalone gives its demo key, the benchmark's: the tasks written to the log are that
  // caller's, as if it had created them, so its filter batch finds them.
  private static final String TENANT = "demo";
  private static final String KEY_ID = "demo";

  private final BenchmarkSettings settings;
  private final ApiClient api;
  private final TaskCreator creator;
  private final Kafka kafka;
  private final Topics topics;
  private final ResultTable table;
  private final CpuMeter cpu;
  private final Deque<String> queued;

  /** @param queued where the tasks it queued go if the batch does not cancel them, for the run to cancel later */
  public BulkCancelBenchmark(BenchmarkSettings settings, ApiClient api, TaskCreator creator, Kafka kafka,
                             Topics topics, ResultTable table, CpuMeter cpu, Deque<String> queued) {
    this.settings = settings;
    this.api = api;
    this.creator = creator;
    this.kafka = kafka;
    this.topics = topics;
    this.table = table;
    this.cpu = cpu;
    this.queued = queued;
  }

  /** Needs every worker slot taken (the slot hog), so that the tasks it creates stay queued. */
  public void run() throws IOException, InterruptedException {
    throughApi();
    if (settings.bulkLargeTasks() > 0) {
      fromLog(settings.bulkLargeTasks());
    }
  }

  /** The burst's workload: tasks created through the api, one request each, then cancelled by one batch. */
  private void throughApi() throws IOException, InterruptedException {
    int count = settings.bulkTasks();
    // A value no other task of the run carries: the filter selects these tasks and nothing else.
    String campaign = "bench-bulk-" + UUID.randomUUID();
    TaskCreator.Result created = creator.create(count, Duration.ofHours(1),
        api.create("sleep", TaskCreator.LONG_SLEEP, "{\"team\":\"benchmark\",\"campaign\":\"" + campaign + "\"}"),
        settings.createsInFlight());
    if (created.ids().size() < count) {
      queued.addAll(created.ids());
      throw new IllegalStateException("could not queue " + count + " tasks: " + created.failed());
    }
    log.info("bulk: queued {} tasks of campaign {} at {}/s", count, campaign, Math.round(created.perSecond()));
    Set<String> shown = new HashSet<>();
    try {
      measure(created.ids(), campaign, shown, Case.THROUGH_API);
    } finally {
      // Left queued, they would start once the slot hog lets go, and hold the slots the stop section needs.
      created.ids().stream().filter(id -> !shown.contains(id)).forEach(queued::add);
    }
  }

  /**
   * Issue 11's larger size: {@code count} {@code sleep} tasks written to the requests topic as the api appends
   * creates, with a campaign only they carry, then cancelled by one filter batch once the api's replica shows them
   * all queued.
   */
  private void fromLog(int count) throws IOException, InterruptedException {
    String campaign = "bench-bulk-log-" + UUID.randomUUID();
    List<String> ids = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      ids.add(Uuids.derive(campaign, n).toString());
    }
    Set<String> shown = new HashSet<>();
    try {
      long writeStarted = System.nanoTime();
      Map<Integer, String> lastOfPartition = write(ids, campaign);
      double writeMs = (System.nanoTime() - writeStarted) / 1e6;
      awaitQueued(lastOfPartition);
      double queuedMs = (System.nanoTime() - writeStarted) / 1e6;
      log.info("bulk: wrote {} submissions of campaign {} in {} ms, all shown queued by the api after {} ms", count,
          campaign, Math.round(writeMs), Math.round(queuedMs));
      table.add(SECTION, Case.FROM_LOG.row("submissions written to the requests topic -> api shows them queued"),
          seconds(queuedMs), String.format(Locale.ROOT, "%,d sleep tasks of an hour behind the long sleeps, as the "
              + "api appends a create, written in %s; the worker sequenced and queued them, the projector folded "
              + "them; not a measure of the create path", count, seconds(writeMs)));
      table.detail(SECTION, Case.FROM_LOG.key("write_ms"), Math.round(writeMs));
      table.detail(SECTION, Case.FROM_LOG.key("shown_queued_ms"), Math.round(queuedMs));
      table.figure(BulkTargets.LARGE_TASKS, count);
      measure(ids, campaign, shown, Case.FROM_LOG);
    } finally {
      // As for the tasks created through the api: none may start when the slot hog lets go.
      ids.stream().filter(id -> !shown.contains(id)).forEach(queued::add);
    }
  }

  /**
   * The submissions, as fast as a bulk producer goes. Not transactional, as the api's own appends are not. They are
   * {@code sleep} tasks of an hour, like the burst's, queued behind the same long sleeps, rather than tasks of a
   * capability no worker serves: those a worker would never hold (it has no handler to queue them for), so
   * cancelling them would not be the worker's cancel of a queued task, which is what issue 11 asks to time. Returns
   * the last task written to each partition: when the api shows it, it shows every one before it there.
   */
  private Map<Integer, String> write(List<String> ids, String campaign) throws InterruptedException {
    EventCodec codec = new EventCodec();
    Map<String, String> metadata = Map.of("team", "benchmark", "campaign", campaign);
    ObjectNode input = JsonNodeFactory.instance.objectNode().put("duration_ms", 3_600_000);
    Map<Integer, String> last = new TreeMap<>();
    AtomicReference<Exception> failed = new AtomicReference<>();
    try (Producer<String, byte[]> producer = new KafkaProducer<>(kafka.bulkProducerConfig("bench-bulk-writer"),
        new StringSerializer(), new ByteArraySerializer())) {
      for (String taskId : ids) {
        Envelope submission = SyntheticTasks.submission(taskId, TENANT, KEY_ID, "sleep", metadata, input);
        int partition = RequestLog.partitionFor(taskId, settings.partitions());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.requests(), partition, taskId,
            codec.encode(submission));
        CloudEventHeaders.of(submission).forEach((name, header) -> record.headers().add(name, header));
        producer.send(record, (written, error) -> {
          if (error != null) {
            failed.compareAndSet(null, error);
          }
        });
        last.put(partition, taskId);
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IllegalStateException("writing the submissions failed", failed.get());
    }
    return last;
  }

  /** Until the api answers each partition's last submission as {@code queued}: its replica has read them all. */
  private void awaitQueued(Map<Integer, String> lastOfPartition) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
    for (String taskId : lastOfPartition.values()) {
      while (!"queued".equals(ApiClient.status(api.send(api.get(taskId)).body()))) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("task " + taskId + ", written to the requests topic, was not shown "
              + "queued within " + QUIET_TIMEOUT.toSeconds() + " s");
        }
        Thread.sleep(POLL.toMillis());
      }
    }
  }

  private void measure(List<String> ids, String campaign, Set<String> shown, Case what)
      throws IOException, InterruptedException {
    int count = ids.size();
    List<String> quiet = List.of(topics.requests(), topics.log(), topics.view(), topics.batches());
    kafka.awaitQuiet(quiet, QUIET, QUIET_TIMEOUT);
    String filter = "{\"status\":[\"queued\"],\"metadata\":{\"campaign\":\"" + campaign + "\"}}";

    long dryStarted = System.nanoTime();
    HttpResponse<String> dry = api.send(api.createBatch("{\"filter\":" + filter + ",\"dry_run\":true}"));
    double dryMs = (System.nanoTime() - dryStarted) / 1e6;
    if (dry.statusCode() != 200) {
      throw new IllegalStateException("the dry run answered " + dry.statusCode() + ": " + dry.body());
    }
    int dryMatched = BatchStatus.parse(dry.body()).matched();
    String dryNotes = String.format(Locale.ROOT, "matched %,d of the %,d queued: %s", dryMatched, count,
        dryMatched == count ? "exact" : "NOT EXACT");
    if (what == Case.FROM_LOG) {
      table.figure(BulkTargets.LARGE_DRY_RUN_MS, dryMs);
      table.figure(BulkTargets.LARGE_DRY_RUN_MATCHED, dryMatched);
      dryNotes += "; " + BulkTargets.beside(BulkTargets.dryRun(table.figures()));
    }
    table.add(SECTION, what.row("dry run of the filter -> 200"), Latency.ms(dryMs) + " ms", dryNotes);
    table.detail(SECTION, what.key("dry_run_ms"), Math.round(dryMs * 10) / 10.0);
    table.detail(SECTION, what.key("dry_run_matched"), dryMatched);

    try (PipelineWatch watch = new PipelineWatch(kafka.bootstrapServers(), topics, settings.partitions())) {
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      List<CancelProbe> probes = new ArrayList<>(count);
      for (String taskId : ids) {
        probes.add(new CancelProbe(taskId, start));
      }
      watch.watch(probes);
      String body = "{\"filter\":" + filter + ",\"reason\":\"benchmark bulk\"}";
      while (System.nanoTime() - start < 0) {
        Thread.onSpinWait();
      }
      // The CPU per task is the api-created case's figure, beside the burst's; the other would only repeat it.
      CpuMeter.Window window = what == Case.THROUGH_API ? cpu.start() : null;
      long sent = System.nanoTime();
      HttpResponse<String> answer = api.send(api.createBatch(body));
      long answered = System.nanoTime();
      if (answer.statusCode() != 202) {
        if (window != null) {
          window.stop();
        }
        throw new IllegalStateException("the batch answered " + answer.statusCode() + ": " + answer.body());
      }
      // Every target was requested by the one request, and acknowledged by its 202.
      for (CancelProbe probe : probes) {
        probe.sent = sent;
        probe.answered = answered;
        probe.status = answer.statusCode();
      }
      BatchStatus batch = BatchStatus.parse(answer.body());
      long completedSeen = 0;
      long deadline = answered + settings.drainTimeout().toNanos();
      while (System.nanoTime() - deadline < 0) {
        if (completedSeen == 0) {
          batch = BatchStatus.parse(api.send(api.getBatch(batch.batchId())).body());
          if (batch.done()) {
            completedSeen = System.nanoTime();
          }
        }
        if (completedSeen != 0 && probes.stream().allMatch(CancelProbe::settled)) {
          break;
        }
        Thread.sleep(POLL.toMillis());
      }
      kafka.awaitQuiet(quiet, CPU_QUIET, QUIET_TIMEOUT);
      CpuUsage usage = window == null ? null : window.stop();
      watch.unwatch(probes);
      if (completedSeen == 0) {
        batch = BatchStatus.parse(api.send(api.getBatch(batch.batchId())).body());
      }
      probes.stream().filter(p -> p.inView != 0).forEach(p -> shown.add(p.taskId));
      report(what, count, probes, sent, answered, completedSeen, batch, usage);
    }
  }

  private void report(Case what, int count, List<CancelProbe> probes, long sent, long answered, long completedSeen,
                      BatchStatus batch, CpuUsage usage) {
    StepResult result = StepResult.of(0, probes, Double.MAX_VALUE);
    long firstShown = probes.stream().mapToLong(p -> p.inView).filter(t -> t != 0).min().orElse(0);
    long lastShown = probes.stream().mapToLong(p -> p.inView).max().orElse(0);
    boolean allShown = result.inView() == count;
    double acceptedMs = (answered - sent) / 1e6;
    double allShownMs = allShown ? (lastShown - sent) / 1e6 : Double.NaN;
    double fromAcceptedMs = allShown ? (lastShown - answered) / 1e6 : Double.NaN;
    table.figure(what.shownFigure, fromAcceptedMs);
    if (what == Case.THROUGH_API) {
      table.figure(BulkTargets.QUEUED_TASKS, count);
    }
    table.add(SECTION, what.row("POST /v1/cancellation_batches (filter) -> 202"), Latency.ms(acceptedMs) + " ms",
        String.format(Locale.ROOT, "%,d targets fixed (matched); the targets are resolved and recorded before it",
            batch.matched()));
    String shownNotes = what == Case.THROUGH_API ? String.format(Locale.ROOT,
        "%,d queued tasks, one request; %,d shown cancelled; 202 -> last shown %s (issue 11 asks <= 1 s for "
            + "20,000); comparable with the burst's first cancel sent -> last shown", count, result.inView(),
        allShown ? seconds(fromAcceptedMs) : "-")
        : String.format(Locale.ROOT, "%,d queued tasks written to the log, one request; %,d shown cancelled; "
            + "202 -> last shown %s; %s", count, result.inView(), allShown ? seconds(fromAcceptedMs) : "-",
        BulkTargets.beside(BulkTargets.large(table.figures())));
    table.add(SECTION, what.row("batch request sent -> the view shows the last target cancelled"),
        allShown ? seconds(allShownMs) : "not all shown", shownNotes);
    table.add(SECTION, what.row("first target shown cancelled -> last one"), firstShown == 0 ? "none shown"
        : seconds((lastShown - firstShown) / 1e6), "the view topic, as a plain consumer reads it");
    table.add(SECTION, what.row("each target, from the batch request -> view shows cancelled"),
        result.toView().summary(), "log " + pair(result.toLog())
            + " ms (p50/p99): TaskCancelled committed (read_committed)");
    Duration serverTook = batch.serverTook();
    table.add(SECTION, what.row("batch request sent -> GET says " + (batch.status() == null ? "?" : batch.status())),
        completedSeen == 0 ? "not done within " + settings.drainTimeout().toSeconds() + " s"
            : seconds((completedSeen - sent) / 1e6), String.format(Locale.ROOT, "polled every %d ms; the batch's "
            + "own created_at -> completed_at %s; counts: %s", POLL.toMillis(),
            serverTook == null ? "-" : seconds(serverTook.toNanos() / 1e6), batch.nonZeroCounts()));
    if (usage != null) {
      long cancelled = batch.cancelled() > 0 ? batch.cancelled() : result.inView();
      double cpuMs = usage.addTo(table, SECTION, "cancelled task", cancelled, CpuUsage.Counted.SERVICES);
      compareWithBurst(allShownMs, count, cpuMs);
    }
    table.detail(SECTION, what.key("accepted_ms"), Math.round(acceptedMs * 10) / 10.0);
    table.detail(SECTION, what.key("all_shown_ms"), allShown ? Math.round(allShownMs) : null);
    table.detail(SECTION, what.key("accepted_to_all_shown_ms"), allShown ? Math.round(fromAcceptedMs) : null);
    table.detail(SECTION, what.key("first_to_last_shown_ms"),
        firstShown == 0 ? null : Math.round((lastShown - firstShown) / 1e6));
    table.detail(SECTION, what.key("completed_seen_ms"),
        completedSeen == 0 ? null : Math.round((completedSeen - sent) / 1e6));
    table.detail(SECTION, what.key("server_completed_ms"), serverTook == null ? null : serverTook.toMillis());
    table.detail(SECTION, what.key("batch"), Map.of("batch_id", String.valueOf(batch.batchId()), "status",
        String.valueOf(batch.status()), "matched", batch.matched(), "counts", batch.counts()));
    table.detail(SECTION, what.key("result"), result.toMap());
    log.info("{}: {} tasks, 202 after {} ms, all shown after {} ms, batch {}", SECTION, count,
        Latency.ms(acceptedMs), Latency.ms(allShownMs), batch.status());
  }

  /** Which workload a measurement is of: how its rows, details and figures are named. */
  private enum Case {
    /** Created through the api: the rows and details keep the names they had before the larger case. */
    THROUGH_API("", "", BulkTargets.QUEUED_MS),
    /** Written straight to the log. */
    FROM_LOG("log-written: ", "large_", BulkTargets.LARGE_MS);

    private final String rowPrefix;
    private final String keyPrefix;
    private final String shownFigure;

    Case(String rowPrefix, String keyPrefix, String shownFigure) {
      this.rowPrefix = rowPrefix;
      this.keyPrefix = keyPrefix;
      this.shownFigure = shownFigure;
    }

    String row(String measure) {
      return rowPrefix + measure;
    }

    String key(String detail) {
      return keyPrefix + detail;
    }
  }


  /** The ratio row, when the burst ran before in this run. */
  private void compareWithBurst(double allShownMs, int count, double cpuMs) {
    Map<String, Double> figures = table.figures();
    Double burstTasks = figures.get(Targets.BURST_TASKS);
    if (burstTasks == null) {
      return;
    }
    BulkVsBurst both = new BulkVsBurst(allShownMs, count, cpuMs, figures.getOrDefault(Targets.BURST_MS, Double.NaN), burstTasks.intValue(),
        figures.getOrDefault(Targets.CPU_CANCEL, Double.NaN));
    table.add(SECTION, "bulk / burst time ratio, same run", both.timeRatio().orElse("not comparable"),
        both.notes());
  }

  private static String seconds(double ms) {
    return String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  private static String pair(Latency latency) {
    return Latency.ms(latency.p50Ms()) + "/" + Latency.ms(latency.p99Ms());
  }
}
