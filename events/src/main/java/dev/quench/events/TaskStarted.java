package dev.quench.events;

/**
 * A worker took a queued task and is about to run it.
 *
 * <p>Emitted by the owning worker when a slot is free; committed before the handler is invoked, so a task whose
 * start never committed never ran. Key: the task id; follows {@link TaskSubmitted} or {@link TaskRequeued}.
 *
 * @param worker  the worker instance running it
 * @param attempt 1 for the first run, then one more for each re-run after a lost worker
 */
public record TaskStarted(String worker, int attempt) implements TaskEvent {
}
