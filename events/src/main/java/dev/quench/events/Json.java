package dev.quench.events;

import tools.jackson.databind.JsonNode;

/** JSON values inside events. */
final class Json {

  private Json() {
  }

  /**
   * JSON {@code null} as Java null: Jackson reads a null member into a {@code NullNode}, and without this an event
   * or a state would not equal itself after a trip through the wire.
   */
  static JsonNode orNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }
}
