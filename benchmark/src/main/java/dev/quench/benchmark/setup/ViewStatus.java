package dev.quench.benchmark.setup;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads {@code task.status} out of a record of {@code tasks.view} as an outside client would, reading no further
 * into the JSON than it has to: the benchmark's watches share the machine with the service they measure.
 */
public final class ViewStatus {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ViewStatus() {
  }

  /** The view's task status ({@code "cancelled"}, say), or null if the record holds no view. */
  public static String of(byte[] view) {
    if (view == null) {
      return null;
    }
    try (JsonParser parser = JSON.createParser(view)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("task".equals(name) && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if ("status".equals(field)) {
              return parser.getString();
            }
            parser.skipChildren();
          }
          return null;
        }
        parser.skipChildren();
      }
      return null;
    }
  }
}
