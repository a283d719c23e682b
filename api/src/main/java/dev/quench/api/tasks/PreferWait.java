package dev.quench.api.tasks;

import dev.quench.api.web.ApiException;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code wait} preference of RFC 7240 ({@code Prefer: wait=N}): the client would rather wait up to N seconds
 * for the task to end than get an answer at once. Other preferences are not ours and are ignored, as the RFC asks;
 * of several {@code wait}s the first counts. A wait longer than {@link #MAX} is honoured for {@link #MAX}, and
 * {@code Preference-Applied} says so.
 */
public record PreferWait(Duration duration) {

  /** The longest wait honoured. */
  public static final Duration MAX = Duration.ofSeconds(60);
  public static final String APPLIED = "Preference-Applied";

  /** The {@code wait} of these {@code Prefer} headers, if one asks for it; a malformed one is a 400. */
  public static Optional<PreferWait> of(Enumeration<String> headers) {
    for (String header : headers == null ? Collections.<String>emptyList() : Collections.list(headers)) {
      for (String preference : header.split(",")) {
        String token = preference.split(";", 2)[0].trim();
        int eq = token.indexOf('=');
        String name = (eq < 0 ? token : token.substring(0, eq)).trim();
        if (!name.toLowerCase(Locale.ROOT).equals("wait")) {
          continue;
        }
        String value = eq < 0 ? "" : unquoted(token.substring(eq + 1).trim());
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(Character::isDigit)) {
          throw ApiException.invalid("Prefer", "the wait preference takes whole seconds, e.g. 'Prefer: wait=10'");
        }
        long seconds = Math.min(Long.parseLong(value), MAX.toSeconds());
        return Optional.of(new PreferWait(Duration.ofSeconds(seconds)));
      }
    }
    return Optional.empty();
  }

  /** The {@code Preference-Applied} value. */
  public String applied() {
    return "wait=" + duration.toSeconds();
  }

  private static String unquoted(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
  }
}
