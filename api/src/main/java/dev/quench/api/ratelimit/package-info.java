/**
 * Rate limits per API key: a token bucket for reads and one for writes, configured per key
 * ({@code quench.api.keys[n].rate-limit.*}) over a default ({@code quench.api.rate-limit.*}), charged by
 * {@link dev.quench.api.ratelimit.RateLimitFilter} after authentication.
 */
package dev.quench.api.ratelimit;
