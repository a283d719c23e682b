package dev.quench.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How a cancellation batch named its targets. */
public enum BatchSelection {
  /** A list of task ids. */
  IDS("ids"),
  /** A filter over the tenant's tasks, resolved against the read model when the batch was accepted. */
  FILTER("filter"),
  /** A task and all its descendants: a cancel with {@code cascade}. */
  CASCADE("cascade");

  private final String wire;

  BatchSelection(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static BatchSelection fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown batch selection: " + value));
  }
}
