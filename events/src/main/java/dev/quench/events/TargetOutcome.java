package dev.quench.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** What became of one target of a cancellation batch, as its report shows it. */
public enum TargetOutcome {
  /** Named by the batch, not yet handed on (a batch with a rate goes at its pace). */
  PENDING("pending"),
  /** Handed on; its outcome is not known yet (a running task is stopping). */
  REQUESTED("requested"),
  CANCELLED_QUEUED("cancelled_queued"),
  CANCELLED_RUNNING("cancelled_running"),
  ALREADY_TERMINAL("already_terminal"),
  COMPLETED_FIRST("completed_first"),
  /** Another cancel request was already stopping it; that one carries the cancellation. */
  ALREADY_CANCELLING("already_cancelling"),
  /** No task the caller can see: never requested. */
  NOT_FOUND("not_found"),
  /** Never handed on: the batch was aborted first. */
  ABORTED("aborted");

  private final String wire;

  TargetOutcome(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }

  @JsonCreator
  public static TargetOutcome fromWire(String value) {
    return Arrays.stream(values()).filter(o -> o.wire.equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown target outcome: " + value));
  }

  /** Whether nothing more will happen to the target for this batch. */
  public boolean settled() {
    return this != PENDING && this != REQUESTED;
  }

  /** The outcome a cancel request's answer ({@link TaskCancelled} or {@link CancelNoOp}) stands for. */
  public static TargetOutcome of(TaskEvent answer) {
    if (answer instanceof TaskCancelled cancelled) {
      return cancelled.was() == TaskStatus.QUEUED ? CANCELLED_QUEUED : CANCELLED_RUNNING;
    }
    if (answer instanceof CancelNoOp noOp) {
      return switch (noOp.reason()) {
        case ALREADY_TERMINAL -> ALREADY_TERMINAL;
        case COMPLETED_FIRST -> COMPLETED_FIRST;
        case ALREADY_CANCELLING -> ALREADY_CANCELLING;
        case UNKNOWN_TASK -> NOT_FOUND;
      };
    }
    throw new IllegalArgumentException(answer.type().wire() + " answers no cancel request");
  }
}
