package dev.quench.events;

import java.util.List;

/**
 * Targets of a cancellation batch that were never handed on, because the batch was aborted first: they get no cancel
 * request for it, and the batch's report says so.
 *
 * <p>Emitted by the owner of their partition after it sequenced the batch's {@link BatchAbortRequested}, in the same
 * transaction. Key and the envelope's {@code task_id}: the batch id.
 *
 * @param chunk   the {@link BatchTargets} record that named them
 * @param taskIds the targets left alone
 */
public record BatchTargetsSkipped(int chunk, List<String> taskIds) implements TaskEvent {

  public BatchTargetsSkipped {
    taskIds = taskIds == null ? List.of() : List.copyOf(taskIds);
  }
}
