package dev.quench.events;

/**
 * A client asked to cancel a task.
 *
 * <p>Emitted by the api ({@code POST /v1/tasks/{id}/cancel}) to the requests topic, then sequenced into the log by
 * the owning worker, followed in the same transaction, or when the running handler stops, by exactly one outcome:
 * {@link TaskCancelled} or {@link CancelNoOp}, whose causation id is this event's id. Every request is recorded,
 * not only the first. Key: the task id.
 *
 * @param reason      the client's reason, or null
 * @param requestedBy the API key id that asked (never the secret)
 */
public record CancelRequested(String reason, String requestedBy) implements TaskEvent {
}
