package dev.quench.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Where a task is in its life. Completed, failed and cancelled are terminal: nothing changes them again. */
public enum TaskStatus {
  QUEUED, RUNNING, COMPLETED, FAILED, CANCELLED;

  public boolean terminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  @JsonValue
  public String wire() {
    return name().toLowerCase();
  }

  @JsonCreator
  public static TaskStatus fromWire(String value) {
    return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown task status: " + value));
  }

  public static Optional<TaskStatus> parse(String value) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
  }
}
