package dev.quench.api.streams;

import dev.quench.events.HistoryEntry;
import dev.quench.events.TaskState;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The stream of one task's events: what its views show that this stream has not sent yet, in sequence order, up to
 * and including its terminal event, which ends the stream.
 */
final class TaskStream extends EventStream {

  private long sentUpTo;

  /** @param sentUpTo the sequence of the last event the client has; 0 for all of them */
  TaskStream(SseEmitter emitter, EventRendering rendering, Executor senders, int maxBacklog,
             Consumer<EventStream> onClose, long sentUpTo) {
    super(emitter, rendering, senders, maxBacklog, onClose);
    this.sentUpTo = sentUpTo;
  }

  /**
   * Where a client that names {@code lastEventId} resumes: after that event if the task's history still holds it;
   * from the first event kept if not (a progress since replaced by a later one, say): every event keeps its id, so
   * the client skips what it has.
   */
  static long resumeAfter(TaskState task, String lastEventId) {
    if (task == null || lastEventId == null || lastEventId.isBlank()) {
      return 0;
    }
    for (HistoryEntry entry : task.history()) {
      if (entry.eventId() != null && entry.eventId().toString().equalsIgnoreCase(lastEventId.trim())) {
        return entry.sequence();
      }
    }
    return 0;
  }

  @Override
  public synchronized void changed(TaskState task, long before) {
    if (ending()) {
      return;
    }
    for (HistoryEntry entry : task.history()) {
      if (entry.sequence() <= sentUpTo) {
        continue;
      }
      sentUpTo = entry.sequence();
      boolean terminal = entry.status().terminal();
      queue(task, entry, terminal);
      if (terminal) {
        return;
      }
    }
  }
}
