package dev.quench.events;

import java.util.List;
import java.util.UUID;

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
 * @param foundStatus the task's status as the api saw it when it accepted the request; null if it did not know the
 *                    task
 * @param fingerprint the SHA-256 of the request as the client sent it, for retries under an idempotency key
 * @param warnings    what the client should know about its request, e.g. a reason that had to be shortened
 * @param idempotencyKeyId derived from the API key and the request's {@code Idempotency-Key} (never the key itself),
 *                    or null without one: lets the api tell the same key reused on another task's cancel
 */
public record CancelRequested(String reason, String requestedBy, TaskStatus foundStatus, String fingerprint,
                              List<Warning> warnings, UUID idempotencyKeyId) implements TaskEvent {

  public CancelRequested {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** A request without an {@code Idempotency-Key}. */
  public CancelRequested(String reason, String requestedBy, TaskStatus foundStatus, String fingerprint,
                         List<Warning> warnings) {
    this(reason, requestedBy, foundStatus, fingerprint, warnings, null);
  }

  public CancelRequested(String reason, String requestedBy) {
    this(reason, requestedBy, null, null, List.of());
  }
}
