package dev.quench.api.ratelimit;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every API key's buckets, made on its first request. Keys are the configured ones, so their number is bounded. Each
 * api instance counts on its own: behind a load balancer over n instances a key may get up to n times its quota.
 */
public final class RateLimiter {

  /** A request's kind: what it costs from. */
  public enum Kind {
    READS("reads"), WRITES("writes");

    private final String policy;

    Kind(String policy) {
      this.policy = policy;
    }

    /** The policy's name in the {@code RateLimit-Policy} and {@code RateLimit} headers. */
    public String policy() {
      return policy;
    }

    /**
     * The rule that classifies every endpoint, present and future: a safe method reads, anything else writes, one
     * token per HTTP request whatever it asks for (a batch of a thousand cancels is one write).
     */
    public static Kind of(String method) {
      return switch (method) {
        case "GET", "HEAD", "OPTIONS" -> READS;
        default -> WRITES;
      };
    }
  }

  private record Key(String keyId, Kind kind) {
  }

  private final Map<String, RateLimits> perKey;
  private final RateLimits defaults;
  private final Clock clock;
  private final Map<Key, TokenBucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param perKey   limits by API key id, for keys that have their own
   * @param defaults the limits of every other key
   */
  public RateLimiter(Map<String, RateLimits> perKey, RateLimits defaults, Clock clock) {
    this.perKey = Map.copyOf(perKey);
    defaults.reads().checked("quench.api.rate-limit.reads");
    defaults.writes().checked("quench.api.rate-limit.writes");
    this.defaults = defaults;
    this.clock = clock;
  }

  TokenBucket bucket(String keyId, Kind kind) {
    return buckets.computeIfAbsent(new Key(keyId, kind), key -> {
      RateLimits limits = perKey.getOrDefault(keyId, defaults);
      return new TokenBucket(kind == Kind.READS ? limits.reads() : limits.writes(), clock);
    });
  }
}
