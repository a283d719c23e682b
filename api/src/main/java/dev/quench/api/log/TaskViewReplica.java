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
 * <p>One thread ({@link ReplicaReader}) reads the topics with one consumer, without a consumer group: every instance
 * reads every partition; what each record does is {@link ReplicaUpdates}'.
 * A view is replaced only by one reflecting a later log offset, so a stale view written late by a zombie projector
 * cannot roll a task back. Every change of a task is reported to its waiters ({@link #when}), and every cancel with an
 * {@code Idempotency-Key} is indexed by the key's id ({@link #otherTaskOfCancelKey}).
 */
public final class TaskViewReplica implements SmartLifecycle, ReplicaProgress {


  /** Where a task sits in its tenant's listing: newest first. */
  public record IndexKey(String tenant, Instant createdAt, String taskId) {
  }

  private final int partitions;
  private final Clock clock;
  private final Duration startupTimeout;
  private final Duration idempotencyRetention;
  private final TaskWatchers watchers = new TaskWatchers(this::find);
  private final TaskFeed feed = new TaskFeed();
  private final ViewStore views;
  private final BatchStore batches;
  private final PendingRequests pending = new PendingRequests();
  private final ReplicaUpdates updates;
  private final ReplicaReader reader;

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
    this.views = views;
    this.batches = batches;
    this.partitions = partitions;
    this.clock = clock;
    this.startupTimeout = startupTimeout;
    this.idempotencyRetention = idempotencyRetention;
    this.updates = new ReplicaUpdates(views, batches, pending, watchers, feed, codec, clock, pendingLookback,
        idempotencyRetention, this::find);
    this.reader = new ReplicaReader(consumers, updates, views, new ReadBarrier(topics.requests(), endOffsets),
        brokerReachable, pending::size, topics, partitions, clock, pendingLookback);
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

  /**
   * Like {@link #read}, but says when the wait fell short: the task, if this replica knows it, and whether every
   * request appended to its partition before the call was read. A task not found by a read that fell short may
   * exist (another instance acknowledged it while this one could not ask the broker, or under load).
   */
  public Lookup lookUp(String taskId, Duration timeout) throws InterruptedException {
    boolean upToDate = awaitRequests(Set.of(RequestLog.partitionFor(taskId, partitions)), timeout);
    return new Lookup(find(taskId), upToDate);
  }

  /**
   * @param task     the task as this replica knows it, or null
   * @param upToDate whether every request acknowledged before the lookup was read first
   */
  public record Lookup(TaskState task, boolean upToDate) {
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
   *
   * @return whether it has: false when the broker could not be asked or the requests were not read in time
   */
  public boolean awaitAllRequests(Duration timeout) throws InterruptedException {
    Set<Integer> all = new HashSet<>();
    for (int p = 0; p < partitions; p++) {
      all.add(p);
    }
    return awaitRequests(all, timeout);
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
    updates.pending(request, offset);
  }

  public long size() {
    return views.size();
  }

  @Override
  public boolean isCaughtUp() {
    return reader.caughtUp();
  }

  @Override
  public int partitions() {
    return partitions;
  }

  @Override
  public long viewPosition(int partition) {
    return reader.viewPosition(partition);
  }

  @Override
  public long newestViewTimestamp(int partition) {
    return reader.newestViewTimestamp(partition);
  }

  @Override
  public Failure failure() {
    return reader.failure();
  }

  /** Reads the view topic to its end before the api accepts requests, so no read misses an existing task. */
  @Override
  public void start() {
    reader.start(startupTimeout);
  }

  @Override
  public void stop() {
    reader.stop();
  }

  @Override
  public boolean isRunning() {
    return reader.running();
  }

  /** Before the web server starts taking requests. */
  @Override
  public int getPhase() {
    return 0;
  }

  private boolean awaitRequests(Set<Integer> partitionsToRead, Duration timeout) throws InterruptedException {
    return reader.awaitRequests(partitionsToRead, timeout);
  }
}
