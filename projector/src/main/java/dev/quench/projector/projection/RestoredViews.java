package dev.quench.projector.projection;

import dev.quench.events.TaskView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The views of one view partition, read from its beginning. The view of a task is the one with the highest log
 * offset, not the last one written: a projector that lost its partition but did not know it yet (a zombie) may
 * have written an older view after the new owner wrote a newer one.
 */
final class RestoredViews {

  private final Map<String, TaskView> highest = new HashMap<>();
  private final Map<String, TaskView> last = new HashMap<>();

  /** @param view the record's view, or null for a tombstone, which forgets the task */
  void add(String taskId, TaskView view) {
    if (view == null) {
      highest.remove(taskId);
      last.remove(taskId);
      return;
    }
    last.put(taskId, view);
    TaskView known = highest.get(taskId);
    if (known == null || view.logOffset() > known.logOffset()) {
      highest.put(taskId, view);
    }
  }

  /** Each task's view with the highest log offset, by task id. */
  Map<String, TaskView> views() {
    return highest;
  }

  /**
   * The views to write again because an older one was written after them: compaction keeps the last record of a
   * key, so without a rewrite every reader of the compacted topic would end up with the stale view.
   */
  List<TaskView> overtakenByStale() {
    List<TaskView> rewrite = new ArrayList<>();
    highest.forEach((taskId, view) -> {
      if (!Objects.equals(last.get(taskId), view)) {
        rewrite.add(view);
      }
    });
    return rewrite;
  }
}
