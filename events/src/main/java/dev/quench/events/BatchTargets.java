package dev.quench.events;

import java.time.Instant;
import java.util.List;

/**
 * Part of a cancellation batch's fixed target set: at most {@link #MAX_TASKS} targets of one partition, which that
 * partition's owner hands on one by one as ordinary cancel requests ({@link CancelRequested} carrying the batch), at
 * the batch's pace; or ids the api found no visible task for, which are only reported.
 *
 * <p>Emitted by the api to the requests topic in the transaction of the batch's {@link BatchAccepted}, into the
 * partition of its targets (the batch's home partition for not-found ids); sequenced into the log by that
 * partition's owner. Key and the envelope's {@code task_id}: the batch id. A cascade's records go to every
 * partition, naming the descendants known there and the root, so that the owner also cancels, as they arrive, the
 * descendants submitted later.
 *
 * @param chunk       this record's number within the batch, from 0
 * @param taskIds     the targets it names, in the order they are handed on
 * @param notFound    true for ids that are no task the caller can see: never handed on
 * @param pacedFrom   when the batch was accepted: the {@code n}th target of a partition is handed on no earlier than
 *                    {@code pacedFrom + n / perSecond}
 * @param perSecond   this partition's share of the batch's rate, or null for as fast as it goes
 * @param firstIndex  the place of this record's first target among its partition's targets of the batch
 * @param reason      the reason each target's cancel request carries, or null
 * @param requestedBy the API key id each target's cancel request names
 * @param cascadeRoot the root of the tree a cascade cancels, or null
 */
public record BatchTargets(int chunk, List<String> taskIds, boolean notFound, Instant pacedFrom, Double perSecond,
                           long firstIndex, String reason, String requestedBy, String cascadeRoot)
    implements TaskEvent {

  /** The most targets one record names: a record stays far below the topics' size limit, and a chunk's view too. */
  public static final int MAX_TASKS = 1000;

  public BatchTargets {
    taskIds = taskIds == null ? List.of() : List.copyOf(taskIds);
  }
}
