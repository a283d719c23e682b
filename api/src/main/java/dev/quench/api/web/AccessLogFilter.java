package dev.quench.api.web;

import dev.quench.api.ApiProperties;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * With {@code quench.api.access-log=true}: one line per request, once answered, on the logger
 * {@code dev.quench.api.access}: method, path (no query, no header, ever), status and time taken. The log context
 * adds the request id, the tenant, the key id and the task. Off by default: at thousands of requests a second it is
 * the heaviest line the api writes.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class AccessLogFilter extends OncePerRequestFilter {

  private static final Logger access = LoggerFactory.getLogger("dev.quench.api.access");

  private final boolean enabled;

  AccessLogFilter(ApiProperties api) {
    this.enabled = api.accessLog();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !enabled;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long started = System.nanoTime();
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.isAsyncStarted()) {
        // A waiting request (Prefer: wait, a stream) is answered later: log it once it is.
        request.getAsyncContext().addListener(new AsyncListener() {
          @Override
          public void onComplete(AsyncEvent event) {
            log(request, response, started);
          }

          @Override
          public void onTimeout(AsyncEvent event) {
          }

          @Override
          public void onError(AsyncEvent event) {
          }

          @Override
          public void onStartAsync(AsyncEvent event) {
          }
        });
      } else {
        log(request, response, started);
      }
    }
  }

  private static void log(HttpServletRequest request, HttpServletResponse response, long started) {
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    access.info("{} {} {} {} ms", request.getMethod(), path, response.getStatus(),
        (System.nanoTime() - started) / 1_000_000);
  }
}
