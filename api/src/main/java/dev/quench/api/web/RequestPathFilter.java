package dev.quench.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * Refuses with 400 a path Spring MVC cannot decode, such as a broken percent-encoding in a path parameter
 * ({@code /v1/tasks/x;a=%G1}), which Tomcat lets through. Spring MVC parses the path before any exception handler
 * can answer, so without this check such a request ends in a 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestPathFilter extends OncePerRequestFilter {

  private final ErrorResponses errors;

  RequestPathFilter(ErrorResponses errors) {
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      // The very parse the DispatcherServlet does; it parses again itself, so nothing is left behind.
      ServletRequestPathUtils.parseAndCache(request);
    } catch (IllegalArgumentException e) {
      errors.write(request, response, HttpStatus.BAD_REQUEST, "invalid_request",
          "the request path has a malformed percent-encoding");
      return;
    } finally {
      ServletRequestPathUtils.clearParsedRequestPath(request);
    }
    chain.doFilter(request, response);
  }
}
