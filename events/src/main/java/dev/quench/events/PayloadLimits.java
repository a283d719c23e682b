package dev.quench.events;

import java.util.ArrayDeque;
import java.util.Deque;
import tools.jackson.databind.JsonNode;

/**
 * Bounds on the client's input and a handler's output that every process relies on. JSON nested deeper than
 * {@link #MAX_DEPTH} is refused where it enters (the api answers 400, the worker fails the task): inside an event
 * envelope, and again inside a view, a payload nests a few levels deeper, and JSON libraries refuse to write
 * documents past their own depth limit.
 */
public final class PayloadLimits {

  /** The deepest an input or an output may nest. */
  public static final int MAX_DEPTH = 64;

  private PayloadLimits() {
  }

  /** How deep {@code node} nests: 0 for a scalar or null, 1 for a flat object or array. Iterative: no recursion. */
  public static int depth(JsonNode node) {
    if (node == null || !node.isContainer()) {
      return 0;
    }
    int deepest = 0;
    Deque<JsonNode> level = new ArrayDeque<>();
    level.add(node);
    while (!level.isEmpty()) {
      deepest++;
      Deque<JsonNode> next = new ArrayDeque<>();
      for (JsonNode container : level) {
        for (JsonNode child : container.values()) {
          if (child.isContainer()) {
            next.add(child);
          }
        }
      }
      level = next;
    }
    return deepest;
  }
}
