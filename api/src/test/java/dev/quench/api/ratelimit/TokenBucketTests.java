package dev.quench.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Given a quota and a clock, which requests a bucket lets through and what it says about the rest. */
class TokenBucketTests {

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final TokenBucket bucket = new TokenBucket(new RateLimit(5, Duration.ofMinutes(1)), clock);

  @Test
  void aFullBucketLetsTheWholeQuotaThroughAtOnceThenRefuses() {
    for (int i = 4; i >= 0; i--) {
      TokenBucket.Decision decision = bucket.take();
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.remaining()).isEqualTo(i);
    }

    TokenBucket.Decision refused = bucket.take();

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    // One token every 12 s; the whole quota back in 60 s.
    assertThat(refused.retryAfter()).isEqualTo(12);
    assertThat(refused.secondsUntilFull()).isEqualTo(60);
  }

  @Test
  void refillsAtTheQuotasPaceAndNeverAboveTheQuota() {
    for (int i = 0; i < 5; i++) {
      bucket.take();
    }
    clock.advance(Duration.ofSeconds(11));
    assertThat(bucket.take().allowed()).isFalse();
    assertThat(bucket.take().retryAfter()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(bucket.take().allowed()).isTrue();

    clock.advance(Duration.ofHours(1));
    TokenBucket.Decision afterAnHour = bucket.take();
    assertThat(afterAnHour.remaining()).isEqualTo(4);
    assertThat(afterAnHour.secondsUntilFull()).isEqualTo(12);
  }

  @Test
  void aClientAtTheQuotasPaceIsNeverRefused() {
    for (int i = 0; i < 1_000; i++) {
      assertThat(bucket.take().allowed()).as("request %d", i).isTrue();
      clock.advance(Duration.ofSeconds(12));
    }
  }

  @Test
  void readsAndWritesAreCountedApartAndEveryMethodHasAKind() {
    RateLimiter limiter = new RateLimiter(java.util.Map.of(), new RateLimits(new RateLimit(1, Duration.ofMinutes(1)),
        new RateLimit(1, Duration.ofMinutes(1))), clock);

    assertThat(limiter.bucket("k", RateLimiter.Kind.WRITES).take().allowed()).isTrue();
    assertThat(limiter.bucket("k", RateLimiter.Kind.WRITES).take().allowed()).isFalse();
    assertThat(limiter.bucket("k", RateLimiter.Kind.READS).take().allowed()).isTrue();
    assertThat(limiter.bucket("other", RateLimiter.Kind.WRITES).take().allowed()).isTrue();

    assertThat(RateLimiter.Kind.of("GET")).isEqualTo(RateLimiter.Kind.READS);
    assertThat(RateLimiter.Kind.of("HEAD")).isEqualTo(RateLimiter.Kind.READS);
    assertThat(RateLimiter.Kind.of("POST")).isEqualTo(RateLimiter.Kind.WRITES);
    assertThat(RateLimiter.Kind.of("DELETE")).isEqualTo(RateLimiter.Kind.WRITES);
    assertThat(RateLimiter.Kind.of("PATCH")).isEqualTo(RateLimiter.Kind.WRITES);
  }
}
