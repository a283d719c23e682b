package dev.quench.api.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The two query parameters every listing shares, read the same way everywhere: {@code limit} (an integer from 1 to
 * the listing's maximum) and {@code cursor} (opaque to clients: what the listing put in, base64url without padding;
 * anything else is a 400 naming it, never a 500).
 */
public final class PageParameters {

  private PageParameters() {
  }

  /** The page size asked for, {@code defaultLimit} when none was. */
  public static int limit(String value, int defaultLimit, int max) {
    if (value == null) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid("limit", "limit must be an integer from 1 to " + max);
  }

  /** The cursor a client gets for a listing's position, {@code position} being what the listing reads back. */
  public static String cursorOf(String position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  /** The position a cursor of {@link #cursorOf} holds; a cursor this api did not give out is a 400. */
  public static String position(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw badCursor();
    }
  }

  /** What a cursor that decodes but does not hold a position of the listing is answered with. */
  public static ApiException badCursor() {
    return ApiException.invalid("cursor", "cursor is not one this api gave out");
  }
}
