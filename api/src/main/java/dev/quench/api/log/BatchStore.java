package dev.quench.api.log;

import dev.quench.events.BatchAbortRequested;
import dev.quench.events.BatchAccepted;
import dev.quench.events.BatchChunkView;
import dev.quench.events.BatchTargets;
import dev.quench.events.BatchView;
import dev.quench.events.Envelope;
import dev.quench.events.TargetOutcome;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.UndecodableRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's replica of the cancellation batches: each batch's header and report chunks from the batches topic,
 * overlaid with the batch records of the requests topic that the projector has not folded yet, so a batch is
 * readable on every instance as soon as it is accepted. A record from the batches topic always wins over an overlay,
 * and only a record of a later log offset replaces it. Written by the replica's thread and by request threads for
 * the batches this instance accepted; read by request threads.
 */
public final class BatchStore {

  private static final Logger log = LoggerFactory.getLogger(BatchStore.class);

  /** Newest first per tenant. */
  private static final Comparator<Listed> ORDER = Comparator.comparing(Listed::tenant)
      .thenComparing(Listed::createdAt, Comparator.reverseOrder())
      .thenComparing(Listed::batchId, Comparator.reverseOrder());

  /** Where a batch sits in its tenant's listing. */
  public record Listed(String tenant, Instant createdAt, UUID batchId) {
  }

  /** A batch as this instance knows it now: its header and its report's chunks, in the order targets go. */
  public record Snapshot(BatchView header, List<BatchChunkView> chunks) {

    /** Every target named so far, chunk by chunk. */
    public List<BatchChunkView.Target> targets() {
      List<BatchChunkView.Target> all = new ArrayList<>();
      chunks.forEach(chunk -> all.addAll(chunk.targets()));
      return all;
    }
  }

  private final EventCodec codec;
  private final Map<UUID, Batch> batches = new ConcurrentHashMap<>();
  private final NavigableSet<Listed> index = new ConcurrentSkipListSet<>(ORDER);

  public BatchStore(EventCodec codec) {
    this.codec = codec;
  }

  /** A record of the batches topic. */
  void applyRecord(String key, byte[] value) {
    if (key == null || value == null) {
      return;
    }
    try {
      if (EventCodec.isChunkKey(key)) {
        BatchChunkView chunk = codec.decodeChunkView(value);
        batch(chunk.batchId()).chunk(chunk);
      } else {
        BatchView header = codec.decodeBatchView(value);
        batch(header.batchId()).header(header);
        index.add(new Listed(header.tenant(), header.createdAt(), header.batchId()));
      }
    } catch (UndecodableRecordException e) {
      log.warn("skipping an unreadable batch record {} ({}): {}", key, e.reason(), e.getMessage());
    }
  }

  /** A batch's request, from the requests topic or appended by this instance: readable until the topic has it. */
  public void applyRequest(Envelope request, int partition) {
    UUID batchId = UUID.fromString(request.taskId());
    Batch batch = batch(batchId);
    if (request.event() instanceof BatchAccepted accepted) {
      batch.header(new BatchView(batchId, request.tenant(), accepted, request.occurredAt(), request.correlationId(),
          null, null, -1, -1));
      index.add(new Listed(request.tenant(), request.occurredAt(), batchId));
    } else if (request.event() instanceof BatchTargets targets) {
      TargetOutcome start = targets.notFound() ? TargetOutcome.NOT_FOUND : TargetOutcome.PENDING;
      batch.chunk(new BatchChunkView(batchId, request.tenant(), targets.chunk(), partition,
          targets.taskIds().stream().map(id -> new BatchChunkView.Target(id, start, null, null, false)).toList(),
          -1));
    } else if (request.event() instanceof BatchAbortRequested abort) {
      batch.abortRequested(request.occurredAt(), abort.requestedBy());
    }
  }

  /** The batch, if this instance knows its header. */
  public Snapshot get(UUID batchId) {
    Batch batch = batches.get(batchId);
    return batch == null ? null : batch.snapshot();
  }

  /** The tenant's batches newest first, after {@code after} (exclusive, null for the start), at most {@code limit}. */
  public List<Listed> list(String tenant, Listed after, int limit, Predicate<Listed> filter) {
    Listed from = after != null ? after : new Listed(tenant, Instant.MAX, new UUID(Long.MAX_VALUE, Long.MAX_VALUE));
    List<Listed> page = new ArrayList<>();
    for (Listed listed : index.tailSet(from, false)) {
      if (!listed.tenant().equals(tenant) || page.size() == limit) {
        break;
      }
      if (filter.test(listed)) {
        page.add(listed);
      }
    }
    return page;
  }

  private Batch batch(UUID batchId) {
    return batches.computeIfAbsent(batchId, id -> new Batch());
  }

  /** One batch's records; a record from the topic replaces an overlay, and a later one an earlier one. */
  private static final class Batch {
    private BatchView header;
    private Instant abortOverlayAt;
    private String abortOverlayBy;
    private final Map<String, BatchChunkView> chunks = new ConcurrentHashMap<>();

    synchronized void header(BatchView next) {
      if (header == null || next.logOffset() >= header.logOffset()) {
        header = next;
      }
    }

    synchronized void abortRequested(Instant at, String by) {
      if (abortOverlayAt == null) {
        abortOverlayAt = at;
        abortOverlayBy = by;
      }
    }

    void chunk(BatchChunkView next) {
      chunks.merge(next.key(), next, (known, view) -> view.logOffset() >= known.logOffset() ? view : known);
    }

    synchronized Snapshot snapshot() {
      if (header == null) {
        return null;
      }
      BatchView shown = header;
      if (shown.abortRequestedAt() == null && abortOverlayAt != null) {
        shown = new BatchView(shown.batchId(), shown.tenant(), shown.accepted(), shown.createdAt(),
            shown.correlationId(), abortOverlayAt, abortOverlayBy, shown.logPartition(), shown.logOffset());
      }
      List<BatchChunkView> ordered = new ArrayList<>(chunks.values());
      // Numbered chunks in their order, then the late arrivals of a cascade, by partition.
      ordered.sort(Comparator.comparing((BatchChunkView c) -> c.chunk() == null)
          .thenComparing(c -> c.chunk() == null ? c.partition() : c.chunk()));
      return new Snapshot(shown, List.copyOf(ordered));
    }
  }
}
