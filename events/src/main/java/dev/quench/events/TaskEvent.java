package dev.quench.events;

/**
 * A fact about one task. Every event travels inside an {@link Envelope} keyed by its task id, so one partition of
 * the log holds a task's whole history in order.
 *
 * <p>Requests ({@link EventType#request()}: {@link TaskSubmitted}, {@link CancelRequested}, and a cancellation
 * batch's {@link BatchAccepted}, {@link BatchTargets} and {@link BatchAbortRequested}) are appended by the api to the
 * requests topic and copied, in order and unchanged, into the log by the worker that owns the partition. Every other
 * event is emitted by that worker only, inside the same Kafka transaction as the request that caused it, except the
 * callback's ({@link EventType#ofCallback()}: {@link CallbackAttempted}, {@link CallbackDelivered},
 * {@link CallbackAbandoned}), which the deliverer owning the partition appends, in its own transactions, after the
 * task's terminal event.
 *
 * <p>A batch's events ({@link EventType#ofBatch()}) are keyed by the batch id, which stands in the envelope's
 * {@code task_id}; every other event is keyed by its task.
 */
public sealed interface TaskEvent
    permits TaskSubmitted, TaskStarted, TaskProgressed, TaskCompleted, TaskFailed, TaskRequeued,
    CancelRequested, TaskCancelled, CancelNoOp,
    BatchAccepted, BatchTargets, BatchAbortRequested, BatchTargetsSkipped,
    CallbackAttempted, CallbackDelivered, CallbackAbandoned {

  /** The event's short name on the wire. */
  default EventType type() {
    return EventType.of(this);
  }
}
