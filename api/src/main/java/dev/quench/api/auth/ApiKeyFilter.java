package dev.quench.api.auth;

import dev.quench.api.logging.LogContext;
import dev.quench.api.logging.SecretRedaction;
import dev.quench.api.web.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a {@code /v1} or {@code /scout/v1} request through only with a known {@code Authorization: Bearer} key; 401
 * otherwise.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class ApiKeyFilter extends OncePerRequestFilter {

  static final String CALLER = Caller.REQUEST_ATTRIBUTE;

  private final ApiKeys keys;
  private final ErrorResponses errors;

  ApiKeyFilter(ApiKeys keys, ErrorResponses errors) {
    this.keys = keys;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    // The path as Spring MVC routes it (decoded, normalized, without path parameters), not the raw URI: with the
    // raw one, /v1;x=y/tasks/{id} or /%76%31/tasks/{id} reached the endpoints without any key.
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return !(path.startsWith("/v1/") || path.equals("/v1") || path.startsWith("/scout/v1/")
        || path.equals("/scout/v1"));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      refuse(request, response, "missing_api_key", "send your API key as Authorization: Bearer <key>");
      return;
    }
    if (header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      refuse(request, response, "invalid_authorization", "the Authorization header must be: Bearer <key>");
      return;
    }
    String key = header.substring(7).trim();
    Optional<Caller> caller = keys.find(key);
    if (caller.isEmpty()) {
      refuse(request, response, "invalid_api_key", "the API key is not valid");
      return;
    }
    // Configured by its hash only: from now on the logs know the key itself, to mask it wherever it shows up.
    SecretRedaction.register(key);
    request.setAttribute(CALLER, caller.get());
    // Every line logged while handling the request says whose it is (never the key: its public id).
    LogContext.put(LogContext.TENANT, caller.get().tenant());
    LogContext.put(LogContext.API_KEY_ID, caller.get().keyId());
    chain.doFilter(request, response);
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, String code, String message)
      throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"quench\"");
    errors.write(request, response, HttpStatus.UNAUTHORIZED, code, message);
  }
}
