package dev.quench.standalone.chaos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady load on the api: creates of {@code sleep} tasks of mixed lengths, and cancels at random moments after
 * each create, so they find the task queued, running or just finished; some twice or three times, and some of
 * tasks that ended long ago; and, by {@link BatchLoad}, cancellation batches over them. Every request carries a
 * unique {@code X-Request-Id}; every 2xx is recorded as acknowledged, everything else is counted as not acknowledged.
 * Each task carries the label of its group of creates, which the filter batches select by.
 */
final class LoadDriver implements AutoCloseable {

  enum Kind { CREATE, CANCEL }

  /**
   * A request the api acknowledged: from then on its request id must be in the log.
   *
   * @param requestId the {@code X-Request-Id} sent, recorded by the api as the event's correlation id
   * @param kind      what was asked
   * @param taskId    the task
   * @param status    the 2xx it got
   * @param at        when the answer came
   */
  record Acknowledged(String requestId, Kind kind, String taskId, int status, Instant at) {
  }

  // Shares of the load, per creation: how often a task gets a cancel, how often that cancel is repeated, and how
  // often a creation is accompanied by a cancel of a task that ended long ago.
  private static final double CANCEL_SHARE = 0.6;
  private static final double REPEAT_SHARE = 0.3;
  private static final double OLD_TASK_CANCEL_SHARE = 0.3;
  private static final double ZERO_LENGTH_SHARE = 0.1;
  // Requests wait at most this many per client thread; beyond, a tick is skipped rather than the backlog grown
  // (only while the api hangs: refused connections fail fast).
  private static final int BACKLOG_PER_CLIENT = 8;

  private final TaskApi api;
  private final Random random;
  private final double rate;
  private final int maxTaskMillis;
  private final int clientCount;
  private final String runId;
  private final Timeline timeline;
  private final AtomicLong sequence = new AtomicLong();
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(
      daemon("chaos-pacer"));
  private final ThreadPoolExecutor clients;
  private final BatchLoad batches;
  private final ConcurrentLinkedQueue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
  private final Latencies latencies = new Latencies();
  private final List<Created> created = new ArrayList<>();
  private final Map<String, Integer> notAcknowledged = new TreeMap<>();
  private long skipped;

  private record Created(String taskId, long atNanos) {
  }

  LoadDriver(TaskApi api, ChaosSettings settings, Random random, String runId, Timeline timeline) {
    this.api = api;
    this.random = random;
    this.rate = settings.rate();
    this.maxTaskMillis = (int) settings.maxTaskDuration().toMillis();
    this.clientCount = settings.clients();
    this.runId = runId;
    this.timeline = timeline;
    this.clients = new ThreadPoolExecutor(clientCount, clientCount, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        daemon("chaos-client"));
    this.batches = new BatchLoad(api, random, runId, maxTaskMillis + 2_000L, timeline);
  }

  void start() {
    long period = (long) (1_000_000_000L / rate);
    pacer.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.NANOSECONDS);
    batches.start();
  }

  /** Stops sending: scheduled cancels not yet sent are dropped, requests in flight get their answer. */
  @Override
  public void close() throws InterruptedException {
    pacer.shutdownNow();
    pacer.awaitTermination(10, TimeUnit.SECONDS);
    clients.shutdown();
    if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
      clients.shutdownNow();
    }
    batches.close();
    timeline.note("load stopped: " + acknowledged.size() + " requests acknowledged, " + notAcknowledged()
        + " not, " + skipped() + " ticks skipped");
  }

  List<Acknowledged> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** How long each acknowledged create and cancel took, as this client saw it. */
  Latencies latencies() {
    return latencies;
  }

  /** The batches part of the load: what it sent, and what was acknowledged. */
  BatchLoad batches() {
    return batches;
  }

  /** Requests that got no 2xx, by kind and what they got; batches and aborts counted once, after their retries. */
  synchronized Map<String, Integer> notAcknowledged() {
    Map<String, Integer> all = new TreeMap<>(notAcknowledged);
    batches.notAcknowledged().forEach((outcome, count) -> all.merge(outcome, count, Integer::sum));
    return all;
  }

  synchronized long skipped() {
    return skipped;
  }

  private void tick() {
    send(this::create);
    if (random.nextDouble() < OLD_TASK_CANCEL_SHARE) {
      send(this::cancelOldTask);
    }
  }

  private void send(Runnable request) {
    if (clients.getQueue().size() >= BACKLOG_PER_CLIENT * clientCount) {
      synchronized (this) {
        skipped++;
      }
      return;
    }
    try {
      clients.execute(() -> {
        try {
          request.run();
        } catch (RuntimeException e) {
          count("client error " + e.getClass().getSimpleName());
        }
      });
    } catch (RejectedExecutionException e) {
      // The load is stopping: a request never sent is no request.
    }
  }

  private void create() {
    long duration = random.nextDouble() < ZERO_LENGTH_SHARE ? 0 : 1 + random.nextInt(maxTaskMillis);
    String requestId = requestId("create");
    String group = batches.sendingCreate();
    long sent = System.nanoTime();
    TaskApi.Answer answer = api.create(duration, group, requestId);
    long answered = System.nanoTime();
    boolean taken = answer.acknowledged() && answer.taskId() != null;
    batches.createAnswered(group, taken ? answer.taskId() : null);
    if (!taken) {
      count("create " + answer.outcome());
      return;
    }
    acknowledged.add(new Acknowledged(requestId, Kind.CREATE, answer.taskId(), answer.status(), Instant.now()));
    latencies.record(Kind.CREATE, sent, answered);
    synchronized (this) {
      created.add(new Created(answer.taskId(), System.nanoTime()));
    }
    if (random.nextDouble() < CANCEL_SHARE) {
      // From at once (queued) to well after the longest task (finished).
      long delay = random.nextInt(maxTaskMillis + 1_000);
      later(delay, answer.taskId());
      if (random.nextDouble() < REPEAT_SHARE) {
        int repeats = 1 + random.nextInt(2);
        for (int i = 0; i < repeats; i++) {
          later(delay + random.nextInt(1_000), answer.taskId());
        }
      }
    }
  }

  /** A cancel of a task that ended long ago: it must still be recorded and answered with a no-op. */
  private void cancelOldTask() {
    String taskId = null;
    long cutoff = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(maxTaskMillis + 10_000L);
    synchronized (this) {
      int old = 0;
      while (old < created.size() && created.get(old).atNanos() - cutoff < 0) {
        old++;
      }
      if (old > 0) {
        taskId = created.get(random.nextInt(old)).taskId();
      }
    }
    if (taskId != null) {
      cancel(taskId);
    }
  }

  private void later(long delayMillis, String taskId) {
    try {
      pacer.schedule(() -> send(() -> cancel(taskId)), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The load is stopping: a cancel never sent is no request.
    }
  }

  private void cancel(String taskId) {
    String requestId = requestId("cancel");
    long sent = System.nanoTime();
    TaskApi.Answer answer = api.cancel(taskId, requestId);
    long answered = System.nanoTime();
    if (!answer.acknowledged()) {
      count("cancel " + answer.outcome());
      return;
    }
    acknowledged.add(new Acknowledged(requestId, Kind.CANCEL, taskId, answer.status(), Instant.now()));
    latencies.record(Kind.CANCEL, sent, answered);
  }

  private String requestId(String kind) {
    return "chaos-" + runId + "-" + kind + "-" + sequence.incrementAndGet();
  }

  private synchronized void count(String outcome) {
    notAcknowledged.merge(outcome, 1, Integer::sum);
  }

  private static ThreadFactory daemon(String name) {
    AtomicLong threads = new AtomicLong();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
