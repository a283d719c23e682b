package dev.quench.benchmark.notify;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.cancel.SlotHog;
import dev.quench.benchmark.cpu.CpuMeter;
import dev.quench.benchmark.cpu.CpuUsage;
import dev.quench.benchmark.creates.TaskCreator;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.load.OpenLoop;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.events.wire.Topics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How fast quench tells its callers a task ended, in three steps, each timed from the task's terminal event on the
 * log: its record timestamp (CreateTime, stamped by the worker's producer when it appended the event in the
 * transaction that committed it; the worker runs in this JVM, so it is the clock the benchmark reads).
 *
 * <ol>
 *   <li><b>callbacks</b>: queued tasks that asked for a callback to a receiver in this JVM are ended by one
 *   cancellation batch paced at {@code --notify-rate} targets a second, for {@code --notify-duration}: terminal
 *   event → callback received;</li>
 *   <li><b>streams</b>: {@code --notify-streams} per-task event streams stay open on queued tasks while
 *   {@code --notify-stream-cancels} more, each on a task of its own, see their task cancelled: terminal event →
 *   the {@code event: task.cancelled} line at the client;</li>
 *   <li><b>wait</b>: running {@code sleep} tasks cancelled with {@code Prefer: wait=10}: terminal event (the
 *   handler stopped) → the 200 with the final state at the client.</li>
 * </ol>
 *
 * The first two hold every worker slot with long sleeps (the slot hog), so their tasks stay queued until cancelled;
 * the third needs the slots free. Needs the standalone to allow plain-http callbacks to 127.0.0.0/8, as the
 * benchmark's does.
 */
public final class NotifyBenchmark {

  private static final Logger log = LoggerFactory.getLogger(NotifyBenchmark.class);
  private static final String SECTION = "notify";
  private static final String SLEEP_TEN_MINUTES = "{\"duration_ms\":600000}";
  private static final int STREAM_CANCELS_PER_SECOND = 100;
  private static final int WAIT_CANCELS_PER_SECOND = 100;
  private static final int WAIT_SECONDS = 10;
  private static final Duration QUIET = Duration.ofMillis(500);
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration LIVE_TIMEOUT = Duration.ofSeconds(60);

  private final BenchmarkSettings settings;
  private final ApiClient api;
  private final TaskCreator creator;
  private final Kafka kafka;
  private final Topics topics;
  private final ResultTable table;
  private final CpuMeter cpu;

  public NotifyBenchmark(BenchmarkSettings settings, ApiClient api, TaskCreator creator, Kafka kafka, Topics topics,
                         ResultTable table, CpuMeter cpu) {
    this.settings = settings;
    this.api = api;
    this.creator = creator;
    this.kafka = kafka;
    this.topics = topics;
    this.table = table;
    this.cpu = cpu;
  }

  /** Needs every worker slot free: it takes them itself for the first two steps and frees them for the third. */
  public void run() throws IOException, InterruptedException {
    try (TerminalWatch watch = new TerminalWatch(kafka.bootstrapServers(), topics.log(), topics.view(),
        settings.partitions())) {
      SlotHog hog = new SlotHog(api);
      hog.occupy(settings.workerSlots());
      try (CallbackReceiver receiver = new CallbackReceiver()) {
        callbacks(receiver, watch);
        streams(watch);
      } finally {
        hog.release();
      }
      waits(watch);
    }
  }

  /** Queues {@code count} long sleeps of this campaign (a metadata value only they carry), with a callback or not. */
  private List<String> queue(int count, String campaign, String callbackUrl) throws InterruptedException {
    String metadata = "{\"team\":\"benchmark\",\"campaign\":\"" + campaign + "\"}";
    TaskCreator.Result created = creator.create(count, Duration.ofMinutes(5), callbackUrl == null
        ? api.create("sleep", TaskCreator.LONG_SLEEP, metadata)
        : api.create("sleep", TaskCreator.LONG_SLEEP, metadata, callbackUrl), settings.createsInFlight());
    if (created.ids().size() < count) {
      throw new IllegalStateException("could not queue " + count + " tasks: " + created.failed());
    }
    log.info("{}: queued {} tasks at {}/s", SECTION, count, Math.round(created.perSecond()));
    return created.ids();
  }

  private static String campaign(String step) {
    return "bench-notify-" + step + "-" + UUID.randomUUID();
  }

  /** One batch over the queued tasks of a campaign, at most {@code perSecond} targets a second (0: no cap). */
  private void cancelCampaign(String campaign, int perSecond) throws IOException, InterruptedException {
    String filter = "{\"status\":[\"queued\"],\"metadata\":{\"campaign\":\"" + campaign + "\"}}";
    HttpResponse<String> answer = api.send(api.createBatch("{\"filter\":" + filter + ",\"reason\":\"benchmark "
        + "notify\"" + (perSecond > 0 ? ",\"max_per_second\":" + perSecond : "") + "}"));
    if (answer.statusCode() != 202) {
      throw new IllegalStateException("the batch answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  // --- callbacks -----------------------------------------------------------------------------------------------

  private void callbacks(CallbackReceiver receiver, TerminalWatch watch) throws IOException, InterruptedException {
    int rate = settings.notifyRate();
    Duration step = settings.notifyDuration();
    int count = (int) Math.max(1, rate * step.toMillis() / 1000);
    String campaign = campaign("callbacks");
    List<String> ids = queue(count, campaign, receiver.url());
    kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), QUIET, QUIET_TIMEOUT);

    CpuMeter.Window window = cpu.start();
    // One request ends them all, paced by the workers: the client adds no load of its own while they end.
    cancelCampaign(campaign, rate);
    int notEnded = watch.awaitEnded(ids, step.plus(settings.drainTimeout()));
    long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
    while (System.nanoTime() - deadline < 0
        && ids.stream().anyMatch(id -> watch.of(id).terminalTimestampMillis != 0 && receiver.of(id) == null)) {
      Thread.sleep(20);
    }
    kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), QUIET, QUIET_TIMEOUT);
    CpuUsage usage = window.stop();

    long first = Long.MAX_VALUE;
    long last = 0;
    for (String id : ids) {
      long at = watch.of(id).terminalTimestampMillis;
      if (at != 0) {
        first = Math.min(first, at);
        last = Math.max(last, at);
      }
    }
    // The first moments of the step are the cold start of the batch's pacing and the deliverer's senders.
    long recordedFrom = first + settings.warmup().toMillis();
    Histogram latency = Latency.histogram();
    // The same span in two parts, where an outside read_committed consumer (the watch) reads the event: the part
    // before is the worker's transaction committing, the part after the deliverer's own.
    Histogram visible = Latency.histogram();
    Histogram afterVisible = Latency.histogram();
    int ended = 0;
    int missing = 0;
    int unrecorded = 0;
    for (String id : ids) {
      TerminalWatch.Seen seen = watch.of(id);
      long at = seen.terminalTimestampMillis;
      if (at == 0) {
        continue;
      }
      ended++;
      CallbackReceiver.Arrival arrival = receiver.of(id);
      if (arrival == null) {
        missing++;
      } else if (at < recordedFrom) {
        unrecorded++;
      } else {
        Latency.record(latency, TimeUnit.MILLISECONDS.toNanos(arrival.atMillis() - at));
        Latency.record(visible, TimeUnit.MILLISECONDS.toNanos(Math.max(0, seen.terminalReadMillis - at)));
        Latency.record(afterVisible, TimeUnit.MILLISECONDS.toNanos(Math.max(0,
            arrival.atMillis() - seen.terminalReadMillis)));
      }
    }
    double achieved = ended < 2 || last == first ? Double.NaN : (ended - 1) * 1000.0 / (last - first);
    Latency result = Latency.of(latency);
    table.add(SECTION, String.format(Locale.ROOT, "terminal event on the log (record timestamp) -> callback "
        + "received, @%,d terminal tasks/s", rate), result.summary(), String.format(Locale.ROOT,
        "%,d queued tasks with a callback, ended by one filter batch with max_per_second=%d; terminal events at "
            + "%.0f/s by their timestamps; the first %d ms unrecorded (%,d tasks); received %,d, duplicates %d "
            + "(same webhook-id), missing %d, unsigned %d, not ended %d", count, rate, achieved,
        settings.warmup().toMillis(), unrecorded, receiver.received(), receiver.duplicates(), missing,
        receiver.unsigned(), notEnded));
    table.add(SECTION, "  of which: terminal event's timestamp -> read by an outside read_committed consumer",
        Latency.of(visible).summary(), "the worker's transaction committing (and that consumer's fetch)");
    table.add(SECTION, "  of which: read by that consumer -> callback received", Latency.of(afterVisible).summary(),
        "the deliverer: its fetch, its turn, signing, the HTTP POST; the parts' percentiles do not add up");
    double cpuMs = usage.addTo(table, SECTION, "notified task", ended, CpuUsage.Counted.SERVICES);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("tasks", count);
    details.put("rate_per_s", rate);
    details.put("terminal_per_s", Double.isNaN(achieved) ? null : Math.round(achieved));
    details.put("ended", ended);
    details.put("received", receiver.received());
    details.put("duplicates", receiver.duplicates());
    details.put("missing", missing);
    details.put("not_ended", notEnded);
    details.put("latency", result.toMap());
    details.put("cpu_ms_per_task", Double.isNaN(cpuMs) ? null : cpuMs);
    table.detail(SECTION, "callbacks", details);
    table.figure(Targets.NOTIFY_CALLBACK_P99, missing > 0 || notEnded > 0 ? Double.NaN : result.p99Ms());
    table.figure(Targets.NOTIFY_CALLBACK_RATE, Double.isNaN(achieved) ? 0 : achieved);
    log.info("{}: callbacks of {} tasks at {}/s: {}", SECTION, count, Math.round(achieved), result.summary());
  }

  // --- event streams -------------------------------------------------------------------------------------------

  private void streams(TerminalWatch watch) throws IOException, InterruptedException {
    int idle = settings.notifyStreams();
    int measured = settings.notifyStreamCancels();
    String idleCampaign = campaign("streams-idle");
    List<String> idleIds = queue(idle, idleCampaign, null);
    List<String> measuredIds = queue(measured, campaign("streams"), null);
    try (EventStreamClient client = new EventStreamClient()) {
      List<EventStreamClient.Stream> idleStreams = new ArrayList<>();
      List<EventStreamClient.Stream> measuredStreams = new ArrayList<>();
      Histogram opened = Latency.histogram();
      long openStarted = System.nanoTime();
      for (String id : idleIds) {
        idleStreams.add(client.open(api.events(id)));
      }
      for (String id : measuredIds) {
        measuredStreams.add(client.open(api.events(id)));
      }
      List<EventStreamClient.Stream> all = new ArrayList<>(idleStreams);
      all.addAll(measuredStreams);
      long deadline = System.nanoTime() + LIVE_TIMEOUT.toNanos();
      while (System.nanoTime() - deadline < 0 && all.stream().anyMatch(s -> !s.live && !s.ended)) {
        Thread.sleep(10);
      }
      long notLive = all.stream().filter(s -> !s.live).count();
      all.stream().filter(s -> s.live).forEach(s -> Latency.record(opened, s.liveAtNanos - openStarted));
      kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), QUIET, QUIET_TIMEOUT);

      OpenLoop loop = new OpenLoop(System.nanoTime() + 20_000_000, STREAM_CANCELS_PER_SECOND);
      AtomicInteger notAcknowledged = new AtomicInteger();
      List<CompletableFuture<?>> answers = new ArrayList<>();
      for (int i = 0; i < measuredIds.size(); i++) {
        loop.awaitDue(i);
        answers.add(api.sendAsync(api.cancel(measuredIds.get(i))).whenComplete((response, error) -> {
          if (error != null || response.statusCode() / 100 != 2) {
            notAcknowledged.incrementAndGet();
          }
        }));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
      deadline = System.nanoTime() + settings.drainTimeout().toNanos();
      while (System.nanoTime() - deadline < 0
          && measuredStreams.stream().anyMatch(s -> s.terminalAtMillis == 0 && !s.ended)) {
        Thread.sleep(10);
      }
      watch.awaitEnded(measuredIds, Duration.ofSeconds(5));
      // The idle ones must still be open now: the figure is with that many open.
      long idleOpen = idleStreams.stream().filter(s -> s.live && !s.ended).count();

      StreamLatencies latencies = new StreamLatencies(watch, measuredIds, measuredStreams);
      Latency result = latencies.total();
      int notShown = latencies.notShown();
      table.add(SECTION, String.format(Locale.ROOT, "terminal event on the log (record timestamp) -> SSE event "
          + "at the client, %,d streams open", idleOpen), result.summary(), String.format(Locale.ROOT,
          "GET /v1/tasks/{id}/events (text/event-stream), one connection each: %,d streams on queued tasks open "
              + "throughout, beside %,d more whose tasks were cancelled at %d/s; not shown %d, not live %d, "
              + "cancels not 2xx %d (quench.api.streams.max-open: 10,000 by default)", idleOpen, measured,
          STREAM_CANCELS_PER_SECOND, notShown, notLive, notAcknowledged.get()));
      latencies.addPartsTo(table, SECTION);
      table.add(SECTION, "opening " + String.format(Locale.ROOT, "%,d", all.size())
          + " streams at once -> each one's first event", Latency.of(opened).summary(),
          "from the first request; the first event is the replay of the task's history");
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("streams_open", idleOpen);
      details.put("measured", measured);
      details.put("not_shown", notShown);
      details.put("not_live", notLive);
      details.put("latency", result.toMap());
      details.put("opened", Latency.of(opened).toMap());
      table.detail(SECTION, "streams", details);
      table.figure(Targets.NOTIFY_SSE_P99, notShown > 0 ? Double.NaN : result.p99Ms());
      table.figure(Targets.NOTIFY_SSE_STREAMS, idleOpen);
      log.info("{}: SSE with {} streams open: {}", SECTION, idleOpen, result.summary());

      // Their streams end with the terminal event; left queued, they would start once the hog lets go.
      cancelCampaign(idleCampaign, 0);
      watch.awaitEnded(idleIds, QUIET_TIMEOUT);
    }
  }

  // --- Prefer: wait --------------------------------------------------------------------------------------------

  private void waits(TerminalWatch watch) throws InterruptedException {
    Histogram stopToAnswer = Latency.histogram();
    Histogram sentToAnswer = Latency.histogram();
    AtomicInteger unexpected = new AtomicInteger();
    int missing = 0;
    int done = 0;
    while (done < settings.notifyWaitTasks()) {
      int size = Math.min(settings.workerConcurrency(), settings.notifyWaitTasks() - done);
      List<CompletableFuture<HttpResponse<String>>> creates = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        creates.add(api.sendAsync(api.create("sleep", SLEEP_TEN_MINUTES)));
      }
      List<String> ids = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> create : creates) {
        HttpResponse<String> response = create.join();
        String id = ApiClient.taskId(response.body());
        if (response.statusCode() / 100 != 2 || id == null) {
          throw new IllegalStateException("creating a sleep answered " + response.statusCode() + ": "
              + response.body());
        }
        ids.add(id);
      }
      if (watch.awaitStarted(ids, START_TIMEOUT) > 0) {
        throw new IllegalStateException("sleep tasks did not start within " + START_TIMEOUT + ": are the worker's "
            + "slots taken?");
      }
      // As in the stop section: the cancels, not their contention with the wave of starts just before.
      kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), QUIET, QUIET_TIMEOUT);
      OpenLoop loop = new OpenLoop(System.nanoTime() + 20_000_000, WAIT_CANCELS_PER_SECOND);
      AtomicLongArray answeredMillis = new AtomicLongArray(size);
      AtomicLongArray answeredNanos = new AtomicLongArray(size);
      List<CompletableFuture<?>> answers = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        loop.awaitDue(i);
        int index = i;
        answers.add(api.sendAsync(api.cancelWaiting(ids.get(i), WAIT_SECONDS)).whenComplete((response, error) -> {
          long nanos = System.nanoTime();
          long millis = System.currentTimeMillis();
          if (error == null && response.statusCode() == 200 && "cancelled".equals(ApiClient.status(response.body()))
              && response.headers().firstValue("Preference-Applied").isPresent()) {
            answeredMillis.set(index, millis);
            answeredNanos.set(index, nanos);
          } else {
            unexpected.incrementAndGet();
            log.warn("a waiting cancel answered {}", error != null ? error.toString()
                : response.statusCode() + " " + ApiClient.status(response.body()));
          }
        }));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
      watch.awaitEnded(ids, Duration.ofSeconds(5));
      for (int i = 0; i < size; i++) {
        long stopped = watch.of(ids.get(i)).terminalTimestampMillis;
        if (answeredMillis.get(i) == 0) {
          continue;
        }
        if (stopped == 0) {
          missing++;
          continue;
        }
        Latency.record(stopToAnswer, TimeUnit.MILLISECONDS.toNanos(answeredMillis.get(i) - stopped));
        Latency.record(sentToAnswer, answeredNanos.get(i) - loop.dueAt(i));
      }
      done += size;
    }
    Latency result = Latency.of(stopToAnswer);
    table.add(SECTION, "Prefer: wait=" + WAIT_SECONDS + " cancel of a running sleep: terminal event on the log "
        + "(record timestamp) -> 200 at the client", result.summary(), String.format(Locale.ROOT,
        "%,d running sleep tasks, rounds of %d, cancels at %d/s once the round's starts are written; not 200 "
            + "cancelled with Preference-Applied: %d; terminal event not seen: %d", settings.notifyWaitTasks(),
        settings.workerConcurrency(), WAIT_CANCELS_PER_SECOND, unexpected.get(), missing));
    table.add(SECTION, "Prefer: wait cancel sent -> 200 with the final state", Latency.of(sentToAnswer).summary(),
        "from each cancel's due send time: the stop itself, the answer's wait and its way back");
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("tasks", settings.notifyWaitTasks());
    details.put("unexpected", unexpected.get());
    details.put("terminal_not_seen", missing);
    details.put("stop_to_answer", result.toMap());
    details.put("sent_to_answer", Latency.of(sentToAnswer).toMap());
    table.detail(SECTION, "wait", details);
    table.figure(Targets.NOTIFY_WAIT_P99, unexpected.get() > 0 || missing > 0 ? Double.NaN : result.p99Ms());
    log.info("{}: Prefer: wait on {} running sleeps: {}", SECTION, settings.notifyWaitTasks(), result.summary());
  }
}
