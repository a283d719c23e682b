package dev.quench.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Each event's short name on the wire and the newest schema version this build reads. Java class names never
 * reach the wire: a record can be renamed or moved without breaking a single reader.
 */
public enum EventType {
  TASK_SUBMITTED("task.submitted", TaskSubmitted.class),
  TASK_STARTED("task.started", TaskStarted.class),
  TASK_PROGRESSED("task.progressed", TaskProgressed.class),
  TASK_COMPLETED("task.completed", TaskCompleted.class),
  TASK_FAILED("task.failed", TaskFailed.class),
  TASK_REQUEUED("task.requeued", TaskRequeued.class),
  CANCEL_REQUESTED("task.cancel_requested", CancelRequested.class),
  TASK_CANCELLED("task.cancelled", TaskCancelled.class),
  CANCEL_NOOP("task.cancel_noop", CancelNoOp.class),
  BATCH_ACCEPTED("batch.accepted", BatchAccepted.class),
  BATCH_TARGETS("batch.targets", BatchTargets.class),
  BATCH_ABORT_REQUESTED("batch.abort_requested", BatchAbortRequested.class),
  BATCH_TARGETS_SKIPPED("batch.targets_skipped", BatchTargetsSkipped.class),
  CALLBACK_ATTEMPTED("callback.attempted", CallbackAttempted.class),
  CALLBACK_DELIVERED("callback.delivered", CallbackDelivered.class),
  CALLBACK_ABANDONED("callback.abandoned", CallbackAbandoned.class);

  /** The schema version written by this build, and the newest it can read. */
  public static final int SCHEMA_VERSION = 1;

  private final String wire;
  private final Class<? extends TaskEvent> javaType;

  EventType(String wire, Class<? extends TaskEvent> javaType) {
    this.wire = wire;
    this.javaType = javaType;
  }

  public String wire() {
    return wire;
  }

  public Class<? extends TaskEvent> javaType() {
    return javaType;
  }

  public static EventType of(TaskEvent event) {
    for (EventType type : values()) {
      if (type.javaType.isInstance(event)) {
        return type;
      }
    }
    throw new IllegalArgumentException("no wire type for " + event.getClass());
  }

  public static Optional<EventType> fromWire(String wire) {
    return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
  }

  /** Whether this event ends its task: at most one per task (docs/architecture.md §5, invariant 1). */
  public boolean terminal() {
    return this == TASK_COMPLETED || this == TASK_FAILED || this == TASK_CANCELLED;
  }

  /** Whether this event answers a {@link CancelRequested} (docs/architecture.md §5, invariant 2). */
  public boolean cancelOutcome() {
    return this == TASK_CANCELLED || this == CANCEL_NOOP;
  }

  /** Whether the api appends this, for the owning worker to sequence into the log: the only ones it may append. */
  public boolean request() {
    return this == TASK_SUBMITTED || this == CANCEL_REQUESTED || this == BATCH_ACCEPTED || this == BATCH_TARGETS
        || this == BATCH_ABORT_REQUESTED;
  }

  /**
   * Whether this records an attempt to deliver a task's callback: written by the deliverer, after the task's terminal
   * event, and never terminal itself.
   */
  public boolean ofCallback() {
    return this == CALLBACK_ATTEMPTED || this == CALLBACK_DELIVERED || this == CALLBACK_ABANDONED;
  }

  /** Whether this is an event of a cancellation batch, keyed by the batch id rather than a task's. */
  public boolean ofBatch() {
    return this == BATCH_ACCEPTED || this == BATCH_TARGETS || this == BATCH_ABORT_REQUESTED
        || this == BATCH_TARGETS_SKIPPED;
  }
}
