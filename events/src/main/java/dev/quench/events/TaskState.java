package dev.quench.events;

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
 * @param metadata          the client's labels
 * @param input             the handler's input
 * @param progress          the handler's last report, or null
 * @param output            the result once completed, else null
 * @param error             why it failed, else null
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
 * @param cancelRequestIds  every cancel request recorded for it, in order (a retry with a seen id is ignored)
 * @param pendingCancels    the cancel requests still waiting for their outcome, oldest first
 * @param version           how many events have been folded into it
 * @param updatedAt         when the last of those happened
 */
public record TaskState(String taskId, String tenant, TaskStatus status, String capability, String model,
                        Map<String, String> metadata, JsonNode input, Progress progress, JsonNode output,
                        TaskError error, Instant createdAt, Instant startedAt, Instant completedAt,
                        Instant cancelRequestedAt, String cancelReason, Cancellation cancellation, int attempt,
                        String worker, String submittedBy, String correlationId, UUID submittedEventId,
                        List<UUID> cancelRequestIds, List<PendingCancel> pendingCancels, long version,
                        Instant updatedAt) {

  public TaskState {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    input = Json.orNull(input);
    output = Json.orNull(output);
    cancelRequestIds = cancelRequestIds == null ? List.of() : List.copyOf(cancelRequestIds);
    pendingCancels = pendingCancels == null ? List.of() : List.copyOf(pendingCancels);
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
    Builder next = state.toBuilder();
    if (event instanceof CancelRequested cancel) {
      if (state.cancelRequestIds.contains(e.eventId())) {
        return state;
      }
      next.cancelRequestIds.add(e.eventId());
      next.pendingCancels.add(new PendingCancel(e.eventId(), e.correlationId()));
      if (!state.status.terminal() && state.cancelRequestedAt == null) {
        next.cancelRequestedAt = e.occurredAt();
        next.cancelReason = cancel.reason();
      }
    } else if (event instanceof TaskCancelled cancelled) {
      next.answered(e.causationId());
      if (state.status.terminal()) {
        return next.build(e);
      }
      next.status = TaskStatus.CANCELLED;
      next.completedAt = e.occurredAt();
      next.cancellation = new Cancellation(e.causationId(), cancelled.was(), cancelled.forced());
    } else if (event instanceof CancelNoOp) {
      if (!next.answered(e.causationId())) {
        return state;
      }
    } else if (state.status.terminal() || event instanceof TaskSubmitted) {
      return state;
    } else if (event instanceof TaskStarted started) {
      next.status = TaskStatus.RUNNING;
      next.startedAt = e.occurredAt();
      next.attempt = started.attempt();
      next.worker = started.worker();
      next.progress = null;
    } else if (event instanceof TaskProgressed progressed) {
      if (state.status != TaskStatus.RUNNING || progressed.attempt() != state.attempt) {
        return state;
      }
      next.progress = progressed.progress();
    } else if (event instanceof TaskCompleted completed) {
      next.status = TaskStatus.COMPLETED;
      next.output = completed.output();
      next.completedAt = e.occurredAt();
    } else if (event instanceof TaskFailed failed) {
      next.status = TaskStatus.FAILED;
      next.error = failed.error();
      next.completedAt = e.occurredAt();
    } else if (event instanceof TaskRequeued) {
      next.status = TaskStatus.QUEUED;
      next.startedAt = null;
      next.progress = null;
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
    return eventId.equals(submittedEventId) || cancelRequestIds.contains(eventId);
  }

  /**
   * This state without what only readers need (input, output, metadata, progress), once terminal: all a worker
   * needs to answer later cancels of a finished task, at a fraction of the memory.
   */
  public TaskState withoutPayload() {
    if (!status.terminal()) {
      return this;
    }
    return new TaskState(taskId, tenant, status, capability, model, Map.of(), null, null, null, error, createdAt,
        startedAt, completedAt, cancelRequestedAt, null, cancellation, attempt, worker, submittedBy, correlationId,
        submittedEventId, cancelRequestIds, pendingCancels, version, updatedAt);
  }

  private static TaskState submitted(Envelope e, TaskSubmitted s) {
    return new TaskState(e.taskId(), e.tenant(), TaskStatus.QUEUED, s.capability(), s.model(), s.metadata(),
        s.input(), null, null, null, e.occurredAt(), null, null, null, null, null, 0, null, s.submittedBy(),
        e.correlationId(), e.eventId(), List.of(), List.of(), 1, e.occurredAt());
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** A mutable copy, so each branch of {@link #evolve} names only what it changes. */
  private static final class Builder {
    private final TaskState from;
    private TaskStatus status;
    private Progress progress;
    private JsonNode output;
    private TaskError error;
    private Instant startedAt;
    private Instant completedAt;
    private Instant cancelRequestedAt;
    private String cancelReason;
    private Cancellation cancellation;
    private int attempt;
    private String worker;
    private final List<UUID> cancelRequestIds;
    private final List<PendingCancel> pendingCancels;

    private Builder(TaskState s) {
      from = s;
      status = s.status;
      progress = s.progress;
      output = s.output;
      error = s.error;
      startedAt = s.startedAt;
      completedAt = s.completedAt;
      cancelRequestedAt = s.cancelRequestedAt;
      cancelReason = s.cancelReason;
      cancellation = s.cancellation;
      attempt = s.attempt;
      worker = s.worker;
      cancelRequestIds = new ArrayList<>(s.cancelRequestIds);
      pendingCancels = new ArrayList<>(s.pendingCancels);
    }

    /** Drops the pending cancel this outcome answers; false if none was waiting. */
    private boolean answered(UUID requestId) {
      return pendingCancels.removeIf(p -> p.requestId().equals(requestId));
    }

    private TaskState build(Envelope cause) {
      TaskState s = from;
      return new TaskState(s.taskId, s.tenant, status, s.capability, s.model, s.metadata, s.input, progress, output,
          error, s.createdAt, startedAt, completedAt, cancelRequestedAt, cancelReason, cancellation, attempt, worker,
          s.submittedBy, s.correlationId, s.submittedEventId, cancelRequestIds, pendingCancels, s.version + 1,
          cause.occurredAt());
    }
  }
}
