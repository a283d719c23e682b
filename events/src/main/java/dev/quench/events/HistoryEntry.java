package dev.quench.events;

import java.time.Instant;

/**
 * One step in a task's life, for clients that follow its events: a status change, a cancel request, the latest
 * progress.
 *
 * @param type       the event's wire type, e.g. {@code task.started}
 * @param occurredAt when
 * @param status     the task's status after it
 * @param message    a line for humans, or null
 */
public record HistoryEntry(String type, Instant occurredAt, TaskStatus status, String message) {
}
