package dev.quench.standalone.chaos;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cancellation batches on top of {@link LoadDriver}'s creates and cancels, one every few seconds, in a fixed
 * rotation so that every kind is exercised in a short run: by ids (recent tasks, queued or running; tasks that ended
 * long ago; ids of no task; a repeat), by a filter on the group of creates being made right now (so tasks keep
 * arriving that match it after acceptance), a dry run followed by the same filter batch over a group whose creates
 * have all been acknowledged (nothing can change between the two), and a paced batch aborted soon after.
 *
 * <p>A batch POST that gets no answer, a 503 or a 409 is sent again with the same {@code Idempotency-Key} and
 * {@code X-Request-Id} until it is answered: a killed api may or may not have recorded it, and the retry must name
 * the same batch. Every 2xx is recorded: from then on the batch must be in the log.
 */
final class BatchLoad implements AutoCloseable {

  /** What the run meant a batch to exercise; {@code BIG} is {@link BigBatch}'s one large batch. */
  enum Kind { IDS, FILTER, DRY_RUN, ABORTED, BIG }

  /**
   * A batch the api acknowledged.
   *
   * @param requestId    the {@code X-Request-Id} every attempt carried
   * @param batchId      the {@code batch_id} of the answer
   * @param kind         what it was meant to exercise
   * @param group        the {@code chaos_group} a filter batch selects; null for ids
   * @param statusFilter whether the filter also asked for {@code queued} and {@code running} only
   * @param maxPerSecond its rate, or null
   * @param knownIds     the named ids of tasks whose create was acknowledged before the batch was first sent
   * @param unknownIds   the named ids of no task at all
   * @param firstSentAt  when its first attempt was sent
   * @param at           when the acknowledging answer came
   * @param status       that answer's status
   * @param matched      its {@code matched}
   * @param notFound     its {@code not_found}
   * @param dryRun       the dry run of the same filter sent just before, or null
   */
  record Sent(String requestId, String batchId, Kind kind, String group, boolean statusFilter, Integer maxPerSecond,
              List<String> knownIds, List<String> unknownIds, Instant firstSentAt, Instant at, int status,
              int matched, int notFound, DryRun dryRun) {
  }

  /**
   * A dry run's answer.
   *
   * @param matched its {@code matched}
   * @param taskIds its {@code task_ids}: every match when {@code matched} is at most {@link #SAMPLE}
   */
  record DryRun(int matched, List<String> taskIds) {
    static final int SAMPLE = 100;
  }

  /**
   * An abort the api answered with a status below 500.
   *
   * @param batchId the batch
   * @param status  202 when it recorded the abort, 200 when the batch had settled or was aborted already
   */
  record Abort(String batchId, int status, Instant at) {
  }

  // Creates per group: a group is a few seconds of the run's creates, the set a filter batch selects.
  static final int GROUP_SIZE = 10;
  private static final List<Kind> ROTATION = List.of(Kind.IDS, Kind.FILTER, Kind.DRY_RUN, Kind.IDS, Kind.FILTER,
      Kind.ABORTED);
  private static final long FIRST_BATCH_MILLIS = 6_000;
  private static final long BATCH_EVERY_MILLIS = 3_000;
  // Long enough for a killed api to come back (its start takes 10-30 s on the shared machine).
  private static final long RETRY_FOR_MILLIS = 90_000;
  private static final long RETRY_PAUSE_MILLIS = 500;
  // A batch to abort takes 30-45 s at this pace: longer than a killed api's restart, even a slow one after the big
  // batch (up to a minute on a loaded machine), so its abort, retried until answered, finds it still going (202)
  // rather than settled (200) far more often than not.
  private static final int PACED_RATE = 1;
  private static final int PACED_MIN_TARGETS = 30;
  private static final int PACED_EXTRA_TARGETS = 16;

  private final TaskApi api;
  private final Random random;
  private final String runId;
  private final Timeline timeline;
  private final ScheduledExecutorService batcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "chaos-batcher");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Abort> aborts = new ConcurrentLinkedQueue<>();
  private final CreateGroups creates;
  // Guarded by this.
  private final Map<String, Integer> notAcknowledged = new TreeMap<>();
  private final Map<String, Integer> retries = new TreeMap<>();
  private int dryRuns;
  private int turn;

  /** @param finishedAfterMillis how long after its create a task has surely ended (the longest task and then some) */
  BatchLoad(TaskApi api, Random random, String runId, long finishedAfterMillis, Timeline timeline) {
    this.api = api;
    this.random = random;
    this.runId = runId;
    this.creates = new CreateGroups(finishedAfterMillis);
    this.timeline = timeline;
  }

  void start() {
    batcher.scheduleWithFixedDelay(this::next, FIRST_BATCH_MILLIS, BATCH_EVERY_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The group of the next create, counted as sent. */
  String sendingCreate() {
    return creates.sending();
  }

  /** A create of {@code group} was answered; {@code taskId} is null unless it was acknowledged. */
  void createAnswered(String group, String taskId) {
    creates.answered(group, taskId);
  }

  /** Stops starting batches; a batch being retried, and aborts already planned, still run to their answer. */
  @Override
  public void close() throws InterruptedException {
    batcher.shutdown();
    if (!batcher.awaitTermination(RETRY_FOR_MILLIS + 30_000, TimeUnit.MILLISECONDS)) {
      batcher.shutdownNow();
    }
    timeline.note("batches stopped: " + sent.size() + " acknowledged (" + dryRuns() + " after a dry run), "
        + aborts.size() + " aborts answered, retries " + retries() + ", not acknowledged " + notAcknowledged());
  }

  List<Sent> sent() {
    return List.copyOf(sent);
  }

  List<Abort> aborts() {
    return List.copyOf(aborts);
  }

  synchronized int dryRuns() {
    return dryRuns;
  }

  synchronized Map<String, Integer> notAcknowledged() {
    return new TreeMap<>(notAcknowledged);
  }

  synchronized Map<String, Integer> retries() {
    return new TreeMap<>(retries);
  }

  private void next() {
    try {
      Kind kind;
      synchronized (this) {
        kind = ROTATION.get(turn++ % ROTATION.size());
      }
      switch (kind) {
        case IDS -> idsBatch();
        case FILTER -> filterBatch(Kind.FILTER, creates.current(), random.nextBoolean(), null);
        case DRY_RUN -> dryRunThenBatch();
        case ABORTED -> pacedThenAborted();
      }
    } catch (RuntimeException e) {
      count("batch client error " + e.getClass().getSimpleName());
    }
  }

  /** Recent tasks (queued or running), tasks long ended, ids of no task, and now and then a repeat. */
  private void idsBatch() {
    List<String> known = new ArrayList<>(creates.latest(2 + random.nextInt(4)));
    known.addAll(creates.endedLongAgo(random));
    if (known.isEmpty()) {
      return;
    }
    List<String> unknown = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
      unknown.add(UUID.randomUUID().toString());
    }
    List<String> named = new ArrayList<>(known);
    named.addAll(unknown);
    if (random.nextDouble() < 0.3) {
      named.add(known.get(0));
    }
    Integer rate = random.nextDouble() < 0.3 ? 5 : null;
    ObjectNode body = TaskApi.JSON.createObjectNode();
    ArrayNode ids = body.putArray("task_ids");
    named.forEach(ids::add);
    body.put("reason", "chaos batch by ids");
    if (rate != null) {
      body.put("max_per_second", rate);
    }
    post(Kind.IDS, body, null, false, rate, List.copyOf(new LinkedHashSet<>(known)), unknown, null);
  }

  /**
   * {@link BigBatch}'s batch: a filter on {@code group}, which exactly {@code taskIds} carry, paced at {@code rate},
   * sent and retried like every other batch and, once acknowledged, checked like them. Null if it was not
   * acknowledged (counted then among the batches not acknowledged).
   */
  Sent bigBatch(String group, List<String> taskIds, int rate) {
    ObjectNode body = filterBody(group, false);
    body.put("reason", "chaos big batch");
    body.put("max_per_second", rate);
    return post(Kind.BIG, body, group, false, rate, List.copyOf(taskIds), List.of(), null);
  }

  private Sent filterBatch(Kind kind, String group, boolean statusFilter, DryRun dryRun) {
    if (group == null) {
      return null;
    }
    ObjectNode body = filterBody(group, statusFilter);
    body.put("reason", "chaos batch by filter");
    return post(kind, body, group, statusFilter, null, List.of(), List.of(), dryRun);
  }

  /**
   * A dry run, then the same filter for real, over the latest group whose creates were all acknowledged: nothing
   * that matches the filter can appear or vanish between the two, so the dry run's count and ids must be the batch's
   * targets exactly.
   */
  private void dryRunThenBatch() {
    String group = creates.latestComplete();
    if (group == null) {
      filterBatch(Kind.FILTER, creates.previous(), false, null);
      return;
    }
    ObjectNode body = filterBody(group, false);
    body.put("dry_run", true);
    String requestId = requestId("dry-run");
    TaskApi.BatchAnswer answer = retried(() -> api.batch(body.toString(), null, requestId));
    if (answer.status() != 200) {
      count("dry run " + answer.outcome());
      return;
    }
    List<String> ids = new ArrayList<>();
    JsonNode taskIds = answer.body().path("task_ids");
    taskIds.forEach(id -> ids.add(id.asString()));
    synchronized (this) {
      dryRuns++;
    }
    filterBatch(Kind.DRY_RUN, group, false, new DryRun(answer.number("/matched"), List.copyOf(ids)));
  }

  /** The latest creates by ids, handed on slowly, then aborted a moment later: some targets are never requested. */
  private void pacedThenAborted() {
    List<String> known = creates.latest(PACED_MIN_TARGETS + random.nextInt(PACED_EXTRA_TARGETS));
    if (known.isEmpty()) {
      return;
    }
    ObjectNode body = TaskApi.JSON.createObjectNode();
    ArrayNode ids = body.putArray("task_ids");
    known.forEach(ids::add);
    body.put("reason", "chaos batch, aborted");
    body.put("max_per_second", PACED_RATE);
    Sent batch = post(Kind.ABORTED, body, null, false, PACED_RATE, known, List.of(), null);
    if (batch == null) {
      return;
    }
    try {
      batcher.schedule(() -> abort(batch.batchId()), 1_000 + random.nextInt(2_000), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The load is stopping: the batch simply completes at its pace.
    }
  }

  private void abort(String batchId) {
    String requestId = requestId("abort");
    TaskApi.BatchAnswer answer = retried(() -> api.abortBatch(batchId, requestId));
    if (answer.status() > 0 && answer.status() < 500) {
      aborts.add(new Abort(batchId, answer.status(), Instant.now()));
    }
    if (!answer.acknowledged()) {
      count("abort " + answer.outcome());
    }
  }

  private Sent post(Kind kind, ObjectNode body, String group, boolean statusFilter, Integer rate, List<String> known,
                    List<String> unknown, DryRun dryRun) {
    String requestId = requestId("batch");
    String key = requestId + "-key";
    Instant firstSentAt = Instant.now();
    TaskApi.BatchAnswer answer = retried(() -> api.batch(body.toString(), key, requestId));
    if (!answer.acknowledged() || answer.text("/batch_id") == null) {
      count("batch " + answer.outcome());
      return null;
    }
    Sent batch = new Sent(requestId, answer.text("/batch_id"), kind, group, statusFilter, rate, known, unknown,
        firstSentAt, Instant.now(), answer.status(), answer.number("/matched"), answer.number("/not_found"), dryRun);
    sent.add(batch);
    return batch;
  }

  private TaskApi.BatchAnswer retried(Supplier<TaskApi.BatchAnswer> attempt) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RETRY_FOR_MILLIS);
    while (true) {
      TaskApi.BatchAnswer answer = attempt.get();
      if (!answer.retryable() || System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
        return answer;
      }
      synchronized (this) {
        retries.merge(answer.outcome(), 1, Integer::sum);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return answer;
      }
    }
  }

  private static ObjectNode filterBody(String group, boolean statusFilter) {
    ObjectNode body = TaskApi.JSON.createObjectNode();
    ObjectNode filter = body.putObject("filter");
    filter.putObject("metadata").put(TaskApi.GROUP_LABEL, group);
    if (statusFilter) {
      filter.putArray("status").add("queued").add("running");
    }
    return body;
  }

  private String requestId(String kind) {
    return "chaos-" + runId + "-" + kind + "-" + sequence.incrementAndGet();
  }

  private synchronized void count(String outcome) {
    notAcknowledged.merge(outcome, 1, Integer::sum);
  }
}
