package dev.quench.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The request id of each request: the client's {@code X-Request-Id} when it is usable, else a new one. */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  static final String ATTRIBUTE = RequestIds.class.getName();
  private static final int MAX_LENGTH = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {
  }

  /** The id {@link RequestIdFilter} assigned to this request. */
  public static String of(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    return id instanceof String s ? s : assign(request);
  }

  static String assign(HttpServletRequest request) {
    String given = request.getHeader(HEADER);
    String id = usable(given) ? given : generate();
    request.setAttribute(ATTRIBUTE, id);
    return id;
  }

  /** Printable ASCII without spaces, bounded: safe to echo in a header and to log. */
  static boolean usable(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  private static String generate() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return "req_" + HexFormat.of().formatHex(bytes);
  }
}
