package dev.quench.api.ratelimit;

/**
 * The limits of one API key: reads ({@code GET}, {@code HEAD}, {@code OPTIONS}) and writes (every other method) are
 * counted apart, so a client polling its tasks cannot starve its own cancels.
 *
 * @param reads  the read quota; unset parts inherit the default's
 * @param writes the write quota; unset parts inherit the default's
 */
public record RateLimits(RateLimit reads, RateLimit writes) {

  /** These limits, with what they leave unset taken from {@code defaults}. */
  public RateLimits orElse(RateLimits defaults) {
    return new RateLimits(reads == null ? defaults.reads() : reads.orElse(defaults.reads()),
        writes == null ? defaults.writes() : writes.orElse(defaults.writes()));
  }
}
