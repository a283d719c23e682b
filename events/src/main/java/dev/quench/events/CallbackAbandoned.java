package dev.quench.events;

/**
 * The deliverer gave a task's callback up: the receiver answered 410 or another 4xx, the address was refused, or the
 * last attempt of the schedule failed. Not terminal for the task.
 *
 * <p>Emitted by the deliverer that owns the task's log partition, in a Kafka transaction, keyed by the task id, after
 * the terminal event it reports (its causation id) and any {@link CallbackAttempted} before it; the last event of a
 * delivery.
 *
 * @param attempt    the attempt after which it gave up, from 1
 * @param statusCode the receiver's HTTP status, or null when none came
 * @param error      why, without a status (refused address, timeout, ...), or null
 */
public record CallbackAbandoned(int attempt, Integer statusCode, String error) implements TaskEvent {

  String describe() {
    return describe(statusCode, error);
  }

  static String describe(Integer statusCode, String error) {
    if (statusCode == null) {
      return error;
    }
    return error == null ? "HTTP " + statusCode : "HTTP " + statusCode + ": " + error;
  }
}
