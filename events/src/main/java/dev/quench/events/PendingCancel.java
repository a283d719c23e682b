package dev.quench.events;

import java.util.UUID;

/**
 * A cancel request still waiting for its outcome: a running task's outcome comes only when its handler stops.
 *
 * @param requestId     the {@link CancelRequested} event id, the outcome's causation id
 * @param correlationId that request's {@code X-Request-Id}, the outcome's correlation id
 * @param batch         that request's batch, which its outcome names too; null for a request of its own
 */
public record PendingCancel(UUID requestId, String correlationId, BatchRef batch) {

  public PendingCancel(UUID requestId, String correlationId) {
    this(requestId, correlationId, null);
  }
}
