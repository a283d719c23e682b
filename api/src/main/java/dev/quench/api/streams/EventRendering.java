package dev.quench.api.streams;

import dev.quench.events.HistoryEntry;
import dev.quench.events.TaskState;

/** What one event of a task becomes as a Server-Sent Event's {@code data}: JSON, in the shape of a contract. */
@FunctionalInterface
public interface EventRendering {

  String data(TaskState task, HistoryEntry entry);
}
