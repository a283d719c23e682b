package dev.quench.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Everything known about one task: the left fold of its events by {@link #evolve}. The worker decides on it, the
 * projector publishes it as the read model, the api renders it; all three compute it with this one function.
 *
 * @param taskId            the task
 * @param tenant            the tenant that owns it
 * @param status            where it is in its life
 * @param capability        the handler that runs it
 * @param model             the model asked for, or null
 * @param resolvedModel     the model its handler runs for it, once started, or null
 * @param metadata          the client's labels
 * @param input             the handler's input
 * @param progress          the handler's last report, or null
 * @param output            the result once completed, else null
 * @param error             why it failed, else null
 * @param warnings          what the client should know about its requests, oldest first
 * @param usage             what its current or last run used, as last reported, or null
 * @param reservedCredits   what its current or last run may cost at most, reserved when it started
 * @param chargedCredits    once it ended: what it cost, never more than reserved; else null
 * @param refundedCredits   once it ended: the reserved credits it did not use; else null
 * @param createdAt         when it was submitted
 * @param startedAt         when its current run started, or null
 * @param completedAt       when it reached a terminal status, or null
 * @param cancelRequestedAt when the first cancel that found it not yet terminal was requested, or null
 * @param cancelReason      that first cancel's reason, or null
 * @param cancellation      how it was stopped, when cancelled
 * @param attempt           the number of runs started so far
 * @param worker            the worker instance of its current or last run, or null
 * @param submittedBy       the API key id that submitted it
 * @param correlationId     the request id of its submission
 * @param submittedEventId  the id of its {@link TaskSubmitted}
 * @param fingerprint       the fingerprint of the submission that counted, for idempotent retries
 * @param parentTaskId      the task this one is a subtask of, or null
 * @param ancestors         its parent's ancestors and its parent, root first; empty without a parent
 * @param cancelRequests    every cancel request recorded for it, in order (a retry with a seen id is ignored)
 * @param pendingCancels    the cancel requests still waiting for their outcome, oldest first
 * @param callback          its callback's delivery, or null when none was asked for
 * @param history           its steps, oldest first, at most {@link #HISTORY_LIMIT} (the latest progress only)
 * @param version           how many events have been folded into it
 * @param updatedAt         when the last of those happened
 */
public record TaskState(String taskId, String tenant, TaskStatus status, String capability, String model,
                        String resolvedModel, Map<String, String> metadata, JsonNode input, Progress progress,
                        JsonNode output, TaskError error, List<Warning> warnings, Usage usage,
                        BigDecimal reservedCredits, BigDecimal chargedCredits, BigDecimal refundedCredits,
                        Instant createdAt, Instant startedAt, Instant completedAt, Instant cancelRequestedAt,
                        String cancelReason, Cancellation cancellation, int attempt, String worker,
                        String submittedBy, String correlationId, UUID submittedEventId, String fingerprint,
                        String parentTaskId, List<String> ancestors,
                        List<CancelRecord> cancelRequests, List<PendingCancel> pendingCancels,
                        CallbackDelivery callback, List<HistoryEntry> history, long version, Instant updatedAt) {

  /** History kept per task: enough to follow a task, bounded so a chatty one cannot grow without end. */
  public static final int HISTORY_LIMIT = 50;

  public TaskState {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    input = Json.orNull(input);
    output = Json.orNull(output);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    reservedCredits = reservedCredits == null ? BigDecimal.ZERO : Decimals.canonical(reservedCredits);
    chargedCredits = Decimals.canonical(chargedCredits);
    refundedCredits = Decimals.canonical(refundedCredits);
    ancestors = ancestors == null ? List.of() : List.copyOf(ancestors);
    cancelRequests = cancelRequests == null ? List.of() : List.copyOf(cancelRequests);
    pendingCancels = pendingCancels == null ? List.of() : List.copyOf(pendingCancels);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /**
   * The state after {@code e}. Pure and total: an event that does not apply (a duplicate, anything but a submission
   * for an unknown task, a late lifecycle event for a terminal task) leaves the state as it was, so folding a log
   * twice, or a log with a zombie's leftovers, gives the same answer.
   *
   * @param state the state before, or null for a task not seen yet
   * @return the state after, or null while the task is still unknown
   */
  public static TaskState evolve(TaskState state, Envelope e) {
    TaskEvent event = e.event();
    if (state == null) {
      return event instanceof TaskSubmitted submitted ? submitted(e, submitted) : null;
    }
    if (e.type().ofBatch() || !sameTenant(e, state)) {
      // A batch's own events are not the task's; a request in another tenant's name is never part of its history.
      return state;
    }
    Builder next = state.toBuilder();
    if (event instanceof CancelRequested cancel) {
      if (state.cancelRecord(e.eventId()) != null) {
        return state;
      }
      next.cancelRequests.add(new CancelRecord(e.eventId(), e.occurredAt(), cancel.requestedBy(), cancel.reason(),
          e.correlationId(), cancel.fingerprint(), cancel.foundStatus(), null, cancel.idempotencyKeyId(),
          cancel.batch()));
      next.pendingCancels.add(new PendingCancel(e.eventId(), e.correlationId(), cancel.batch()));
      next.warnings.addAll(cancel.warnings());
      if (!state.status.terminal() && state.cancelRequestedAt == null) {
        next.cancelRequestedAt = e.occurredAt();
        next.cancelReason = cancel.reason();
        next.record(e, state.status, cancel.reason());
      }
    } else if (event instanceof TaskCancelled cancelled) {
      next.answered(e.causationId(), "cancelled");
      if (state.status.terminal()) {
        return next.build(e);
      }
      next.cancellation = new Cancellation(e.causationId(), cancelled.was(), cancelled.forced());
      next.end(e, TaskStatus.CANCELLED, cancelled.usage(), cancelled.forced() ? "stopped by force" : null);
    } else if (event instanceof CancelNoOp noOp) {
      if (!next.answered(e.causationId(), noOp.reason().wire())) {
        return state;
      }
    } else if (e.type().ofCallback()) {
      // Only the next attempt of the delivery the terminal event started counts: a replay or a stray is no change.
      CallbackDelivery delivery = state.callback;
      if (delivery == null) {
        return state;
      }
      if (event instanceof CallbackAttempted a && delivery.nextAttempt(e, a.attempt())) {
        next.callback = delivery.attempted(a);
      } else if (event instanceof CallbackDelivered d && delivery.nextAttempt(e, d.attempt())) {
        next.callback = delivery.delivered(d, e.occurredAt());
      } else if (event instanceof CallbackAbandoned a && delivery.nextAttempt(e, a.attempt())) {
        next.callback = delivery.abandoned(a);
      } else {
        return state;
      }
    } else if (state.status.terminal() || event instanceof TaskSubmitted) {
      return state;
    } else if (event instanceof TaskStarted started) {
      next.status = TaskStatus.RUNNING;
      next.startedAt = e.occurredAt();
      next.attempt = started.attempt();
      next.worker = started.worker();
      next.resolvedModel = started.resolvedModel();
      next.reservedCredits = started.reservedCredits();
      next.progress = null;
      next.usage = null;
      next.record(e, TaskStatus.RUNNING, "attempt " + started.attempt() + " on " + started.worker());
    } else if (event instanceof TaskProgressed progressed) {
      if (state.status != TaskStatus.RUNNING || progressed.attempt() != state.attempt) {
        return state;
      }
      if (progressed.progress() != null) {
        next.progress = progressed.progress();
        next.record(e, TaskStatus.RUNNING, progressed.progress().message());
      }
      if (progressed.usage() != null) {
        next.usage = progressed.usage();
      }
    } else if (event instanceof TaskCompleted completed) {
      next.output = completed.output();
      next.end(e, TaskStatus.COMPLETED, completed.usage(), null);
    } else if (event instanceof TaskFailed failed) {
      next.error = failed.error();
      next.end(e, TaskStatus.FAILED, failed.usage(), failed.error().message());
    } else if (event instanceof TaskRequeued requeued) {
      next.status = TaskStatus.QUEUED;
      next.startedAt = null;
      next.progress = null;
      // The run that ended here is not charged: its reservation and usage go with it.
      next.usage = null;
      next.reservedCredits = BigDecimal.ZERO;
      next.record(e, TaskStatus.QUEUED, requeued.reason());
    }
    return next.build(e);
  }

  /** The fold of a whole history, oldest first; null if it never names a submission. */
  public static TaskState fold(Iterable<Envelope> history) {
    TaskState state = null;
    for (Envelope e : history) {
      state = evolve(state, e);
    }
    return state;
  }

  /** Whether this state already reflects the event with this id: a request the api appended, say. */
  public boolean reflects(UUID eventId) {
    return eventId.equals(submittedEventId) || cancelRecord(eventId) != null;
  }

  /** The cancel request with this id, or null. */
  public CancelRecord cancelRecord(UUID requestId) {
    for (CancelRecord record : cancelRequests) {
      if (record.requestId().equals(requestId)) {
        return record;
      }
    }
    return null;
  }

  /** Whether {@code e} is in the task's tenant's name (an event that names none is). */
  static boolean sameTenant(Envelope e, TaskState state) {
    return e.tenant() == null || state.tenant == null || e.tenant().equals(state.tenant);
  }

  /** Whether this task is {@code root} or descends from it. */
  public boolean inTreeOf(String root) {
    return taskId.equals(root) || ancestors.contains(root);
  }

  /**
   * This state without what only readers need (input, output, metadata, progress, history), once terminal: all a
   * worker needs to answer later cancels of a finished task, at a fraction of the memory.
   */
  public TaskState withoutPayload() {
    if (!status.terminal()) {
      return this;
    }
    return new TaskState(taskId, tenant, status, capability, model, resolvedModel, Map.of(), null, null, null,
        error, List.of(), null, reservedCredits, chargedCredits, refundedCredits, createdAt, startedAt, completedAt,
        cancelRequestedAt, null, cancellation, attempt, worker, submittedBy, correlationId, submittedEventId,
        fingerprint, parentTaskId, ancestors, cancelRequests, pendingCancels, callback, List.of(), version,
        updatedAt);
  }

  private static TaskState submitted(Envelope e, TaskSubmitted s) {
    return new TaskState(e.taskId(), e.tenant(), TaskStatus.QUEUED, s.capability(), s.model(), null, s.metadata(),
        s.input(), null, null, null, s.warnings(), null, BigDecimal.ZERO, null, null, e.occurredAt(), null, null,
        null, null, null, 0, null, s.submittedBy(), e.correlationId(), e.eventId(), s.fingerprint(),
        s.parentTaskId(), s.ancestors(), List.of(), List.of(),
        s.callback() == null ? null : CallbackDelivery.requested(s.callback()),
        List.of(new HistoryEntry(e.type().wire(), e.occurredAt(), TaskStatus.QUEUED, null, e.eventId(), 1)), 1,
        e.occurredAt());
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** A mutable copy, so each branch of {@link #evolve} names only what it changes. */
  private static final class Builder {
    private final TaskState from;
    private TaskStatus status;
    private String resolvedModel;
    private Progress progress;
    private JsonNode output;
    private TaskError error;
    private final List<Warning> warnings;
    private Usage usage;
    private BigDecimal reservedCredits;
    private BigDecimal chargedCredits;
    private BigDecimal refundedCredits;
    private Instant startedAt;
    private Instant completedAt;
    private Instant cancelRequestedAt;
    private String cancelReason;
    private Cancellation cancellation;
    private int attempt;
    private String worker;
    private final List<CancelRecord> cancelRequests;
    private final List<PendingCancel> pendingCancels;
    private final List<HistoryEntry> history;
    private CallbackDelivery callback;

    private Builder(TaskState s) {
      from = s;
      status = s.status;
      resolvedModel = s.resolvedModel;
      progress = s.progress;
      output = s.output;
      error = s.error;
      warnings = new ArrayList<>(s.warnings);
      usage = s.usage;
      reservedCredits = s.reservedCredits;
      chargedCredits = s.chargedCredits;
      refundedCredits = s.refundedCredits;
      startedAt = s.startedAt;
      completedAt = s.completedAt;
      cancelRequestedAt = s.cancelRequestedAt;
      cancelReason = s.cancelReason;
      cancellation = s.cancellation;
      attempt = s.attempt;
      worker = s.worker;
      cancelRequests = new ArrayList<>(s.cancelRequests);
      pendingCancels = new ArrayList<>(s.pendingCancels);
      history = new ArrayList<>(s.history);
      callback = s.callback;
    }

    /** Drops the pending cancel this outcome answers and records its outcome; false if none was waiting. */
    private boolean answered(UUID requestId, String outcome) {
      cancelRequests.replaceAll(r -> r.requestId().equals(requestId) ? r.withOutcome(outcome) : r);
      return pendingCancels.removeIf(p -> p.requestId().equals(requestId));
    }

    /**
     * Ends the task. A run is charged what it used, never more than it reserved; the rest of the reservation is
     * refunded. A task that never ran reserved nothing and is charged nothing.
     */
    private void end(Envelope e, TaskStatus terminal, Usage finalUsage, String message) {
      status = terminal;
      completedAt = e.occurredAt();
      if (finalUsage != null) {
        usage = finalUsage;
      }
      BigDecimal used = usage == null ? BigDecimal.ZERO : usage.credits();
      chargedCredits = used.min(reservedCredits);
      refundedCredits = reservedCredits.subtract(chargedCredits);
      if (callback != null) {
        callback = callback.ended(e.eventId(), e.occurredAt());
      }
      record(e, terminal, message);
    }

    private void record(Envelope e, TaskStatus after, String message) {
      HistoryEntry entry = new HistoryEntry(e.type().wire(), e.occurredAt(), after, message, e.eventId(),
          from.version + 1);
      boolean progress = e.type() == EventType.TASK_PROGRESSED;
      if (progress && !history.isEmpty()
          && history.get(history.size() - 1).type().equals(EventType.TASK_PROGRESSED.wire())) {
        history.set(history.size() - 1, entry);
        return;
      }
      history.add(entry);
      if (history.size() > HISTORY_LIMIT) {
        history.remove(1);
      }
    }

    private TaskState build(Envelope cause) {
      TaskState s = from;
      return new TaskState(s.taskId, s.tenant, status, s.capability, s.model, resolvedModel, s.metadata, s.input,
          progress, output, error, warnings, usage, reservedCredits, chargedCredits, refundedCredits, s.createdAt,
          startedAt, completedAt, cancelRequestedAt, cancelReason, cancellation, attempt, worker, s.submittedBy,
          s.correlationId, s.submittedEventId, s.fingerprint, s.parentTaskId, s.ancestors, cancelRequests,
          pendingCancels, callback, history, s.version + 1, cause.occurredAt());
    }
  }
}
