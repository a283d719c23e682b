package dev.quench.events;

/**
 * A running task's handler reported progress.
 *
 * <p>Emitted by the owning worker, at most a few times a second per task (later reports replace earlier ones that
 * were not yet written). Key: the task id; only between {@link TaskStarted} and the task's terminal event.
 *
 * @param attempt  the run this progress belongs to
 * @param progress what the handler reported, or null if it reported usage only
 * @param usage    the run's usage so far, or null if unchanged
 */
public record TaskProgressed(int attempt, Progress progress, Usage usage) implements TaskEvent {
}
