package dev.quench.api.log;

import dev.quench.api.log.TaskViewReplica.IndexKey;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * Views and index in the heap; the replica is rebuilt from the view topic at every start. Views are kept packed
 * ({@link PackedView}: the topic's JSON, deflated), a few hundred bytes each instead of the kilobytes of a decoded
 * object graph, so a million tasks fit in well under a gigabyte. The price is on reads: a {@link #get} inflates and
 * decodes the view (some 25 µs), unless it is among the views decoded last, which a small cache keeps: a task just
 * created, cancelled or read is the one most likely read next.
 */
public final class MemoryViewStore implements ViewStore {

  /** By tenant, then newest first, then by task id descending: {@link IndexKey}'s fields, compared as they were. */
  private static final Comparator<Listed> LISTING_ORDER = (a, b) -> {
    int order = a.tenant.compareTo(b.tenant);
    if (order == 0) {
      order = Long.compare(b.seconds, a.seconds);
    }
    if (order == 0) {
      order = Integer.compare(b.nanos, a.nanos);
    }
    return order != 0 ? order : b.taskId.compareTo(a.taskId);
  };

  /** Slots of the decoded-view cache: a few megabytes at most, whatever the number of tasks. */
  private static final int DECODED_SLOTS = 4096;

  private final EventCodec codec;
  private final Map<String, PackedView> views = new ConcurrentHashMap<>();
  /** What filters look at, beside the packed view: a filter over many tasks decodes none of them. */
  private final Map<String, TaskSummary> summaries = new ConcurrentHashMap<>();
  /**
   * Direct-mapped by task id. A slot is good only for the very packed view it was decoded from (compared by
   * identity), so a merge or a removal needs no invalidation: the map no longer holds that packed view.
   */
  private final AtomicReferenceArray<Decoded> decoded = new AtomicReferenceArray<>(DECODED_SLOTS);
  private final NavigableSet<Listed> index = new ConcurrentSkipListSet<>(LISTING_ORDER);
  private final CancelKeys cancelKeys = new CancelKeys();
  /**
   * One string per tenant for all its entries, instead of one per task as every decoded view brings its own. Tenants
   * are the api's callers, few and known, so the map is never trimmed.
   */
  private final Map<String, String> tenants = new ConcurrentHashMap<>();
  private final Map<String, String> capabilities = new ConcurrentHashMap<>();

  public MemoryViewStore(EventCodec codec) {
    this.codec = codec;
  }

  @Override
  public TaskView get(String taskId) {
    PackedView packed = views.get(taskId);
    if (packed == null) {
      return null;
    }
    int slot = slot(taskId);
    Decoded hit = decoded.get(slot);
    if (hit != null && hit.packed == packed) {
      return hit.view;
    }
    TaskView view = packed.unpack(codec);
    decoded.set(slot, new Decoded(packed, view));
    return view;
  }

  private static int slot(String taskId) {
    return Math.floorMod(taskId.hashCode(), DECODED_SLOTS);
  }

  /** A view as decoded from {@code packed}. */
  private record Decoded(PackedView packed, TaskView view) {
  }

  @Override
  public boolean merge(TaskView view, byte[] encoded) {
    String taskId = view.task().taskId();
    PackedView stored = views.get(taskId);
    if (stored != null && stored.logOffset > view.logOffset()) {
      // Not worth deflating: a stale view (a zombie projector's) loses anyway.
      return false;
    }
    PackedView packed = PackedView.pack(view.logOffset(), encoded != null ? encoded : codec.encodeView(view));
    boolean replaced = views.merge(taskId, packed, (old, next) -> next.logOffset >= old.logOffset ? next : old)
        == packed;
    if (replaced) {
      // The view was just decoded from the topic: a read of it soon (after a cancel, say) needs no decoding again.
      decoded.set(slot(taskId), new Decoded(packed, view));
      summaries.put(taskId, compact(TaskSummary.of(view.task())));
    }
    return replaced;
  }

  /** Shares the strings every task of a tenant or a capability repeats: a summary then costs a few dozen bytes. */
  private TaskSummary compact(TaskSummary summary) {
    return new TaskSummary(summary.taskId(), shared(tenants, summary.tenant()), summary.createdAt(),
        summary.status(), shared(capabilities, summary.capability()), summary.metadata(), summary.parentTaskId(),
        summary.ancestors());
  }

  private static String shared(Map<String, String> strings, String value) {
    return value == null ? null : strings.computeIfAbsent(value, v -> v);
  }

  @Override
  public TaskSummary summary(String taskId) {
    return summaries.get(taskId);
  }

  @Override
  public void remove(String taskId) {
    views.remove(taskId);
    summaries.remove(taskId);
  }

  @Override
  public long size() {
    return views.size();
  }

  /**
   * Request threads index tasks they just submitted while the replica indexes the views it reads: the set is
   * concurrent, and a key added twice stays one entry. The replica indexes a view right after merging it, with the
   * same task id string its map key is, so the entry adds no string of its own.
   */
  @Override
  public void index(IndexKey key) {
    String tenant = tenants.computeIfAbsent(key.tenant(), t -> t);
    index.add(new Listed(tenant, key.createdAt(), key.taskId()));
  }

  @Override
  public void unindex(IndexKey key) {
    index.remove(Listed.of(key));
  }

  @Override
  public void forEachAfter(IndexKey from, Predicate<IndexKey> visitor) {
    for (Listed entry : index.tailSet(Listed.of(from), false)) {
      if (!visitor.test(entry.key())) {
        return;
      }
    }
  }

  @Override
  public Map<Integer, Long> viewPositions() {
    return Map.of();
  }

  @Override
  public void saveViewPositions(Map<Integer, Long> positions) {
    // Nothing survives a restart in the heap: the view topic is read from its start again.
  }

  @Override
  public void indexCancelKey(UUID keyId, String taskId, Instant at) {
    cancelKeys.record(keyId, taskId, at);
  }

  @Override
  public String otherTaskOfCancelKey(UUID keyId, String taskId, Instant since) {
    return cancelKeys.otherTask(keyId, taskId, since);
  }

  @Override
  public void forgetCancelKeysBefore(Instant cutoff) {
    cancelKeys.forgetBefore(cutoff);
  }

  @Override
  public void close() {
    views.clear();
    summaries.clear();
    index.clear();
    tenants.clear();
    for (int slot = 0; slot < DECODED_SLOTS; slot++) {
      decoded.set(slot, null);
    }
  }

  /**
   * An {@link IndexKey} flattened for the index: the instant as its two fields instead of an object of its own,
   * 32 bytes instead of the key's 24 and the instant's 24. A key is made again for each entry a listing visits.
   */
  private static final class Listed {
    private final String tenant;
    private final long seconds;
    private final int nanos;
    private final String taskId;

    private Listed(String tenant, Instant createdAt, String taskId) {
      this.tenant = tenant;
      this.seconds = createdAt.getEpochSecond();
      this.nanos = createdAt.getNano();
      this.taskId = taskId;
    }

    static Listed of(IndexKey key) {
      return new Listed(key.tenant(), key.createdAt(), key.taskId());
    }

    IndexKey key() {
      return new IndexKey(tenant, Instant.ofEpochSecond(seconds, nanos), taskId);
    }
  }
}
