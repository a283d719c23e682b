package dev.quench.events;

/**
 * A receiver answered a task's callback with 2xx: its delivery is done. Not terminal for the task.
 *
 * <p>Emitted by the deliverer that owns the task's log partition, in a Kafka transaction, keyed by the task id, after
 * the terminal event it reports (its causation id) and any {@link CallbackAttempted} before it; the last event of a
 * delivery.
 *
 * @param attempt    which attempt succeeded, from 1
 * @param statusCode the receiver's 2xx status
 */
public record CallbackDelivered(int attempt, int statusCode) implements TaskEvent {
}
