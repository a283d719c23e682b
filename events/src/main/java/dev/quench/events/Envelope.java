package dev.quench.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event with everything needed to audit it. On the wire this is one JSON object whose {@code data} member is the
 * event, plus CloudEvents {@code ce_*} headers carrying the same facts.
 *
 * @param eventId       unique; requests derive it from the idempotency key when there is one, worker events derive it
 *                      from what caused them, so a replayed decision yields the same id
 * @param schemaVersion the version of {@code event}'s schema, see {@link EventType#SCHEMA_VERSION}
 * @param taskId        the task, and the record key: one partition holds a task's whole history
 * @param tenant        the tenant that owns the task
 * @param occurredAt    when it happened, by the emitter's clock
 * @param producer      who emitted it: {@code api}, or the worker instance id
 * @param causationId   the event that caused this one: an outcome names its {@link CancelRequested}; null for requests
 * @param correlationId the {@code X-Request-Id} of the HTTP request this traces back to
 * @param event         the fact itself
 */
public record Envelope(UUID eventId, int schemaVersion, String taskId, String tenant, Instant occurredAt,
                       String producer, UUID causationId, String correlationId, TaskEvent event) {

  public Envelope {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(event, "event");
  }

  /** A new event of this build's schema version. */
  public static Envelope of(UUID eventId, String taskId, String tenant, Instant occurredAt, String producer,
                            UUID causationId, String correlationId, TaskEvent event) {
    return new Envelope(eventId, EventType.SCHEMA_VERSION, taskId, tenant, occurredAt, producer, causationId,
        correlationId, event);
  }

  public EventType type() {
    return event.type();
  }
}
