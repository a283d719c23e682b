package dev.quench.api.ratelimit;

import java.time.Duration;

/**
 * A quota: {@code quota} requests per {@code window}, as a token bucket that holds at most {@code quota} tokens and
 * refills at {@code quota / window}. A full bucket allows a burst of the whole quota; after that, one request per
 * {@code window / quota}. In headers it is the IETF draft's {@code q} and {@code w}.
 *
 * @param quota  requests per window, at least 1; null to inherit
 * @param window the window, at least a second; null to inherit
 */
public record RateLimit(Integer quota, Duration window) {

  /** This limit, with what it leaves unset taken from {@code defaults}. */
  public RateLimit orElse(RateLimit defaults) {
    return new RateLimit(quota != null ? quota : defaults.quota(), window != null ? window : defaults.window());
  }

  /** @throws IllegalArgumentException unless both are set and sensible */
  public RateLimit checked(String what) {
    if (quota == null || quota < 1) {
      throw new IllegalArgumentException(what + ".quota must be at least 1, was " + quota);
    }
    if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(what + ".window must be at least 1s, was " + window);
    }
    return this;
  }
}
