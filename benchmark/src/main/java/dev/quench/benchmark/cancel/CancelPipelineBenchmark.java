package dev.quench.benchmark.cancel;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.cpu.CpuMeter;
import dev.quench.benchmark.cpu.CpuUsage;
import dev.quench.benchmark.creates.TaskCreator;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.load.OpenLoop;
import dev.quench.benchmark.profile.ThreadSampler;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.events.wire.Topics;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cancel pipeline end to end: queued tasks cancelled open loop at a fixed rate, each timed from its due send
 * time until a plain consumer of the view topic sees the task {@code cancelled}; stepped up from the first rate until
 * a step fails (a cancel not acknowledged or not shown, or p99 over the target), or down by halves if the first one
 * fails. The highest passing rate is the sustained rate.
 *
 * <p>Before each step, enough queued tasks are created (closed loop) and the pipeline is left to go quiet, so a step
 * measures cancels alone.
 */
public final class CancelPipelineBenchmark {

  private static final Logger log = LoggerFactory.getLogger(CancelPipelineBenchmark.class);
  private static final String SECTION = "cancel";
  // Beyond it the client waits, and the wait shows as send lag (counted: latency runs from the due send time). At
  // the p99 target, even the highest rate needs fewer.
  private static final int MAX_IN_FLIGHT = ApiClient.MAX_CONNECTIONS;
  private static final Duration QUIET = Duration.ofSeconds(1);
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(180);
  // Ends the burst's CPU window: short, since its idle tail counts too.
  private static final Duration CPU_QUIET = Duration.ofMillis(500);

  private final BenchmarkSettings settings;
  private final ApiClient api;
  private final TaskCreator creator;
  private final Kafka kafka;
  private final Topics topics;
  private final ResultTable table;
  private final Deque<String> queued;
  private final CpuMeter cpu;
  private final List<Integer> ranRates = new ArrayList<>();
  private PipelineWatch.Sizes sizes;

  /** @param queued tasks known to be queued; taken from the front, topped up as steps need */
  public CancelPipelineBenchmark(BenchmarkSettings settings, ApiClient api, TaskCreator creator, Kafka kafka,
                                 Topics topics, ResultTable table, Deque<String> queued, CpuMeter cpu) {
    this.settings = settings;
    this.api = api;
    this.creator = creator;
    this.kafka = kafka;
    this.topics = topics;
    this.table = table;
    this.queued = queued;
    this.cpu = cpu;
  }

  /** The rates this section ran, recorded steps only. */
  public List<Integer> ranRates() {
    return List.copyOf(ranRates);
  }

  /**
   * The total bytes (value and headers) of a cancel's records as the pipeline wrote them: the request, the
   * outcome in the log, the view; 0 for what no step saw.
   */
  public int[] measuredSizes() {
    return sizes == null ? new int[3] : new int[] {sizes.request(), sizes.outcome(), sizes.view()};
  }

  public void run() throws InterruptedException {
    try (PipelineWatch watch = new PipelineWatch(kafka.bootstrapServers(), topics, settings.partitions())) {
      List<Integer> ladder = settings.cancelRates().stream().sorted().toList();
      int first = ladder.get(0);
      if (!settings.warmup().isZero()) {
        log.info("cancel warm-up: {}/s for {}", first, settings.warmup());
        step(watch, first, settings.warmup());
      }
      List<StepResult> results = new ArrayList<>();
      StepResult result = record(watch, first, results);
      if (result.passed()) {
        for (int rate : ladder.subList(1, ladder.size())) {
          if (!record(watch, rate, results).passed()) {
            break;
          }
        }
      } else {
        for (int rate = first / 2; rate >= settings.minRate(); rate /= 2) {
          if (record(watch, rate, results).passed()) {
            break;
          }
        }
      }
      sizes = watch.sizes();
      int sustained = results.stream().filter(StepResult::passed).mapToInt(StepResult::rate).max().orElse(0);
      List<String> path = results.stream().map(r -> r.rate() + (r.passed() ? "" : " (failed)")).toList();
      table.add(SECTION, "max sustained cancel rate (all 2xx, all shown, p99 to view < "
              + settings.p99Target().toMillis() + " ms)",
          sustained == 0 ? "none of the rates tried" : String.format(Locale.ROOT, "%,d cancels/s", sustained),
          "stepped " + String.join(" -> ", path) + "; " + settings.stepDuration().toSeconds() + " s per step");
      table.detail(SECTION, "max_sustained_rate_per_s", sustained);
      table.figure(Targets.CANCELS_SUSTAINED, sustained);
      table.detail(SECTION, "steps", results.stream().map(StepResult::toMap).toList());
    }
  }

  /**
   * A customer aborting a batch: {@code settings.burstTasks()} queued tasks cancelled by one client as fast as it
   * can ({@code settings.burstInFlight()} requests in flight), timed from the first request until the view shows the
   * last one {@code cancelled}. Every probe is due at the first send, so each latency is time since the burst began.
   * Its CPU is measured from the first send until the view shows the last cancel and the topics have gone quiet.
   */
  public void burst() throws InterruptedException {
    String section = "burst";
    int count = settings.burstTasks();
    topUp(count);
    try (PipelineWatch watch = new PipelineWatch(kafka.bootstrapServers(), topics, settings.partitions())) {
      List<CancelProbe> probes = new ArrayList<>(count);
      List<HttpRequest> requests = new ArrayList<>(count);
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
      for (int i = 0; i < count; i++) {
        String taskId = queued.pollFirst();
        probes.add(new CancelProbe(taskId, start));
        requests.add(api.cancel(taskId));
      }
      watch.watch(probes);
      Semaphore inFlight = new Semaphore(settings.burstInFlight());
      ThreadSampler sampler = new ThreadSampler(ThreadSampler.PIPELINE_THREADS);
      while (System.nanoTime() - start < 0) {
        Thread.onSpinWait();
      }
      CpuMeter.Window window = cpu.start();
      for (int i = 0; i < count; i++) {
        send(probes.get(i), requests.get(i), inFlight);
      }
      long lastSent = System.nanoTime();
      sampler.close();
      long deadline = lastSent + settings.drainTimeout().toNanos();
      while (System.nanoTime() - deadline < 0 && !probes.stream().allMatch(CancelProbe::settled)) {
        Thread.sleep(20);
      }
      kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), CPU_QUIET, QUIET_TIMEOUT);
      CpuUsage usage = window.stop();
      watch.unwatch(probes);
      StepResult result = StepResult.of(0, probes, Double.MAX_VALUE).withThreads(sampler.shares());
      long firstSent = probes.stream().mapToLong(p -> p.sent).min().orElse(start);
      long lastShown = probes.stream().mapToLong(p -> p.inView).max().orElse(0);
      boolean allShown = result.inView() == count && result.acknowledged() == count;
      double allShownMs = allShown ? (lastShown - firstSent) / 1e6 : Double.NaN;
      boolean passed = allShown && allShownMs <= settings.burstTarget().toMillis();
      String sent = String.format(Locale.ROOT, "%,d queued tasks, %d in flight; %,d sent at %,.0f/s, %,d 2xx, %,d "
              + "shown cancelled%s; target %d s: %s", count, settings.burstInFlight(), result.sent(),
          result.sendRate(), result.acknowledged(), result.inView(),
          result.refused().isEmpty() ? "" : ", refused " + result.refused(), settings.burstTarget().toSeconds(),
          passed ? "PASS" : "FAIL");
      table.add(section, "first cancel sent -> the view shows the last one cancelled",
          allShown ? String.format(Locale.ROOT, "%.2f s", allShownMs / 1000) : "not all shown", sent);
      table.add(section, "each cancel, from the burst's start -> view shows cancelled", result.toView().summary(),
          "2xx " + pair(result.toAnswer()) + " · requests topic " + pair(result.toRequests()) + " · log "
              + pair(result.toLog()) + " ms (p50/p99)");
      table.add(section, "where the worker's owner thread was (sampled while sending)",
          ThreadSampler.summary(result.threads().getOrDefault("quench-worker-owner", Map.of())), "");
      table.add(section, "where the projector's thread was (sampled while sending)",
          ThreadSampler.summary(result.threads().getOrDefault("quench-projector", Map.of())), "");
      table.detail(section, "all_shown_ms", allShown ? Math.round(allShownMs) : null);
      table.figure(Targets.BURST_MS, allShownMs);
      table.figure(Targets.BURST_TASKS, count);
      table.figure(Targets.CPU_CANCEL, usage.addTo(table, section, "cancel", result.acknowledged(),
          CpuUsage.Counted.SERVICES));
      table.detail(section, "passed", passed);
      table.detail(section, "result", result.toMap());
      log.info("{}: {}", section, sent);
    }
  }

  private StepResult record(PipelineWatch watch, int rate, List<StepResult> results) throws InterruptedException {
    StepResult result = step(watch, rate, settings.stepDuration());
    Map<String, Map<String, Double>> threads = result.threads();
    ranRates.add(rate);
    if (rate == 1000) {
      table.figure(Targets.CANCEL_1000_P99, result.toView().p99Ms());
    }
    results.add(result);
    String step = SECTION + " @" + String.format(Locale.ROOT, "%,d", rate) + "/s";
    String outcome = String.format(Locale.ROOT, "%,d sent at %,.0f/s, %,d 2xx, %,d shown cancelled%s; %s",
        result.sent(), result.sendRate(), result.acknowledged(), result.inView(),
        result.refused().isEmpty() ? "" : ", refused " + result.refused(), result.passed() ? "PASS" : "FAIL");
    table.add(step, "due send -> view shows cancelled", result.toView().summary(), outcome);
    table.add(step, "p50/p99 by stage, from due send", "2xx " + pair(result.toAnswer()) + " · requests topic "
        + pair(result.toRequests()) + " · log " + pair(result.toLog()) + " · view " + pair(result.toView()) + " ms",
        "HTTP answer; CancelRequested readable; TaskCancelled committed (read_committed); view shows cancelled");
    table.add(step, "client send lag", result.sendLag().summary(), "actual minus due send time");
    table.add(step, "where the worker's owner thread was (sampled while sending)",
        ThreadSampler.summary(threads.getOrDefault("quench-worker-owner", Map.of())), "");
    table.add(step, "where the projector's thread was (sampled while sending)",
        ThreadSampler.summary(threads.getOrDefault("quench-projector", Map.of())), "");
    log.info("{}: {} -> view {}", step, outcome, result.toView().summary());
    return result;
  }

  private static String pair(Latency latency) {
    return Latency.ms(latency.p50Ms()) + "/" + Latency.ms(latency.p99Ms());
  }

  private StepResult step(PipelineWatch watch, int rate, Duration duration) throws InterruptedException {
    int count = (int) Math.max(1, rate * duration.toMillis() / 1000);
    topUp(count);
    List<String> taskIds = new ArrayList<>(count);
    List<HttpRequest> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      taskIds.add(queued.pollFirst());
      requests.add(api.cancel(taskIds.get(i)));
    }
    List<CancelProbe> probes = new ArrayList<>(count);
    OpenLoop loop = new OpenLoop(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100), rate);
    for (int i = 0; i < count; i++) {
      probes.add(new CancelProbe(taskIds.get(i), loop.dueAt(i)));
    }
    watch.watch(probes);
    Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    ThreadSampler sampler = new ThreadSampler(ThreadSampler.PIPELINE_THREADS);
    for (int i = 0; i < count; i++) {
      loop.awaitDue(i);
      send(probes.get(i), requests.get(i), inFlight);
    }
    // What follows is draining, not the rate.
    sampler.close();
    long deadline = loop.dueAt(count - 1) + settings.drainTimeout().toNanos();
    while (System.nanoTime() - deadline < 0 && !probes.stream().allMatch(CancelProbe::settled)) {
      Thread.sleep(50);
    }
    watch.unwatch(probes);
    return StepResult.of(rate, probes, settings.p99Target().toNanos() / 1e6).withThreads(sampler.shares());
  }

  /** Cancels every task still queued and waits until the pipeline has written their ends. */
  public void cancelQueued() throws InterruptedException {
    Semaphore inFlight = new Semaphore(settings.burstInFlight());
    List<CancelProbe> probes = new ArrayList<>();
    for (String taskId = queued.pollFirst(); taskId != null; taskId = queued.pollFirst()) {
      CancelProbe probe = new CancelProbe(taskId, System.nanoTime());
      probes.add(probe);
      send(probe, api.cancel(taskId), inFlight);
    }
    inFlight.acquire(settings.burstInFlight());
    log.info("cancelled the {} tasks still queued", probes.size());
    kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), QUIET, QUIET_TIMEOUT);
  }

  /** Sends one cancel once a slot is free, and notes when it went and how it was answered. */
  private void send(CancelProbe probe, HttpRequest request, Semaphore inFlight) throws InterruptedException {
    inFlight.acquire();
    probe.sent = System.nanoTime();
    api.sendAsync(request).whenComplete((response, error) -> {
      probe.answered = System.nanoTime();
      probe.status = error == null ? response.statusCode() : 0;
      inFlight.release();
    });
  }

  /** Queues more tasks if the step needs them, then lets the pipeline finish with them. */
  private void topUp(int needed) throws InterruptedException {
    int missing = needed - queued.size();
    if (missing > 0) {
      TaskCreator.Result created = creator.create(missing, Duration.ofHours(1), "sleep", TaskCreator.LONG_SLEEP,
          settings.createsInFlight());
      queued.addAll(created.ids());
      log.info("queued {} more tasks at {}/s", created.ids().size(), Math.round(created.perSecond()));
      if (created.ids().size() < missing) {
        throw new IllegalStateException("could not queue enough tasks: " + created.failed());
      }
    }
    kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), QUIET, QUIET_TIMEOUT);
  }
}
