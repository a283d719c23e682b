package dev.quench.api.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's security headers, on every answer under {@code /console}, errors included. The page runs only its
 * own scripts and styles (no inline script, no eval), talks only to this origin, is never framed, and sends no
 * referrer: the key an operator types in must never leave the page but for this api.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ConsoleHeaders extends OncePerRequestFilter {

  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'");

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    // As Spring MVC routes it (decoded, normalized), like the key filter.
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return !(path.equals(ConsoleConfiguration.PATH) || path.startsWith(ConsoleConfiguration.PATH + "/"));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
    chain.doFilter(request, response);
  }
}
