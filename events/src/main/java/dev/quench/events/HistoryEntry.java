package dev.quench.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One step in a task's life, for clients that follow its events: a status change, a cancel request, the latest
 * progress.
 *
 * @param type       the event's wire type, e.g. {@code task.started}
 * @param occurredAt when
 * @param status     the task's status after it
 * @param message    a line for humans, or null
 * @param eventId    the id of the event it records (for the latest progress: of the latest progress event); null in
 *                   views folded before ids were kept
 * @param sequence   the task's version once this event was folded (its first event is 1): a task's entries are in
 *                   strictly increasing sequence, so a follower that saw sequence n needs only those above n; 0 in
 *                   views folded before sequences were kept
 */
public record HistoryEntry(String type, Instant occurredAt, TaskStatus status, String message, UUID eventId,
                           long sequence) {
}
