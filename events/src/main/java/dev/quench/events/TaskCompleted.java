package dev.quench.events;

import tools.jackson.databind.JsonNode;

/**
 * A task's handler returned a result. Terminal.
 *
 * <p>Emitted by the owning worker when the handler returns, even if a cancel was requested meanwhile (that cancel
 * then gets {@link CancelNoOp} with {@link NoOpReason#COMPLETED_FIRST}). Key: the task id.
 *
 * @param attempt the run that produced it
 * @param output  the handler's result, any JSON
 * @param usage   what the run used in all, or null if the handler reported none
 */
public record TaskCompleted(int attempt, JsonNode output, Usage usage) implements TaskEvent {

  public TaskCompleted {
    output = Json.orNull(output);
  }
}
