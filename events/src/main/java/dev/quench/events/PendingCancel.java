package dev.quench.events;

import java.util.UUID;

/**
 * A cancel request still waiting for its outcome: a running task's outcome comes only when its handler stops.
 *
 * @param requestId     the {@link CancelRequested} event id, the outcome's causation id
 * @param correlationId that request's {@code X-Request-Id}, the outcome's correlation id
 */
public record PendingCancel(UUID requestId, String correlationId) {
}
