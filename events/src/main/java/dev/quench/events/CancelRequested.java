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
 * <p>A target of a cancellation batch gets one too, emitted by the owner of its partition when it hands the target
 * on ({@link BatchTargets}), with {@code batch} set and an id derived from the batch and the task, so a replayed
 * hand-on names the same request.
 *
 * @param reason      the client's reason, or null
 * @param requestedBy the API key id that asked (never the secret)
 * @param foundStatus the task's status as the api saw it when it accepted the request; null if it did not know the
 *                    task, or for a batch's target
 * @param fingerprint the SHA-256 of the request as the client sent it, for retries under an idempotency key
 * @param warnings    what the client should know about its request, e.g. a reason that had to be shortened
 * @param idempotencyKeyId derived from the API key and the request's {@code Idempotency-Key} (never the key itself),
 *                    or null without one: lets the api tell the same key reused on another task's cancel
 * @param batch       the cancellation batch this request is part of, or null for a request of its own
 */
public record CancelRequested(String reason, String requestedBy, TaskStatus foundStatus, String fingerprint,
                              List<Warning> warnings, UUID idempotencyKeyId, BatchRef batch) implements TaskEvent {

  public CancelRequested {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  /** A request of its own, with the id of its {@code Idempotency-Key}. */
  public CancelRequested(String reason, String requestedBy, TaskStatus foundStatus, String fingerprint,
                         List<Warning> warnings, UUID idempotencyKeyId) {
    this(reason, requestedBy, foundStatus, fingerprint, warnings, idempotencyKeyId, null);
  }

  /** A target of a cancellation batch. */
  public CancelRequested(String reason, String requestedBy, TaskStatus foundStatus, String fingerprint,
                         List<Warning> warnings, BatchRef batch) {
    this(reason, requestedBy, foundStatus, fingerprint, warnings, null, batch);
  }

  /** A request without an {@code Idempotency-Key}. */
  public CancelRequested(String reason, String requestedBy, TaskStatus foundStatus, String fingerprint,
                         List<Warning> warnings) {
    this(reason, requestedBy, foundStatus, fingerprint, warnings, null, null);
  }

  public CancelRequested(String reason, String requestedBy) {
    this(reason, requestedBy, null, null, List.of(), null, null);
  }
}
