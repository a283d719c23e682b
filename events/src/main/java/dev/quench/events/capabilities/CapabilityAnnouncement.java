package dev.quench.events.capabilities;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A worker serves a capability, whose input must satisfy {@code inputSchema}.
 *
 * <p>Written by every worker when it starts, one record per capability it serves, to the compacted capabilities
 * topic. Key: the capability, so the topic keeps the latest announcement of each; workers of one fleet announce the
 * same schema, and during a rolling upgrade the last one written counts. Read by every api instance from the start of
 * the topic: a create of a capability never announced, or whose input breaks the announced schema, is refused.
 *
 * @param capability  what clients submit, e.g. {@code sleep}
 * @param inputSchema a JSON Schema (draft 2020-12) of the task's input, an object; self-contained (see
 *                    {@link #externalReferences})
 * @param worker      the worker instance that announced it
 * @param announcedAt when, by the worker's clock
 */
public record CapabilityAnnouncement(String capability, JsonNode inputSchema, String worker, Instant announcedAt) {

  public CapabilityAnnouncement {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(inputSchema, "inputSchema");
  }

  /**
   * The references of {@code schema} to anything outside itself: every {@code $ref} and {@code $dynamicRef} that is
   * not a fragment of the schema ({@code #/$defs/...}). An announced schema has none: nobody fetches a document to
   * check a client's input, and a reference the api cannot resolve would turn every create into an error.
   */
  public static List<String> externalReferences(JsonNode schema) {
    List<String> external = new ArrayList<>();
    Deque<JsonNode> todo = new ArrayDeque<>();
    todo.push(schema);
    while (!todo.isEmpty()) {
      JsonNode node = todo.pop();
      if (node.isObject()) {
        for (String keyword : List.of("$ref", "$dynamicRef")) {
          JsonNode ref = node.get(keyword);
          if (ref != null && ref.isString() && !ref.asString().startsWith("#")) {
            external.add(ref.asString());
          }
        }
      }
      if (node.isContainer()) {
        node.values().forEach(todo::push);
      }
    }
    return external;
  }
}
