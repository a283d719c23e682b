package dev.quench.api.log;

import dev.quench.events.CancelRecord;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.UndecodableRecordException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * This instance's replica of the read model: every task's latest view from the compacted view topic, overlaid with
 * the requests (submissions, cancels) that no view reflects yet, folded in log order with the same
 * {@link TaskState#evolve} the projector uses. The overlay is what makes writes readable at once: a request is
 * readable here as soon as it is acknowledged, on this instance through {@link #recordPending}, on every other one
 * as soon as it reads the request back from the requests topic ({@link #read} waits for that). Because the overlay
 * is in log order, two racing first requests for one task resolve here exactly as the worker resolves them.
 *
 * <p>One thread reads both topics with one consumer, without a consumer group: every instance reads every partition.
 * A view is replaced only by one reflecting a later log offset, so a stale view written late by a zombie projector
 * cannot roll a task back. Every change of a task is reported to its waiters ({@link #when}), and every cancel with an
 * {@code Idempotency-Key} is indexed by the key's id ({@link #otherTaskOfCancelKey}).
 */
public final class TaskViewReplica implements SmartLifecycle, ReplicaProgress {

  private static final Logger log = LoggerFactory.getLogger(TaskViewReplica.class);
  private static final Duration KEY_SWEEP_INTERVAL = Duration.ofMinutes(10);

  /** Where a task sits in its tenant's listing: newest first. */
  public record IndexKey(String tenant, Instant createdAt, String taskId) {
  }

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final ReadBarrier barrier;
  private final BooleanSupplier brokerReachable;
  private final Topics topics;
  private final int partitions;
  private final EventCodec codec;
  private final Clock clock;
  private final Duration pendingLookback;
  private final Duration startupTimeout;
  private final Duration idempotencyRetention;
  private final TaskWatchers watchers = new TaskWatchers(this::find);
  private final TaskFeed feed = new TaskFeed();

  private final ViewStore views;
  private final BatchStore batches;
  private final PendingRequests pending = new PendingRequests();
  /** How far the requests topic has been read, per partition: the next offset to read. */
  private final long[] requestPositions;
  /** How far the view topic has been read, per partition, or -1 before the first poll: for staleness. */
  private final AtomicLongArray viewPositions;
  /** The record timestamp of the newest view applied, per partition, or -1 before any. */
  private final AtomicLongArray newestViewTimestamps;
  private volatile String failure;
  private volatile Instant failingSince;
  private final Object progress = new Object();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Consumer<String, byte[]> consumer;
  private Thread thread;
  private Instant lastSweep = Instant.EPOCH;
  private Instant lastKeySweep = Instant.EPOCH;

  /**
   * @param endOffsets           asks the broker for the end offsets of requests partitions
   * @param views                where views and the indexes are kept
   * @param idempotencyRetention how long a cancel's idempotency key is remembered
   */
  public TaskViewReplica(Supplier<Consumer<String, byte[]>> consumers, ViewStore views, BatchStore batches,
                         Function<Set<TopicPartition>, Map<TopicPartition, Long>> endOffsets,
                         BooleanSupplier brokerReachable, Topics topics,
                         int partitions, EventCodec codec, Clock clock, Duration pendingLookback,
                         Duration startupTimeout, Duration idempotencyRetention) {
    this.consumers = consumers;
    this.views = views;
    this.batches = batches;
    this.barrier = new ReadBarrier(topics.requests(), endOffsets);
    this.brokerReachable = brokerReachable;
    this.topics = topics;
    this.partitions = partitions;
    this.codec = codec;
    this.clock = clock;
    this.pendingLookback = pendingLookback;
    this.startupTimeout = startupTimeout;
    this.idempotencyRetention = idempotencyRetention;
    this.requestPositions = new long[partitions];
    this.viewPositions = new AtomicLongArray(partitions);
    this.newestViewTimestamps = new AtomicLongArray(partitions);
    for (int p = 0; p < partitions; p++) {
      viewPositions.set(p, -1);
      newestViewTimestamps.set(p, -1);
    }
  }

  /** The task as this instance knows it now, or null. */
  public TaskState find(String taskId) {
    return pending.overlay(taskId, () -> {
      TaskView view = views.get(taskId);
      return view == null ? null : view.task();
    });
  }

  /**
   * The task as its latest view shows it, the log's facts only (no request this replica read that no view reflects
   * yet), or null if no view of it arrived yet.
   */
  public TaskState logged(String taskId) {
    TaskView view = views.get(taskId);
    return view == null ? null : view.task();
  }

  /**
   * Like {@link #find}, after waiting, at most {@code timeout}, until this replica has read every request
   * appended to the task's partition before this call, by any api instance: a read reflects every acknowledged write.
   */
  public TaskState read(String taskId, Duration timeout) throws InterruptedException {
    awaitRequests(Set.of(RequestLog.partitionFor(taskId, partitions)), timeout);
    return find(taskId);
  }

  /** What filters look at of a task as this instance knows it now, or null: decodes no view in the heap store. */
  public TaskSummary summary(String taskId) {
    if (pending.has(taskId)) {
      TaskState state = find(taskId);
      return state == null ? null : TaskSummary.of(state);
    }
    return views.summary(taskId);
  }

  /**
   * Waits, at most {@code timeout}, until this replica has read every request any instance acknowledged before the
   * call, on every partition: what a read of many tasks needs first.
   */
  public void awaitAllRequests(Duration timeout) throws InterruptedException {
    Set<Integer> all = new HashSet<>();
    for (int p = 0; p < partitions; p++) {
      all.add(p);
    }
    awaitRequests(all, timeout);
  }

  /**
   * The ids of the tenant's tasks {@code filter} keeps, newest first, at most {@code max}; call
   * {@link #awaitAllRequests} first for a scan that reflects every acknowledged write.
   */
  public List<String> scan(String tenant, Predicate<TaskSummary> filter, int max) {
    List<String> found = new ArrayList<>();
    views.forEachAfter(new IndexKey(tenant, Instant.MAX, "\uffff"), key -> {
      if (!key.tenant().equals(tenant) || found.size() == max) {
        return false;
      }
      TaskSummary summary = summary(key.taskId());
      if (summary != null && filter.test(summary)) {
        found.add(key.taskId());
      }
      return true;
    });
    return found;
  }

  /** The cancellation batches this instance knows. */
  public BatchStore batches() {
    return batches;
  }

  /**
   * The tenant's tasks, newest first, after the position {@code after} (exclusive; null for the start), that
   * {@code filter} keeps: at most {@code limit}, looking at no more than {@code scanLimit} tasks. Waits first, like
   * {@link #read}, until every request acknowledged before the call has been read.
   *
   * @return the tasks found, and where a next page would start, or null if there are no more tasks
   */
  public Page list(String tenant, IndexKey after, Predicate<TaskSummary> filter, int limit, int scanLimit,
                   Duration timeout) throws InterruptedException {
    awaitAllRequests(timeout);
    IndexKey from = after != null ? after : new IndexKey(tenant, Instant.MAX, "\uffff");
    List<TaskState> found = new ArrayList<>();
    IndexKey[] last = new IndexKey[1];
    boolean[] more = new boolean[1];
    int[] scanned = new int[1];
    views.forEachAfter(from, key -> {
      if (!key.tenant().equals(tenant)) {
        return false;
      }
      if (found.size() == limit || scanned[0] == scanLimit) {
        more[0] = true;
        return false;
      }
      scanned[0]++;
      last[0] = key;
      TaskSummary summary = summary(key.taskId());
      TaskState task = summary != null && filter.test(summary) ? find(key.taskId()) : null;
      if (task != null) {
        found.add(task);
      }
      return true;
    });
    return new Page(found, more[0] ? last[0] : null);
  }

  /**
   * One page of a listing.
   *
   * @param tasks the tasks
   * @param next  where the next page starts (exclusive), or null when this is the last one
   */
  public record Page(List<TaskState> tasks, IndexKey next) {
  }

  /**
   * Completes with the task as soon as this replica shows it satisfying {@code condition}: at once if it already
   * does. Nothing polls: the replica completes the future when it changes the task. Cancel the future to stop
   * waiting; attach continuations with the {@code *Async} methods (completion happens on the replica's thread).
   */
  public CompletableFuture<TaskState> when(String taskId, Predicate<TaskState> condition) {
    return watchers.when(taskId, condition);
  }

  /** How many requests wait for a task to reach some state ({@link #when}) now. */
  public int waiting() {
    return watchers.waiting();
  }

  /** Stops a follower being told; idempotent. */
  @FunctionalInterface
  public interface Following extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Tells {@code follower} of every new view of the task this replica reads from now on, until the returned
   * {@link Following} is closed. Only views: requests no view reflects yet are not the log's facts.
   */
  public Following followTask(String taskId, TaskFollower follower) {
    return feed.followTask(taskId, follower);
  }

  /** As {@link #followTask}, for every task of the tenant. */
  public Following followTenant(String tenant, TaskFollower follower) {
    return feed.followTenant(tenant, follower);
  }

  /**
   * A task other than {@code taskId} that a cancel with this {@code Idempotency-Key} id was made on within the
   * retention, as far as this replica has read; null if none.
   */
  public String otherTaskOfCancelKey(UUID keyId, String taskId) {
    return views.otherTaskOfCancelKey(keyId, taskId, clock.instant().minus(idempotencyRetention));
  }

  /** Makes a request this instance just appended, at {@code offset}, readable here at once. */
  public void recordPending(Envelope request, long offset) {
    addPending(request, offset);
  }

  public long size() {
    return views.size();
  }

  @Override
  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  @Override
  public int partitions() {
    return partitions;
  }

  @Override
  public long viewPosition(int partition) {
    return viewPositions.get(partition);
  }

  @Override
  public long newestViewTimestamp(int partition) {
    return newestViewTimestamps.get(partition);
  }

  @Override
  public Failure failure() {
    String error = failure;
    if (error == null && running && thread != null && !thread.isAlive()) {
      error = "the replica's thread has ended";
    }
    return error == null ? null : new Failure(error, failingSince);
  }

  /** Reads the view topic to its end before the api accepts requests, so no read misses an existing task. */
  @Override
  public void start() {
    running = true;
    thread = new Thread(this::loop, "quench-api-replica");
    thread.setDaemon(true);
    thread.start();
    try {
      if (!caughtUp.await(startupTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the view replica did not catch up within " + startupTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the view replica caught up", e);
    }
  }

  @Override
  public void stop() {
    running = false;
    barrier.close();
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      if (thread != null) {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the web server starts taking requests. */
  @Override
  public int getPhase() {
    return 0;
  }

  private void awaitRequests(Set<Integer> partitionsToRead, Duration timeout) throws InterruptedException {
    if (!brokerReachable.getAsBoolean()) {
      // Nobody can acknowledge a write now: what this replica has is as fresh as it gets; answer without waiting.
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, Long> ends = barrier.endsAfterNow(partitionsToRead, timeout);
    synchronized (progress) {
      for (Map.Entry<Integer, Long> end : ends.entrySet()) {
        while (requestPositions[end.getKey()] < end.getValue()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            log.debug("a read gave up waiting for requests up to {} on partition {}", end.getValue(), end.getKey());
            return;
          }
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        }
      }
    }
  }

  private void loop() {
    while (running) {
      try {
        follow();
      } catch (WakeupException e) {
        // stopping
      } catch (RuntimeException e) {
        if (failure == null) {
          failingSince = clock.instant();
        }
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        log.error("the view replica failed; reading on from where it was in 1 s", e);
        sleepQuietly();
      }
    }
  }

  private void follow() {
    try (Consumer<String, byte[]> c = consumers.get()) {
      consumer = c;
      List<TopicPartition> viewPartitions = partitionsOf(topics.view());
      List<TopicPartition> requestPartitions = partitionsOf(topics.requests());
      List<TopicPartition> batchPartitions = partitionsOf(topics.batches());
      List<TopicPartition> all = new ArrayList<>(viewPartitions);
      all.addAll(requestPartitions);
      all.addAll(batchPartitions);
      c.assign(all);
      c.seekToBeginning(batchPartitions);
      Map<Integer, Long> stored = views.viewPositions();
      for (TopicPartition tp : viewPartitions) {
        // A disk store remembers how far it had read; views merge by log offset, so reading some again is harmless.
        Long position = stored.get(tp.partition());
        if (position == null) {
          c.seekToBeginning(List.of(tp));
        } else {
          c.seek(tp, position);
        }
      }
      seekRequests(c, requestPartitions);
      Map<TopicPartition, Long> startupEnd = c.endOffsets(all);
      while (running) {
        boolean viewsRead = false;
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
          if (record.topic().equals(topics.view())) {
            applyView(record);
            viewsRead = true;
          } else if (record.topic().equals(topics.batches())) {
            batches.applyRecord(record.key(), record.value());
          } else {
            applyRequest(record);
          }
        }
        Map<Integer, Long> positions = new HashMap<>();
        viewPartitions.forEach(tp -> positions.put(tp.partition(), c.position(tp)));
        if (viewsRead) {
          views.saveViewPositions(positions);
        }
        positions.forEach(viewPositions::set);
        failure = null;
        synchronized (progress) {
          for (TopicPartition tp : requestPartitions) {
            requestPositions[tp.partition()] = c.position(tp);
          }
          progress.notifyAll();
        }
        if (!isCaughtUp() && all.stream().allMatch(tp -> c.position(tp) >= startupEnd.get(tp))) {
          log.info("view replica caught up: {} tasks, {} requests not yet in a view", views.size(), pending.size());
          caughtUp.countDown();
        }
        sweepPending();
      }
    } finally {
      consumer = null;
    }
  }

  private List<TopicPartition> partitionsOf(String topic) {
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    return tps;
  }

  /** Requests older than the lookback are in a view by now, unless the pipeline stood still that long. */
  private void seekRequests(Consumer<String, byte[]> c, List<TopicPartition> requestPartitions) {
    long since = clock.instant().minus(pendingLookback).toEpochMilli();
    Map<TopicPartition, Long> query = new HashMap<>();
    requestPartitions.forEach(tp -> query.put(tp, since));
    Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
    Map<TopicPartition, Long> ends = c.endOffsets(requestPartitions);
    for (TopicPartition tp : requestPartitions) {
      OffsetAndTimestamp at = found.get(tp);
      c.seek(tp, at == null ? ends.get(tp) : at.offset());
    }
  }

  private void applyView(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      TaskView gone = views.get(record.key());
      if (gone != null) {
        views.remove(record.key());
        views.unindex(indexKey(gone.task()));
      }
      return;
    }
    TaskView view;
    try {
      view = codec.decodeView(record.value());
    } catch (UndecodableRecordException e) {
      log.warn("skipping undecodable view {}@{} ({}): {}", record.key(), record.offset(), e.reason(),
          e.getMessage());
      return;
    }
    newestViewTimestamps.accumulateAndGet(record.partition(), record.timestamp(), Math::max);
    String taskId = view.task().taskId();
    long before = feed.followsTenant(view.task().tenant()) ? versionOf(views.get(taskId)) : -1;
    if (!views.merge(view, record.value())) {
      return;
    }
    views.index(indexKey(view.task()));
    Instant keysSince = clock.instant().minus(idempotencyRetention);
    for (CancelRecord cancel : view.task().cancelRequests()) {
      if (cancel.idempotencyKeyId() != null && !cancel.requestedAt().isBefore(keysSince)) {
        views.indexCancelKey(cancel.idempotencyKeyId(), taskId, cancel.requestedAt());
      }
    }
    pending.reflectedBy(view.task());
    watchers.changed(taskId);
    feed.changed(view.task(), before);
  }

  private static long versionOf(TaskView view) {
    return view == null ? 0 : view.task().version();
  }

  private void applyRequest(ConsumerRecord<String, byte[]> record) {
    try {
      Envelope request = codec.decode(record.value());
      if (request.type().ofBatch()) {
        batches.applyRequest(request, record.partition());
        return;
      }
      addPending(request, record.offset());
    } catch (UndecodableRecordException e) {
      // The worker dead-letters it; for the replica it is simply not a request.
      log.debug("ignoring undecodable request {}@{}: {}", record.key(), record.offset(), e.reason());
    }
  }

  private void addPending(Envelope request, long offset) {
    TaskView view = views.get(request.taskId());
    if (view != null && view.task().reflects(request.eventId())) {
      return;
    }
    pending.add(request, offset);
    if (request.event() instanceof CancelRequested cancel && cancel.idempotencyKeyId() != null) {
      views.indexCancelKey(cancel.idempotencyKeyId(), request.taskId(), request.occurredAt());
    }
    TaskState task = find(request.taskId());
    if (task != null) {
      views.index(indexKey(task));
    }
    watchers.changed(request.taskId());
  }

  private static IndexKey indexKey(TaskState task) {
    return new IndexKey(task.tenant(), task.createdAt(), task.taskId());
  }

  /** Forgets requests no view ever reflected (a cancel of a task that never existed): they would only pile up. */
  private void sweepPending() {
    Instant now = clock.instant();
    if (Duration.between(lastSweep, now).compareTo(Duration.ofSeconds(30)) < 0) {
      return;
    }
    lastSweep = now;
    if (Duration.between(lastKeySweep, now).compareTo(KEY_SWEEP_INTERVAL) >= 0) {
      // Only to free room: a lookup ignores keys past their retention anyway.
      lastKeySweep = now;
      views.forgetCancelKeysBefore(now.minus(idempotencyRetention));
    }
    Instant cutoff = now.minus(pendingLookback);
    for (String taskId : pending.taskIds()) {
      TaskState overlaid = find(taskId);
      if (pending.forgetBefore(taskId, cutoff) && overlaid != null && views.get(taskId) == null) {
        // A request no view ever reflected (a cancel of a task that never existed) leaves no listing behind.
        views.unindex(indexKey(overlaid));
      }
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
