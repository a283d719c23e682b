package dev.quench.benchmark.cancel;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.report.BulkTargets;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.benchmark.stop.StopProbes;
import dev.quench.events.wire.Topics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk section's batch over running tasks: {@code settings.bulkRunning()} tasks of the stop section's probe
 * handler, all running at once (the worker has as many slots, {@link BenchmarkSettings#workerSlots()}), cancelled by
 * one {@code POST /v1/cancellation_batches} naming their ids. Each handler's own thread records when it saw its token
 * fire; timed from the batch's 202 (issue 11's acceptance) and from its send. Needs the slots free: it runs after
 * the long sleeps are let go.
 */
public final class RunningBatchBenchmark {

  private static final Logger log = LoggerFactory.getLogger(RunningBatchBenchmark.class);
  private static final String SECTION = "bulk";
  private static final long START_TIMEOUT_MS = 60_000;
  private static final long STOP_TIMEOUT_MS = 30_000;
  private static final Duration POLL = Duration.ofMillis(50);
  // As before the stop section's cancels: the batch is timed alone, not against the wave of starts just before.
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);

  private final BenchmarkSettings settings;
  private final ApiClient api;
  private final Kafka kafka;
  private final Topics topics;
  private final ResultTable table;

  public RunningBatchBenchmark(BenchmarkSettings settings, ApiClient api, Kafka kafka, Topics topics,
                               ResultTable table) {
    this.settings = settings;
    this.api = api;
    this.kafka = kafka;
    this.topics = topics;
    this.table = table;
  }

  public void run() throws IOException, InterruptedException {
    int count = settings.bulkRunning();
    List<String> ids = startAll(count);
    try {
      measure(ids);
    } finally {
      ids.forEach(StopProbes::forget);
    }
  }

  private void measure(List<String> ids) throws IOException, InterruptedException {
    kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view(), topics.batches()), QUIET,
        QUIET_TIMEOUT);
    StringBuilder body = new StringBuilder("{\"task_ids\":[");
    for (int i = 0; i < ids.size(); i++) {
      body.append(i == 0 ? "\"" : ",\"").append(ids.get(i)).append('"');
    }
    body.append("],\"reason\":\"benchmark bulk running\"}");
    long sent = System.nanoTime();
    HttpResponse<String> answer = api.send(api.createBatch(body.toString()));
    long answered = System.nanoTime();
    if (answer.statusCode() != 202) {
      throw new IllegalStateException("the batch answered " + answer.statusCode() + ": " + answer.body());
    }
    BatchStatus batch = BatchStatus.parse(answer.body());
    Histogram fromAccepted = Latency.histogram();
    Histogram fromSent = Latency.histogram();
    Histogram fired = Latency.histogram();
    int lost = 0;
    int beforeAccepted = 0;
    for (String id : ids) {
      StopProbes.Probe probe = StopProbes.of(id);
      if (!probe.awaitObserved(STOP_TIMEOUT_MS)) {
        lost++;
        log.warn("task {} did not see its batch's cancel within {} ms", id, STOP_TIMEOUT_MS);
        continue;
      }
      // The worker may act on the recorded targets before the 202 reaches the client: that counts as zero.
      if (probe.observedAt() < answered) {
        beforeAccepted++;
      }
      Latency.record(fromAccepted, probe.observedAt() - answered);
      Latency.record(fromSent, probe.observedAt() - sent);
      if (probe.firedAt() != 0) {
        Latency.record(fired, probe.firedAt() - sent);
      }
    }
    long completedSeen = 0;
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    while (System.nanoTime() - deadline < 0) {
      batch = BatchStatus.parse(api.send(api.getBatch(batch.batchId())).body());
      if (batch.done()) {
        completedSeen = System.nanoTime();
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    report(ids.size(), sent, answered, batch, completedSeen, Latency.of(fromAccepted), Latency.of(fromSent),
        Latency.of(fired), lost, beforeAccepted);
  }

  private void report(int count, long sent, long answered, BatchStatus batch, long completedSeen, Latency observed,
                      Latency fromSent, Latency fired, int lost, int beforeAccepted) {
    table.figure(BulkTargets.RUNNING_TASKS, count);
    table.figure(BulkTargets.RUNNING_P99, observed.p99Ms());
    double acceptedMs = (answered - sent) / 1e6;
    table.add(SECTION, "running: POST /v1/cancellation_batches (task_ids) -> 202", Latency.ms(acceptedMs) + " ms",
        String.format(Locale.ROOT, "%,d running %s tasks named by id, all running at once (%d worker slots)",
            count, StopProbes.CAPABILITY, settings.workerSlots()));
    table.add(SECTION, "running: batch 202 -> each handler thread observed its token", observed.summary(),
        String.format(Locale.ROOT, "%,d of %,d observed%s%s; %s", observed.count(), count,
            lost == 0 ? "" : "; " + lost + " never stopped",
            beforeAccepted == 0 ? "" : "; " + beforeAccepted + " before the 202 arrived (counted as 0)",
            BulkTargets.beside(BulkTargets.running(table.figures()))));
    table.add(SECTION, "running: batch request sent -> handler observed / worker fired the token",
        fromSent.shortSummary(), "fired " + fired.shortSummary() + ": the token's callback, on the thread that "
            + "fired it");
    Duration serverTook = batch.serverTook();
    table.add(SECTION, "running: batch request sent -> GET says " + (batch.status() == null ? "?" : batch.status()),
        completedSeen == 0 ? "not done within " + settings.drainTimeout().toSeconds() + " s"
            : String.format(Locale.ROOT, "%.2f s", (completedSeen - sent) / 1e9),
        String.format(Locale.ROOT, "polled every %d ms, from once every handler stopped; created_at -> "
            + "completed_at %s; counts: %s", POLL.toMillis(), serverTook == null ? "-"
            : String.format(Locale.ROOT, "%.2f s", serverTook.toMillis() / 1000.0), batch.nonZeroCounts()));
    table.detail(SECTION, "running_tasks", count);
    table.detail(SECTION, "running_lost", lost);
    table.detail(SECTION, "running_accepted_ms", Math.round(acceptedMs * 10) / 10.0);
    table.detail(SECTION, "running_accepted_to_observed", observed.toMap());
    table.detail(SECTION, "running_sent_to_observed", fromSent.toMap());
    table.detail(SECTION, "running_sent_to_fired", fired.toMap());
    table.detail(SECTION, "running_batch_counts", batch.counts());
    log.info("{}: batch over {} running tasks, 202 after {} ms, observed {}", SECTION, count,
        Latency.ms(acceptedMs), observed.summary());
  }

  /** Creates the probe tasks and waits until each one's handler runs. */
  private List<String> startAll(int count) throws InterruptedException {
    List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sends.add(api.sendAsync(api.create(StopProbes.CAPABILITY, "{}")));
    }
    List<String> ids = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> send : sends) {
      HttpResponse<String> response = send.join();
      String id = ApiClient.taskId(response.body());
      if (response.statusCode() / 100 != 2 || id == null) {
        throw new IllegalStateException("creating a probe task answered " + response.statusCode() + ": "
            + response.body());
      }
      ids.add(id);
    }
    for (String id : ids) {
      if (!StopProbes.of(id).awaitStarted(START_TIMEOUT_MS)) {
        throw new IllegalStateException("probe task " + id + " did not start within " + START_TIMEOUT_MS
            + " ms: are the worker's slots (" + settings.workerSlots() + ") taken?");
      }
    }
    return ids;
  }
}
