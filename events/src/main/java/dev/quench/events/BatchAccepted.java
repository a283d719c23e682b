package dev.quench.events;

import tools.jackson.databind.JsonNode;

/**
 * A client asked to cancel many tasks at once, and the api fixed which: the batch's targets are exactly the ones its
 * {@link BatchTargets} records name, resolved against the read model when this was accepted.
 *
 * <p>Emitted by the api ({@code POST /v1/cancellation_batches}, or a cancel with {@code cascade}) to the requests
 * topic, in one Kafka transaction with all of the batch's {@link BatchTargets}, so a reader sees the whole batch or
 * none of it; sequenced into the log by the owner of the batch's home partition (the partition of its id). Key and
 * the envelope's {@code task_id}: the batch id.
 *
 * @param requestedBy  the API key id that asked
 * @param reason       the reason every target's cancel request carries, or null
 * @param maxPerSecond the most targets handed on per second, or null for as fast as the workers go
 * @param selection    how the targets were named
 * @param filter       the filter as accepted, for {@link BatchSelection#FILTER}; else null
 * @param rootTaskId   the task whose tree is cancelled, for {@link BatchSelection#CASCADE}; else null
 * @param matched      how many targets are handed on (tasks the caller can see)
 * @param notFound     how many named ids are no task the caller can see: reported, never requested
 * @param chunks       how many {@link BatchTargets} records the batch has, so a reader knows when it has all
 * @param fingerprint  the SHA-256 of the request as the client sent it, for retries under an idempotency key
 */
public record BatchAccepted(String requestedBy, String reason, Integer maxPerSecond, BatchSelection selection,
                            JsonNode filter, String rootTaskId, int matched, int notFound, int chunks,
                            String fingerprint) implements TaskEvent {

  public BatchAccepted {
    filter = Json.orNull(filter);
  }
}
