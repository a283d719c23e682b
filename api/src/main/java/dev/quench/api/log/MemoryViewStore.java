package dev.quench.api.log;

import dev.quench.api.log.TaskViewReplica.IndexKey;
import dev.quench.events.TaskView;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;

/** Views and index in the heap: fastest reads; the replica is rebuilt from the view topic at every start. */
public final class MemoryViewStore implements ViewStore {

  static final Comparator<IndexKey> LISTING_ORDER = Comparator.comparing(IndexKey::tenant)
      .thenComparing(IndexKey::createdAt, Comparator.reverseOrder())
      .thenComparing(IndexKey::taskId, Comparator.reverseOrder());

  private final Map<String, TaskView> views = new ConcurrentHashMap<>();
  private final NavigableSet<IndexKey> index = new ConcurrentSkipListSet<>(LISTING_ORDER);

  @Override
  public TaskView get(String taskId) {
    return views.get(taskId);
  }

  @Override
  public boolean merge(TaskView view, byte[] encoded) {
    return views.merge(view.task().taskId(), view,
        (old, next) -> next.logOffset() >= old.logOffset() ? next : old) == view;
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
