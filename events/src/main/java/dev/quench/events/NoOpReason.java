package dev.quench.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Why a {@link CancelNoOp} cancelled nothing. */
public enum NoOpReason {
  /** The task was running and completed or failed before the cancel took effect. */
  COMPLETED_FIRST("completed_first"),
  /** The task was already completed, failed or cancelled when the request was decided. */
  ALREADY_TERMINAL("already_terminal"),
  /** An earlier request was already stopping the task; that one carries the {@link TaskCancelled}. */
  ALREADY_CANCELLING("already_cancelling"),
  /** No task with this id was ever submitted on this partition. */
  UNKNOWN_TASK("unknown_task");

  private final String wire;

  NoOpReason(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static NoOpReason fromWire(String value) {
    return Arrays.stream(values()).filter(r -> r.wire.equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown no-op reason: " + value));
  }
}
