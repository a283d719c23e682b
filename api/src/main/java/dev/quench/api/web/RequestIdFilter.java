package dev.quench.api.web;

import dev.quench.api.logging.LogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Echoes the request id on every response, errors included, and puts it in the log context, which it clears when the
 * request is answered. Runs first.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id = RequestIds.assign(request);
    response.setHeader(RequestIds.HEADER, id);
    LogContext.put(LogContext.REQUEST_ID, id);
    try {
      chain.doFilter(request, response);
    } finally {
      // Everything the request put in the log context (tenant, key id, task id) goes with it, here, the outermost.
      LogContext.clear();
    }
  }
}
