package dev.quench.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One cancel request as the task remembers it: who asked, when and why, how the api answered, and what came of it.
 * Enough to audit every cancellation, and to recognise and answer a retry the same way.
 *
 * @param requestId     its event id
 * @param requestedAt   when it was made
 * @param requestedBy   the API key id that made it
 * @param reason        the reason given, or null
 * @param correlationId the {@code X-Request-Id} of the HTTP request
 * @param fingerprint   the SHA-256 of the request as the client sent it, to tell a retry from a different request
 *                      under the same idempotency key; null if none was recorded
 * @param foundStatus   the status the api saw when it accepted the request
 * @param outcome       what came of it: {@code cancelled}, or the no-op reason ({@code completed_first}, ...);
 *                      null while pending
 * @param idempotencyKeyId the request's {@link CancelRequested#idempotencyKeyId()}, or null
 * @param batch         the cancellation batch it was part of, or null
 */
public record CancelRecord(UUID requestId, Instant requestedAt, String requestedBy, String reason,
                           String correlationId, String fingerprint, TaskStatus foundStatus, String outcome,
                           UUID idempotencyKeyId, BatchRef batch) {

  CancelRecord withOutcome(String result) {
    return new CancelRecord(requestId, requestedAt, requestedBy, reason, correlationId, fingerprint, foundStatus,
        result, idempotencyKeyId, batch);
  }
}
