package dev.quench.api.log;

import dev.quench.events.CancelRecord;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.UndecodableRecordException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each record read by the replica does to it: a view replaces the task's older one (never a newer one) and
 * settles the requests it reflects; a request no view reflects yet joins the overlay; a batch's request or record
 * goes to the batch store. Every change is told to the task's waiters and, for views, its followers.
 *
 * <p>Views and batch records are applied on the replica's thread only; a request also from request threads, as an
 * instance makes its own appends readable at once ({@link TaskViewReplica#recordPending}).
 */
final class ReplicaUpdates {

  private static final Logger log = LoggerFactory.getLogger(ReplicaUpdates.class);
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);
  private static final Duration KEY_SWEEP_INTERVAL = Duration.ofMinutes(10);

  private final ViewStore views;
  private final BatchStore batches;
  private final PendingRequests pending;
  private final TaskWatchers watchers;
  private final TaskFeed feed;
  private final EventCodec codec;
  private final Clock clock;
  private final Duration pendingLookback;
  private final Duration idempotencyRetention;
  private final Function<String, TaskState> find;
  private Instant lastSweep = Instant.EPOCH;
  private Instant lastKeySweep = Instant.EPOCH;

  /** @param find the task as the replica shows it, overlay included */
  ReplicaUpdates(ViewStore views, BatchStore batches, PendingRequests pending, TaskWatchers watchers, TaskFeed feed,
                 EventCodec codec, Clock clock, Duration pendingLookback, Duration idempotencyRetention,
                 Function<String, TaskState> find) {
    this.views = views;
    this.batches = batches;
    this.pending = pending;
    this.watchers = watchers;
    this.feed = feed;
    this.codec = codec;
    this.clock = clock;
    this.pendingLookback = pendingLookback;
    this.idempotencyRetention = idempotencyRetention;
    this.find = find;
  }

  /** A record of the view topic; false if it was no view this build reads. */
  boolean view(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      TaskView gone = views.get(record.key());
      if (gone != null) {
        views.remove(record.key());
        views.unindex(indexKey(gone.task()));
      }
      return true;
    }
    TaskView view;
    try {
      view = codec.decodeView(record.value());
    } catch (UndecodableRecordException e) {
      log.warn("skipping undecodable view {}@{} ({}): {}", record.key(), record.offset(), e.reason(),
          e.getMessage());
      return false;
    }
    String taskId = view.task().taskId();
    // Looked up only for a tenant someone follows: it costs a decode.
    long before = feed.followsTenant(view.task().tenant()) ? versionOf(views.get(taskId)) : -1;
    if (!views.merge(view, record.value())) {
      return true;
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
    return true;
  }

  /** A record of the requests topic. */
  void request(ConsumerRecord<String, byte[]> record) {
    try {
      Envelope request = codec.decode(record.value());
      if (request.type().ofBatch()) {
        batches.applyRequest(request, record.partition());
        return;
      }
      pending(request, record.offset());
    } catch (UndecodableRecordException e) {
      // The worker dead-letters it; for the replica it is simply not a request.
      log.debug("ignoring undecodable request {}@{}: {}", record.key(), record.offset(), e.reason());
    }
  }

  /** A record of the batches topic. */
  void batch(ConsumerRecord<String, byte[]> record) {
    batches.applyRecord(record.key(), record.value());
  }

  /** A request appended at {@code offset}, unless its task's view reflects it already. */
  void pending(Envelope request, long offset) {
    TaskView view = views.get(request.taskId());
    if (view != null && view.task().reflects(request.eventId())) {
      return;
    }
    pending.add(request, offset);
    if (request.event() instanceof CancelRequested cancel && cancel.idempotencyKeyId() != null) {
      views.indexCancelKey(cancel.idempotencyKeyId(), request.taskId(), request.occurredAt());
    }
    TaskState task = find.apply(request.taskId());
    if (task != null) {
      views.index(indexKey(task));
    }
    watchers.changed(request.taskId());
  }

  /**
   * Every 30 s: forgets requests no view ever reflected (a cancel of a task that never existed), which would only
   * pile up, and now and then the idempotency keys past their retention.
   */
  void sweep() {
    Instant now = clock.instant();
    if (Duration.between(lastSweep, now).compareTo(SWEEP_INTERVAL) < 0) {
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
      TaskState overlaid = find.apply(taskId);
      if (pending.forgetBefore(taskId, cutoff) && overlaid != null && views.get(taskId) == null) {
        // A request no view ever reflected leaves no listing behind.
        views.unindex(indexKey(overlaid));
      }
    }
  }

  static TaskViewReplica.IndexKey indexKey(TaskState task) {
    return new TaskViewReplica.IndexKey(task.tenant(), task.createdAt(), task.taskId());
  }

  private static long versionOf(TaskView view) {
    return view == null ? 0 : view.task().version();
  }
}
