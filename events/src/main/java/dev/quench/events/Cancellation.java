package dev.quench.events;

import java.util.UUID;

/**
 * How a cancelled task was stopped.
 *
 * @param requestId the {@link CancelRequested} that cancelled it
 * @param was       what the cancel found: queued or running
 * @param forced    whether the handler had to be interrupted, abandoned or was lost
 */
public record Cancellation(UUID requestId, TaskStatus was, boolean forced) {
}
