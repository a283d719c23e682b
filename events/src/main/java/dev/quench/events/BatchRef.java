package dev.quench.events;

import java.util.UUID;

/**
 * The cancellation batch a cancel request, and its outcome, belong to: carried by both, so the batch's progress is a
 * fold of the outcome events alone.
 *
 * @param batchId the batch
 * @param chunk   the {@link BatchTargets} record that named the target; null for a task that joined a cascaded tree
 *                after the batch was accepted, cancelled as it arrived
 */
public record BatchRef(UUID batchId, Integer chunk) {
}
