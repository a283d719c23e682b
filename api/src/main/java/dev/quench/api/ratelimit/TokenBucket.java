package dev.quench.api.ratelimit;

import java.time.Clock;
import java.time.Instant;

/**
 * One key's bucket of one kind of request. Time comes from a {@link Clock}, so a test moves it instead of waiting.
 * Thread-safe.
 */
final class TokenBucket {

  /**
   * What taking a token found.
   *
   * @param allowed          whether the request may go on
   * @param remaining        whole tokens left after it
   * @param secondsUntilFull until the bucket holds the whole quota again (the draft's {@code t})
   * @param retryAfter       when refused, seconds until a token is there; else 0
   */
  record Decision(boolean allowed, long remaining, long secondsUntilFull, long retryAfter) {
  }

  private final RateLimit limit;
  private final Clock clock;
  private final double tokensPerNano;
  private double tokens;
  private long refilledAt;

  TokenBucket(RateLimit limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
    this.tokensPerNano = limit.quota() / (double) limit.window().toNanos();
    this.tokens = limit.quota();
    this.refilledAt = nanos(clock.instant());
  }

  synchronized Decision take() {
    long now = nanos(clock.instant());
    if (now > refilledAt) {
      tokens = Math.min(limit.quota(), tokens + (now - refilledAt) * tokensPerNano);
      refilledAt = now;
    }
    boolean allowed = tokens >= 1;
    if (allowed) {
      tokens -= 1;
    }
    long untilFull = seconds((limit.quota() - tokens) / tokensPerNano);
    long retryAfter = allowed ? 0 : Math.max(1, seconds((1 - tokens) / tokensPerNano));
    return new Decision(allowed, (long) Math.floor(tokens), untilFull, retryAfter);
  }

  RateLimit limit() {
    return limit;
  }

  private static long seconds(double nanos) {
    return (long) Math.ceil(nanos / 1e9 - 1e-9);
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
