package dev.quench.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When a callback is attempted, and what each attempt's result records: the pure half of delivery, so the deliverer's
 * retries are tested as given-result / then-event, and a restarted deliverer picks the next attempt from the fold.
 *
 * <p>Attempt 1 is due {@code delays[0]} after the terminal event; after a failed attempt n that is worth retrying, the
 * next is due {@code delays[n]} later, spread by ±{@code jitter} (a fraction) so receivers that failed together are
 * not retried together, and never before the receiver's {@code Retry-After}. After {@code delays.size()} attempts the
 * delivery is given up.
 *
 * @param delays the delay before each attempt, the first counted from the terminal event
 * @param jitter how far each delay may stray, as a fraction of it: 0.1 is ±10 %
 */
public record CallbackSchedule(List<Duration> delays, double jitter) {

  /** Standard Webhooks' example schedule: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
  public static final CallbackSchedule DEFAULT = new CallbackSchedule(List.of(Duration.ZERO, Duration.ofSeconds(5),
      Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
      Duration.ofHours(10)), 0.1);

  public CallbackSchedule {
    delays = List.copyOf(delays);
    if (delays.isEmpty() || delays.stream().anyMatch(Duration::isNegative)) {
      throw new IllegalArgumentException("a callback schedule needs at least one delay, none negative");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("callback jitter must be in [0, 1), was " + jitter);
    }
  }

  /**
   * What one attempt came to.
   *
   * @param statusCode the receiver's HTTP status, or null if none came
   * @param error      what went wrong without (or beside) a status, or null
   * @param retryAfter the receiver's {@code Retry-After}, or null
   * @param retryable  for an attempt without a status: whether it may succeed later (a timeout, a refused connection)
   *                   or never will (an address the rules refuse)
   */
  public record Result(Integer statusCode, String error, Duration retryAfter, boolean retryable) {

    public static Result status(int statusCode, Duration retryAfter) {
      return new Result(statusCode, null, retryAfter, false);
    }

    /** No answer, but one may come later: a timeout, a connection refused or reset, a name that did not resolve. */
    public static Result transientError(String error) {
      return new Result(null, error, null, true);
    }

    /** No answer, and none ever will: the address is refused. */
    public static Result permanentError(String error) {
      return new Result(null, error, null, false);
    }
  }

  /**
   * The event recording attempt {@code delivery.attemptCount() + 1}: {@link CallbackDelivered} on 2xx;
   * {@link CallbackAttempted} with the next attempt's time on a timeout, a connection error, 5xx or 429 while the
   * schedule has attempts left; {@link CallbackAbandoned} on 410, any other status, a permanent error, or after the
   * last attempt.
   *
   * @param random a number in [0, 1) that places the jitter
   */
  public TaskEvent afterAttempt(CallbackDelivery delivery, Result result, Instant now, double random) {
    int attempt = delivery.attemptCount() + 1;
    Integer code = result.statusCode();
    if (code != null && code >= 200 && code < 300) {
      return new CallbackDelivered(attempt, code);
    }
    if (code != null && code >= 300 && code < 400) {
      // Never followed: a redirect could point anywhere, including where the address rules forbid.
      return new CallbackAbandoned(attempt, code, "redirects are not followed");
    }
    boolean retryable = code == null ? result.retryable() : code == 429 || code >= 500;
    if (!retryable || attempt >= delays.size()) {
      return new CallbackAbandoned(attempt, code, code == null ? result.error() : result.error() != null
          ? result.error() : attempt >= delays.size() && retryable ? "no attempts left" : null);
    }
    return new CallbackAttempted(attempt, code, result.error(), now.plus(delay(attempt, random, result.retryAfter())));
  }

  /** When attempt 1 of a delivery whose task ended at {@code endedAt} is due. */
  public Instant firstAttempt(Instant endedAt) {
    return endedAt.plus(delays.get(0));
  }

  private Duration delay(int attempt, double random, Duration retryAfter) {
    Duration base = delays.get(attempt);
    long nanos = base.toNanos();
    long spread = (long) (nanos * jitter * (2 * random - 1));
    Duration jittered = Duration.ofNanos(nanos + spread);
    return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
  }
}
