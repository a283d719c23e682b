package dev.quench.projector.projection;

import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;

/** What one log record does to its task's view: a pure function, so a replay cannot tell itself from the first run. */
final class ViewFold {

  private ViewFold() {
  }

  /**
   * The view to publish after the event at {@code (partition, offset)}, or null when there is nothing to write:
   * the view already reflects that offset (a replay), the task is unknown (a cancel of an id never submitted), or
   * the event changes nothing (a duplicate, a late event of a finished task).
   *
   * @param current the task's latest view, or null if it has none
   */
  static TaskView next(TaskView current, Envelope event, int partition, long offset) {
    if (current != null && current.logOffset() >= offset) {
      return null;
    }
    TaskState before = current == null ? null : current.task();
    TaskState after = TaskState.evolve(before, event);
    // evolve answers the very state it was given when an event changes nothing, and a new version otherwise.
    if (after == null || after == before) {
      return null;
    }
    return new TaskView(after, partition, offset);
  }
}
