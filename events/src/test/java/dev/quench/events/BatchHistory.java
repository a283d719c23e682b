package dev.quench.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds a cancellation batch's records the way the api writes them, for tests of any module. */
public final class BatchHistory {

  private final UUID batchId;
  private final Instant acceptedAt;

  public BatchHistory(UUID batchId, Instant acceptedAt) {
    this.batchId = batchId;
    this.acceptedAt = acceptedAt;
  }

  public UUID batchId() {
    return batchId;
  }

  public Instant acceptedAt() {
    return acceptedAt;
  }

  public Envelope accepted(int matched, int notFound, int chunks) {
    return batchEvent("accepted", new BatchAccepted("key-test", "campaign aborted", null, BatchSelection.IDS, null,
        null, matched, notFound, chunks, "fp"));
  }

  /** A chunk of targets handed on at {@code perSecond} (null: at once), the {@code firstIndex}th onwards. */
  public Envelope targets(int chunk, long firstIndex, Double perSecond, List<String> taskIds) {
    return batchEvent("targets-" + chunk, new BatchTargets(chunk, taskIds, false, acceptedAt, perSecond, firstIndex,
        "campaign aborted", "key-test", null));
  }

  public Envelope cascade(int chunk, String root, List<String> taskIds) {
    return batchEvent("targets-" + chunk, new BatchTargets(chunk, taskIds, false, acceptedAt, null, 0,
        "tree cancelled", "key-test", root));
  }

  public Envelope abort() {
    return batchEvent("abort", new BatchAbortRequested("key-test"));
  }

  private Envelope batchEvent(String name, TaskEvent event) {
    return Envelope.of(Uuids.derive(batchId, name), batchId.toString(), TaskHistory.TENANT, acceptedAt, "api", null,
        "req-batch", event);
  }
}
