package dev.quench.api.tasks;

import dev.quench.api.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** What identifies a retry: the {@code Idempotency-Key} header, and the fingerprint of a request's content. */
public final class Idempotency {

  static final int MAX_KEY = 255;

  private Idempotency() {
  }

  /** The {@code Idempotency-Key} header, checked; null when absent. */
  public static String key(String header) {
    if (header == null) {
      return null;
    }
    boolean printable = header.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    if (header.isBlank() || header.length() > MAX_KEY || !printable) {
      throw ApiException.invalid("Idempotency-Key",
          "Idempotency-Key must be 1 to " + MAX_KEY + " printable ASCII characters");
    }
    return header;
  }

  /**
   * What identifies a request's content: the SHA-256 of the endpoint and the body in a canonical form (members
   * sorted, no whitespace), so the same JSON written differently is the same request.
   */
  public static String fingerprint(String endpoint, JsonNode body) {
    StringBuilder canonical = new StringBuilder(endpoint).append('\n');
    canonicalize(body, canonical);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void canonicalize(JsonNode node, StringBuilder out) {
    if (node == null || node.isMissingNode()) {
      out.append("null");
    } else if (node.isObject()) {
      out.append('{');
      List<String> names = new ArrayList<>(node.propertyNames());
      Collections.sort(names);
      for (int i = 0; i < names.size(); i++) {
        out.append(i == 0 ? "" : ",").append(JsonNodeFactory.instance.stringNode(names.get(i))).append(':');
        canonicalize(node.get(names.get(i)), out);
      }
      out.append('}');
    } else if (node.isArray()) {
      out.append('[');
      for (int i = 0; i < node.size(); i++) {
        out.append(i == 0 ? "" : ",");
        canonicalize(node.get(i), out);
      }
      out.append(']');
    } else {
      out.append(node);
    }
  }
}
