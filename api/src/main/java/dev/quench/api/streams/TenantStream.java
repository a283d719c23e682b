package dev.quench.api.streams;

import dev.quench.api.log.TaskSummary;
import dev.quench.api.tasks.TaskListQuery;
import dev.quench.events.HistoryEntry;
import dev.quench.events.TaskState;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The stream of every event of a tenant's tasks from the moment it opened, for consoles and integrations: each new
 * view contributes the events it folded since the view it replaced, if its task matches the filter and the event's
 * type is one asked for. It does not end by itself.
 */
final class TenantStream extends EventStream {

  private final TaskListQuery filter;
  private final Set<String> types;

  /** @param types the event types to send; empty for all */
  TenantStream(SseEmitter emitter, EventRendering rendering, Executor senders, int maxBacklog,
               Consumer<EventStream> onClose, TaskListQuery filter, Set<String> types) {
    super(emitter, rendering, senders, maxBacklog, onClose);
    this.filter = filter;
    this.types = types;
  }

  @Override
  public synchronized void changed(TaskState task, long before) {
    if (before < 0 || !filter.matches(TaskSummary.of(task))) {
      return;
    }
    for (HistoryEntry entry : task.history()) {
      if (entry.sequence() > before && (types.isEmpty() || types.contains(entry.type()))) {
        queue(task, entry, false);
      }
    }
  }
}
