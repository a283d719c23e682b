package dev.quench.events;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The header record of a cancellation batch on the compacted batches topic: what was asked and fixed when it was
 * accepted, and whether it was aborted. Its progress is in its {@link BatchChunkView}s.
 *
 * <p>Written by the projector only, keyed by the batch id ({@link #key}), into the partition of the batch's home log
 * partition, from the {@link BatchAccepted} and {@link BatchAbortRequested} sequenced there.
 *
 * @param batchId          the batch
 * @param tenant           whose batch it is
 * @param accepted         the request as the api fixed it
 * @param createdAt        when it was accepted
 * @param correlationId    the {@code X-Request-Id} of the request that made it
 * @param abortRequestedAt when an abort was first asked for, or null
 * @param abortRequestedBy the API key id that asked, or null
 * @param logPartition     the log partition of its home
 * @param logOffset        the offset of the last event folded into it
 */
public record BatchView(UUID batchId, String tenant, BatchAccepted accepted, Instant createdAt, String correlationId,
                        Instant abortRequestedAt, String abortRequestedBy, int logPartition, long logOffset) {

  /** The record key of a batch's header. */
  public static String key(UUID batchId) {
    return batchId.toString();
  }

  /**
   * The header after {@code e} at {@code (partition, offset)} of the home partition's log, or null if {@code e}
   * changes nothing (a replay, another event, an abort asked again).
   */
  public static BatchView next(BatchView current, Envelope e, int partition, long offset) {
    if (current != null && current.logOffset >= offset) {
      return null;
    }
    if (e.event() instanceof BatchAccepted accepted && current == null) {
      return new BatchView(UUID.fromString(e.taskId()), e.tenant(), accepted, e.occurredAt(), e.correlationId(),
          null, null, partition, offset);
    }
    if (e.event() instanceof BatchAbortRequested abort && current != null && current.abortRequestedAt == null) {
      return new BatchView(current.batchId, current.tenant, current.accepted, current.createdAt,
          current.correlationId, e.occurredAt(), abort.requestedBy(), partition, offset);
    }
    return null;
  }
}
