package dev.quench.events;

/**
 * A task could not finish. Terminal.
 *
 * <p>Emitted by the owning worker when the handler throws, when no handler serves the capability, or when the
 * worker that ran it was lost and the policy says fail. Key: the task id.
 *
 * @param attempt the run that failed (0 if it never started)
 * @param error   why, with a stable code
 * @param usage   what the run used until it failed, or null if the handler reported none
 */
public record TaskFailed(int attempt, TaskError error, Usage usage) implements TaskEvent {
}
