package dev.quench.events;

import java.time.Instant;

/**
 * An attempt to deliver a task's callback failed in a way worth trying again: a timeout, a connection error, a 5xx or
 * a 429. Not terminal: it comes after the task's terminal event, whose id is its causation id (and the callback's
 * {@code webhook-id}).
 *
 * <p>Emitted by the deliverer that owns the task's log partition, in a Kafka transaction, keyed by the task id, in
 * attempt order after the terminal event. Its event id derives from the delivery and the attempt number, so an attempt
 * recorded twice (a fenced deliverer's leftover) is one attempt in the fold.
 *
 * @param attempt       which attempt this was, from 1
 * @param statusCode    the receiver's HTTP status, or null when none came (timeout, refused connection)
 * @param error         what went wrong without a status, or null
 * @param nextAttemptAt when the next attempt is due
 */
public record CallbackAttempted(int attempt, Integer statusCode, String error, Instant nextAttemptAt)
    implements TaskEvent {

  String describe() {
    return CallbackAbandoned.describe(statusCode, error);
  }
}
