package dev.quench.api.web;

import dev.quench.api.ApiProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the actuator's endpoints on the api's own port ({@code /actuator/prometheus}, {@code /actuator/metrics}) to
 * clients on this machine, unless {@code quench.api.actuator-access=open}: metrics tell anyone who reads them about
 * every tenant's traffic. {@code /actuator/health} stays open to all, for load balancers and probes.
 *
 * <p>On a separate management port ({@code management.server.port}) the actuator is served by another server that
 * this filter does not guard: that port is for a network only monitoring can reach. Behind a reverse proxy on the
 * same machine every client looks local: use the management port there.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class ActuatorAccessFilter extends OncePerRequestFilter {

  private final boolean open;
  private final ErrorResponses errors;

  ActuatorAccessFilter(ApiProperties api, ErrorResponses errors) {
    this.open = api.actuatorAccess().equals("open");
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    boolean actuator = path.equals("/actuator") || path.startsWith("/actuator/");
    boolean health = path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    return open || !actuator || health;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (loopback(request.getRemoteAddr())) {
      chain.doFilter(request, response);
      return;
    }
    errors.write(request, response, HttpStatus.FORBIDDEN, "actuator_local_only",
        "the actuator answers only clients on the api's own machine here (quench.api.actuator-access=loopback)");
  }

  /** A literal address only: never a name lookup for a client's address. */
  static boolean loopback(String address) {
    if (address == null || !(address.indexOf(':') >= 0 || address.matches("[0-9.]+"))) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }
}
