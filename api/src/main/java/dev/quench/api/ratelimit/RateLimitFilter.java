package dev.quench.api.ratelimit;

import dev.quench.api.auth.Caller;
import dev.quench.api.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Charges every authenticated request to its API key's bucket ({@link RateLimiter.Kind#of}), right after the key was
 * checked and before anything reads the body, and tells the client where it stands in the IETF draft's headers:
 * {@code RateLimit-Policy: "writes";q=300;w=60} and {@code RateLimit: "writes";r=299;t=1}. Beyond the quota: 429
 * {@code rate_limited}, retryable, with {@code Retry-After} in seconds. A request without a valid key never gets here:
 * it is refused with 401 and charged to nobody.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class RateLimitFilter extends OncePerRequestFilter {

  static final String POLICY = "RateLimit-Policy";
  static final String STATE = "RateLimit";

  private final RateLimiter limiter;
  private final ErrorResponses errors;

  RateLimitFilter(RateLimiter limiter, ErrorResponses errors) {
    this.limiter = limiter;
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (!(request.getAttribute(Caller.REQUEST_ATTRIBUTE) instanceof Caller caller)) {
      chain.doFilter(request, response);
      return;
    }
    RateLimiter.Kind kind = RateLimiter.Kind.of(request.getMethod());
    TokenBucket bucket = limiter.bucket(caller.keyId(), kind);
    TokenBucket.Decision decision = bucket.take();
    String policy = "\"" + kind.policy() + "\"";
    response.setHeader(POLICY, policy + ";q=" + bucket.limit().quota() + ";w=" + bucket.limit().window().toSeconds());
    response.setHeader(STATE, policy + ";r=" + decision.remaining() + ";t=" + decision.secondsUntilFull());
    if (decision.allowed()) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(decision.retryAfter()));
    errors.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
        "this API key made more than " + bucket.limit().quota() + " " + kind.policy() + " in "
            + bucket.limit().window().toSeconds() + " s; retry in " + decision.retryAfter() + " s", true);
  }
}
