package dev.quench.events;

import dev.quench.events.TaskCommand.Accept;
import dev.quench.events.TaskCommand.Finish;
import dev.quench.events.TaskCommand.HandBack;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskCommand.RecoverOrphan;
import dev.quench.events.TaskCommand.ReportProgress;
import dev.quench.events.TaskCommand.Start;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The worker's decisions, as a pure function: {@code decide(command, state) -> events}. The cancellation semantics
 * of docs/architecture.md §4 live here and nowhere else.
 *
 * <p>Ids of the events it emits are derived from what caused them, so deciding the same command on the same state
 * again yields the very same events: a decision replayed after a crash cannot tell itself apart from the first.
 */
public final class TaskDecider {

  private TaskDecider() {
  }

  /**
   * The events that follow from {@code command} given {@code state}, oldest first; empty when nothing happens.
   *
   * @param state the fold of the task's log so far, or null if the task is unknown
   */
  public static List<Envelope> decide(TaskCommand command, TaskState state) {
    if (command instanceof Accept accept) {
      return accept(accept, state);
    }
    if (state == null) {
      return List.of();
    }
    if (command instanceof Start start) {
      return start(start, state);
    }
    if (command instanceof ReportProgress report) {
      return running(state, report.attempt())
          ? List.of(emit(state, report.worker(), report.at(), startedId(state),
              new TaskProgressed(report.attempt(), report.progress(), report.usage()),
              Uuids.derive(state.taskId(), "progress", report.attempt(), report.at(), report.progress(),
                  report.usage())))
          : List.of();
    }
    if (command instanceof Finish finish) {
      return running(state, finish.attempt()) ? finish(finish, state) : List.of();
    }
    if (command instanceof RecoverOrphan orphan) {
      return state.status() == TaskStatus.RUNNING ? recover(orphan, state) : List.of();
    }
    if (command instanceof HandBack handBack) {
      return running(state, handBack.attempt()) ? handBack(handBack, state) : List.of();
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  private static List<Envelope> accept(Accept accept, TaskState state) {
    Envelope request = accept.request();
    TaskEvent event = request.event();
    if (event instanceof TaskSubmitted) {
      return state == null ? List.of(request) : List.of();
    }
    if (!(event instanceof CancelRequested cancel)) {
      // A batch's own requests are sequenced by the worker's batch decisions, not decided per task.
      throw new IllegalArgumentException("only a task's requests can be accepted, not " + request.type().wire());
    }
    BatchRef batch = cancel.batch();
    if (state == null || !TaskState.sameTenant(request, state)) {
      // Another tenant's task is no task at all to this request, and its history never shows it.
      return List.of(request, outcome(request, accept.worker(), accept.at(),
          new CancelNoOp(NoOpReason.UNKNOWN_TASK, null, batch)));
    }
    if (state.cancelRecord(request.eventId()) != null) {
      return List.of();
    }
    return switch (state.status()) {
      case QUEUED -> List.of(request, outcome(request, accept.worker(), accept.at(),
          new TaskCancelled(TaskStatus.QUEUED, false, null, batch)));
      // The handler's token fires now; the outcome waits until the handler stops (see finish).
      case RUNNING -> List.of(request);
      case COMPLETED, FAILED, CANCELLED -> List.of(request, outcome(request, accept.worker(), accept.at(),
          new CancelNoOp(NoOpReason.ALREADY_TERMINAL, state.status(), batch)));
    };
  }

  private static List<Envelope> start(Start start, TaskState state) {
    if (state.status() != TaskStatus.QUEUED) {
      return List.of();
    }
    int attempt = state.attempt() + 1;
    return List.of(emit(state, start.worker(), start.at(), state.submittedEventId(),
        new TaskStarted(start.worker(), attempt, start.resolvedModel(), start.reservedCredits()),
        startedId(state.taskId(), attempt)));
  }

  private static List<Envelope> finish(Finish finish, TaskState state) {
    Outcome outcome = finish.outcome();
    UUID cause = startedId(state);
    if (outcome instanceof Outcome.Cancelled cancelled) {
      if (state.pendingCancels().isEmpty()) {
        // Only a cancel request fires a token; a handler that stops on its own has failed.
        return List.of(emit(state, finish.worker(), finish.at(), cause,
            new TaskFailed(finish.attempt(), new TaskError(TaskError.HANDLER_ERROR,
                "the handler stopped as cancelled, but no cancel was requested", true), cancelled.usage()),
            Uuids.derive(cause, EventType.TASK_FAILED.wire())));
      }
      return cancelRunning(state, cancelled.forced(), cancelled.usage(), finish.worker(), finish.at());
    }
    List<Envelope> events = new ArrayList<>();
    if (outcome instanceof Outcome.Completed completed) {
      events.add(emit(state, finish.worker(), finish.at(), cause,
          new TaskCompleted(finish.attempt(), completed.output(), completed.usage()),
          Uuids.derive(cause, EventType.TASK_COMPLETED.wire())));
    } else {
      events.add(emit(state, finish.worker(), finish.at(), cause,
          new TaskFailed(finish.attempt(), ((Outcome.Failed) outcome).error(), outcome.usage()),
          Uuids.derive(cause, EventType.TASK_FAILED.wire())));
    }
    for (PendingCancel pending : state.pendingCancels()) {
      events.add(outcome(state, pending, finish.worker(), finish.at(),
          new CancelNoOp(NoOpReason.COMPLETED_FIRST, TaskStatus.RUNNING, pending.batch())));
    }
    return events;
  }

  private static List<Envelope> recover(RecoverOrphan orphan, TaskState state) {
    if (!state.pendingCancels().isEmpty()) {
      // A cancel arrived while no worker held the task: honour it; the lost run cannot complete any more.
      return cancelRunning(state, true, state.usage(), orphan.worker(), orphan.at());
    }
    UUID cause = startedId(state);
    TaskEvent event = switch (orphan.policy()) {
      case FAIL -> new TaskFailed(state.attempt(), new TaskError(TaskError.WORKER_LOST,
          "the worker running this task stopped before it finished", true), state.usage());
      case RERUN -> new TaskRequeued(state.attempt(), TaskError.WORKER_LOST);
    };
    return List.of(emit(state, orphan.worker(), orphan.at(), cause, event,
        Uuids.derive(cause, event.type().wire())));
  }

  private static List<Envelope> handBack(HandBack handBack, TaskState state) {
    if (!state.pendingCancels().isEmpty()) {
      // It was asked to stop and did not within the grace: it is cancelled, by force, not run again.
      return cancelRunning(state, true, state.usage(), handBack.worker(), handBack.at());
    }
    UUID cause = startedId(state);
    TaskRequeued requeued = new TaskRequeued(state.attempt(), TaskRequeued.WORKER_STOPPED);
    return List.of(emit(state, handBack.worker(), handBack.at(), cause, requeued,
        Uuids.derive(cause, requeued.type().wire())));
  }

  /** The first pending cancel gets the {@link TaskCancelled}; any later one was redundant. */
  private static List<Envelope> cancelRunning(TaskState state, boolean forced, Usage usage, String worker,
                                              Instant at) {
    List<Envelope> events = new ArrayList<>();
    List<PendingCancel> pending = state.pendingCancels();
    events.add(outcome(state, pending.get(0), worker, at, new TaskCancelled(TaskStatus.RUNNING, forced, usage,
        pending.get(0).batch())));
    for (PendingCancel later : pending.subList(1, pending.size())) {
      events.add(outcome(state, later, worker, at, new CancelNoOp(NoOpReason.ALREADY_CANCELLING,
          TaskStatus.RUNNING, later.batch())));
    }
    return events;
  }

  private static boolean running(TaskState state, int attempt) {
    return state.status() == TaskStatus.RUNNING && state.attempt() == attempt;
  }

  /** The outcome of a request being accepted now: it carries the request's correlation id. */
  private static Envelope outcome(Envelope request, String worker, Instant at, TaskEvent event) {
    return Envelope.of(Uuids.derive(request.eventId(), event.type().wire()), request.taskId(), request.tenant(), at,
        worker, request.eventId(), request.correlationId(), event);
  }

  /** The outcome of a request decided earlier, still pending in the state. */
  private static Envelope outcome(TaskState state, PendingCancel request, String worker, Instant at,
                                  TaskEvent event) {
    return Envelope.of(Uuids.derive(request.requestId(), event.type().wire()), state.taskId(), state.tenant(), at,
        worker, request.requestId(), request.correlationId(), event);
  }

  private static Envelope emit(TaskState state, String worker, Instant at, UUID cause, TaskEvent event, UUID id) {
    return Envelope.of(id, state.taskId(), state.tenant(), at, worker, cause, state.correlationId(), event);
  }

  private static UUID startedId(TaskState state) {
    return startedId(state.taskId(), state.attempt());
  }

  private static UUID startedId(String taskId, int attempt) {
    return Uuids.derive(taskId, EventType.TASK_STARTED.wire(), attempt);
  }
}
