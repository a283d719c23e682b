package dev.quench.api.log;

import dev.quench.api.log.TaskViewReplica.IndexKey;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;

/**
 * Views and index in the heap; the replica is rebuilt from the view topic at every start. Views are kept packed
 * ({@link PackedView}: the topic's JSON, deflated), a few hundred bytes each instead of the kilobytes of a decoded
 * object graph, so a million tasks fit in well under a gigabyte. The price is on reads: every {@link #get} inflates
 * and decodes the view again.
 */
public final class MemoryViewStore implements ViewStore {

  static final Comparator<IndexKey> LISTING_ORDER = Comparator.comparing(IndexKey::tenant)
      .thenComparing(IndexKey::createdAt, Comparator.reverseOrder())
      .thenComparing(IndexKey::taskId, Comparator.reverseOrder());

  private final EventCodec codec;
  private final Map<String, PackedView> views = new ConcurrentHashMap<>();
  private final NavigableSet<IndexKey> index = new ConcurrentSkipListSet<>(LISTING_ORDER);

  public MemoryViewStore(EventCodec codec) {
    this.codec = codec;
  }

  @Override
  public TaskView get(String taskId) {
    PackedView packed = views.get(taskId);
    return packed == null ? null : packed.unpack(codec);
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
    return views.merge(taskId, packed, (old, next) -> next.logOffset >= old.logOffset ? next : old) == packed;
  }

  @Override
  public void remove(String taskId) {
    views.remove(taskId);
  }

  @Override
  public long size() {
    return views.size();
  }

  @Override
  public void index(IndexKey key) {
    index.add(key);
  }

  @Override
  public void unindex(IndexKey key) {
    index.remove(key);
  }

  @Override
  public void forEachAfter(IndexKey from, Predicate<IndexKey> visitor) {
    for (IndexKey key : index.tailSet(from, false)) {
      if (!visitor.test(key)) {
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
  public void close() {
    views.clear();
    index.clear();
  }
}
