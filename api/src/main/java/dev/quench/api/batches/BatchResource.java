package dev.quench.api.batches;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.api.log.BatchStore;
import dev.quench.events.BatchAccepted;
import dev.quench.events.BatchChunkView;
import dev.quench.events.TargetOutcome;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A cancellation batch as the api renders it ({@code object: "cancellation_batch"}): what was asked, how many
 * targets were fixed, and how many ended each way so far.
 *
 * @param counts targets by outcome: {@code pending} (not handed on yet), {@code requested} (a running task
 *               stopping), {@code cancelled_queued}, {@code cancelled_running}, {@code already_terminal},
 *               {@code completed_first}, {@code already_cancelling}, {@code not_found}, {@code aborted}
 */
public record BatchResource(
    String object,
    @JsonProperty("batch_id") String batchId,
    String status,
    String selection,
    JsonNode filter,
    @JsonProperty("root_task_id") String rootTaskId,
    int matched,
    @JsonProperty("not_found") int notFound,
    Map<String, Integer> counts,
    String reason,
    @JsonProperty("max_per_second") Integer maxPerSecond,
    @JsonProperty("requested_by") String requestedBy,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("completed_at") Instant completedAt,
    @JsonProperty("abort_requested_at") Instant abortRequestedAt,
    Links links) {

  public record Links(String self, String tasks, String abort) {
  }

  /** One target in a batch's report. */
  public record TargetResource(@JsonProperty("task_id") String taskId, String outcome,
                               @JsonProperty("requested_at") Instant requestedAt,
                               @JsonProperty("decided_at") Instant decidedAt, boolean forced) {

    static TargetResource of(BatchChunkView.Target target) {
      return new TargetResource(target.taskId(), target.outcome().wire(), target.requestedAt(), target.decidedAt(),
          target.forced());
    }
  }

  /**
   * What a dry run found: the exact number of tasks the batch would cancel now, and the first of them.
   *
   * @param taskIds      the first {@link #SAMPLE} of them
   * @param notFoundIds  the first {@link #SAMPLE} named ids that are no task the caller can see
   */
  public record PreviewResource(String object, @JsonProperty("dry_run") boolean dryRun, int matched,
                                @JsonProperty("not_found") int notFound, @JsonProperty("task_ids") List<String> taskIds,
                                @JsonProperty("not_found_ids") List<String> notFoundIds) {

    static final int SAMPLE = 100;

    static PreviewResource of(BatchCommands.Preview preview) {
      return new PreviewResource("cancellation_batch_preview", true, preview.targets().size(),
          preview.notFound().size(), first(preview.targets()), first(preview.notFound()));
    }

    private static List<String> first(List<String> ids) {
      return List.copyOf(ids.subList(0, Math.min(SAMPLE, ids.size())));
    }
  }

  static BatchResource of(BatchStore.Snapshot batch) {
    BatchAccepted accepted = batch.header().accepted();
    BatchProgress progress = BatchProgress.of(batch);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (TargetOutcome outcome : TargetOutcome.values()) {
      counts.put(outcome.wire(), progress.counts().get(outcome));
    }
    String self = "/v1/cancellation_batches/" + batch.header().batchId();
    return new BatchResource("cancellation_batch", batch.header().batchId().toString(), progress.status(batch),
        accepted.selection().wire(), accepted.filter(), accepted.rootTaskId(), accepted.matched(),
        accepted.notFound(), counts, accepted.reason(), accepted.maxPerSecond(), accepted.requestedBy(),
        batch.header().createdAt(), progress.completedAt(), batch.header().abortRequestedAt(),
        new Links(self, self + "/tasks", self + "/abort"));
  }
}
