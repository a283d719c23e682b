package dev.quench.benchmark.stop;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.load.OpenLoop;
import dev.quench.benchmark.profile.ThreadSampler;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.events.wire.Topics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How fast a cancel reaches a running task: rounds of as many {@code bench-stop} tasks as the worker has slots, all
 * running, then cancelled open loop at a modest rate, each timed from its due send time to the moment the worker
 * fired its token and the moment the handler's own thread saw it. Both clocks are this JVM's: the worker runs here.
 * Between the start of a round's tasks and their cancels the pipeline is left to go quiet, as before each cancel step:
 * the round measures cancels, not their contention with the wave of starts just before.
 */
public final class RunningStopBenchmark {

  private static final Logger log = LoggerFactory.getLogger(RunningStopBenchmark.class);
  private static final String SECTION = "stop";
  private static final long START_TIMEOUT_MS = 60_000;
  private static final long STOP_TIMEOUT_MS = 30_000;
  private static final String OWNER_THREAD = "quench-worker-owner";
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);

  private final BenchmarkSettings settings;
  private final ApiClient api;
  private final ResultTable table;
  private final Kafka kafka;
  private final Topics topics;

  public RunningStopBenchmark(BenchmarkSettings settings, ApiClient api, ResultTable table, Kafka kafka,
                              Topics topics) {
    this.settings = settings;
    this.kafka = kafka;
    this.topics = topics;
    this.api = api;
    this.table = table;
  }

  public void run() throws InterruptedException {
    Histogram fired = Latency.histogram();
    Histogram observed = Latency.histogram();
    Histogram acked = Latency.histogram();
    Histogram sendLag = Latency.histogram();
    Histogram dispatch = Latency.histogram();
    AtomicInteger notAcknowledged = new AtomicInteger();
    int lost = 0;
    int done = 0;
    ThreadSampler sampler = new ThreadSampler(List.of(OWNER_THREAD));
    while (done < settings.stopTasks()) {
      int size = Math.min(settings.workerConcurrency(), settings.stopTasks() - done);
      Map<String, Long> created = createRunning(size, dispatch);
      List<String> ids = new ArrayList<>(created.keySet());
      kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), QUIET, QUIET_TIMEOUT);
      OpenLoop loop = new OpenLoop(System.nanoTime() + 20_000_000, settings.stopRate());
      AtomicLongArray ackedAt = new AtomicLongArray(ids.size());
      List<CompletableFuture<?>> answers = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        loop.awaitDue(i);
        Latency.record(sendLag, System.nanoTime() - loop.dueAt(i));
        int index = i;
        answers.add(api.sendAsync(api.cancel(ids.get(i))).whenComplete((response, error) -> {
          if (error == null && response.statusCode() / 100 == 2) {
            ackedAt.set(index, System.nanoTime());
          } else {
            notAcknowledged.incrementAndGet();
          }
        }));
      }
      for (int i = 0; i < ids.size(); i++) {
        StopProbes.Probe probe = StopProbes.of(ids.get(i));
        if (!probe.awaitObserved(STOP_TIMEOUT_MS)) {
          lost++;
          log.warn("task {} did not see its cancel within {} ms", ids.get(i), STOP_TIMEOUT_MS);
          continue;
        }
        long due = loop.dueAt(i);
        Latency.record(fired, probe.firedAt() - due);
        Latency.record(observed, probe.observedAt() - due);
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
      for (int i = 0; i < ids.size(); i++) {
        if (ackedAt.get(i) != 0) {
          Latency.record(acked, ackedAt.get(i) - loop.dueAt(i));
        }
        StopProbes.forget(ids.get(i));
      }
      done += size;
    }
    sampler.close();
    Map<String, Double> owner = sampler.shares().getOrDefault(OWNER_THREAD, Map.of());

    Latency firedLatency = Latency.of(fired);
    Latency observedLatency = Latency.of(observed);
    String notes = settings.stopTasks() + " running tasks, rounds of " + settings.workerConcurrency() + ", cancels at "
        + settings.stopRate() + "/s once the round's starts are written" + (lost == 0 ? "" : "; " + lost + " never stopped")
        + (notAcknowledged.get() == 0 ? "" : "; " + notAcknowledged.get() + " cancels not 2xx");
    table.add(SECTION, "cancel sent -> handler thread observed its token", observedLatency.summary(), notes);
    table.add(SECTION, "cancel sent -> worker fired the token", firedLatency.summary(),
        "the token's callback, on the thread that fired it: the worker's cancel watch, or its owner thread");
    table.add(SECTION, "cancel sent -> HTTP 2xx", Latency.of(acked).summary(), "");
    table.add(SECTION, "create -> handler running (free slot)", Latency.of(dispatch).summary(),
        "from the create's send to the handler's first line");
    table.add(SECTION, "client send lag", Latency.of(sendLag).shortSummary(), "actual minus due send time");
    table.add(SECTION, "where the worker's owner thread was (sampled)", ThreadSampler.summary(owner),
        "the thread that polls cancels and fires tokens");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("tasks", settings.stopTasks());
    details.put("lost", lost);
    details.put("not_acknowledged", notAcknowledged.get());
    details.put("cancel_to_handler_observed", observedLatency.toMap());
    details.put("cancel_to_token_fired", firedLatency.toMap());
    details.put("cancel_to_http_2xx", Latency.of(acked).toMap());
    details.put("create_to_handler_running", Latency.of(dispatch).toMap());
    details.put("client_send_lag", Latency.of(sendLag).toMap());
    details.put("worker_owner_thread_percent", owner);
    details.forEach((key, value) -> table.detail(SECTION, key, value));
    table.figure(Targets.STOP_P99, observedLatency.p99Ms());
  }

  /** Creates {@code size} probe tasks and waits until each runs; returns their ids with the creates' send times. */
  private Map<String, Long> createRunning(int size, Histogram dispatch) throws InterruptedException {
    Map<String, Long> created = new LinkedHashMap<>();
    List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
    List<Long> sentAt = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      sentAt.add(System.nanoTime());
      sends.add(api.sendAsync(api.create(StopProbes.CAPABILITY, "{}")));
    }
    for (int i = 0; i < size; i++) {
      HttpResponse<String> response = sends.get(i).join();
      String id = ApiClient.taskId(response.body());
      if (response.statusCode() / 100 != 2 || id == null) {
        throw new IllegalStateException("creating a probe task answered " + response.statusCode() + ": "
            + response.body());
      }
      created.put(id, sentAt.get(i));
    }
    for (Map.Entry<String, Long> task : created.entrySet()) {
      StopProbes.Probe probe = StopProbes.of(task.getKey());
      if (!probe.awaitStarted(START_TIMEOUT_MS)) {
        throw new IllegalStateException("probe task " + task.getKey() + " did not start within " + START_TIMEOUT_MS
            + " ms: are the worker's slots taken?");
      }
      Latency.record(dispatch, probe.startedAt() - task.getValue());
    }
    return created;
  }
}
