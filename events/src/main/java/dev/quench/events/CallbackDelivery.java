package dev.quench.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A task's callback as the fold of its log: where it goes and how its delivery went. The deliverer decides its next
 * attempt from this alone, so a restarted deliverer resumes where the log says.
 *
 * @param url           where it is sent
 * @param status        pending until delivered or given up
 * @param attemptCount  attempts recorded so far ({@link CallbackAttempted}, {@link CallbackDelivered},
 *                      {@link CallbackAbandoned}: one event each)
 * @param deliveredAt   when a receiver answered 2xx, or null
 * @param lastError     what went wrong with the last attempt that failed, or null
 * @param deliveryId    the id of the terminal event it reports, once there is one: the {@code webhook-id} of every
 *                      attempt, and the causation id of every attempt's event; null while the task runs
 * @param nextAttemptAt when the next attempt is due, while pending and the task has ended; else null
 */
public record CallbackDelivery(String url, CallbackStatus status, int attemptCount, Instant deliveredAt,
                               String lastError, UUID deliveryId, Instant nextAttemptAt) {

  /**
   * The record of one attempt of this delivery ({@link CallbackAttempted}, {@link CallbackDelivered} or
   * {@link CallbackAbandoned}), keyed by the task. Its id derives from the delivery and the attempt, so the same
   * attempt recorded twice is one event; its cause is the terminal event.
   */
  public Envelope record(TaskState task, TaskEvent attempt, String producer, Instant at) {
    if (!attempt.type().ofCallback() || deliveryId == null) {
      throw new IllegalArgumentException("not an attempt of a started delivery: " + attempt);
    }
    int number = attempt instanceof CallbackAttempted a ? a.attempt()
        : attempt instanceof CallbackDelivered d ? d.attempt() : ((CallbackAbandoned) attempt).attempt();
    return Envelope.of(Uuids.derive("callback-attempt", deliveryId, number), task.taskId(), task.tenant(), at,
        producer, deliveryId, task.correlationId(), attempt);
  }

  static CallbackDelivery requested(CallbackRequest request) {
    return new CallbackDelivery(request.url(), CallbackStatus.PENDING, 0, null, null, null, null);
  }

  /** Whether it is waiting for an attempt: the task ended and no attempt settled it yet. */
  public boolean due() {
    return status == CallbackStatus.PENDING && deliveryId != null;
  }

  /** The delivery of the terminal event {@code terminalEventId}, its first attempt due at once. */
  CallbackDelivery ended(UUID terminalEventId, Instant at) {
    return new CallbackDelivery(url, status, attemptCount, deliveredAt, lastError, terminalEventId, at);
  }

  /** Whether {@code e} is the next attempt of this delivery, and not a replay of one already folded. */
  boolean nextAttempt(Envelope e, int attempt) {
    return due() && deliveryId.equals(e.causationId()) && attempt == attemptCount + 1;
  }

  CallbackDelivery attempted(CallbackAttempted a) {
    return new CallbackDelivery(url, status, a.attempt(), deliveredAt, a.describe(), deliveryId, a.nextAttemptAt());
  }

  CallbackDelivery delivered(CallbackDelivered d, Instant at) {
    return new CallbackDelivery(url, CallbackStatus.DELIVERED, d.attempt(), at, lastError, deliveryId, null);
  }

  CallbackDelivery abandoned(CallbackAbandoned a) {
    return new CallbackDelivery(url, CallbackStatus.FAILED, a.attempt(), deliveredAt, a.describe(), deliveryId,
        null);
  }
}
