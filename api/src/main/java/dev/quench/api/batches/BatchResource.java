package dev.quench.api.batches;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.api.log.BatchStore;
import dev.quench.events.BatchAccepted;
import dev.quench.events.BatchChunkView;
import dev.quench.events.TargetOutcome;
import io.swagger.v3.oas.annotations.media.Schema;
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
@Schema(name = "CancellationBatch", description = "A cancellation batch: what it asked, and where it stands.")
public record BatchResource(
    @Schema(allowableValues = "cancellation_batch") String object,
    @JsonProperty("batch_id") @Schema(format = "uuid") String batchId,
    @Schema(allowableValues = {"accepted", "running", "completed", "aborted"}) String status,
    @Schema(description = "How its targets were named.", allowableValues = {"ids", "filter", "cascade"})
    String selection,
    @Schema(description = "The filter as accepted, or null.", types = {"object", "null"}) JsonNode filter,
    @JsonProperty("root_task_id") @Schema(description = "For a cascade, the task whose tree it cancels; else null.",
        types = {"string", "null"}) String rootTaskId,
    @Schema(description = "Targets fixed at acceptance (tasks the caller can see).") int matched,
    @JsonProperty("not_found") @Schema(description = "Named ids of no task the caller can see: never requested.")
    int notFound,
    @Schema(description = "Targets by outcome so far: pending (not handed on yet), requested (a running task "
        + "stopping), cancelled_queued, cancelled_running, already_terminal, completed_first, already_cancelling, "
        + "not_found, aborted.") Map<String, Integer> counts,
    @Schema(types = {"string", "null"}) String reason,
    @JsonProperty("max_per_second") @Schema(types = {"integer", "null"}) Integer maxPerSecond,
    @JsonProperty("requested_by") @Schema(description = "The id of the API key that asked.") String requestedBy,
    @JsonProperty("created_at") @Schema(description = "When it was accepted.") Instant createdAt,
    @JsonProperty("completed_at") @Schema(description = "When its last target was settled, or null.",
        types = {"string", "null"}) Instant completedAt,
    @JsonProperty("abort_requested_at") @Schema(types = {"string", "null"}) Instant abortRequestedAt,
    Links links) {

  @Schema(name = "CancellationBatchLinks")
  public record Links(String self, String tasks, String abort) {
  }

  /** One target in a batch's report. */
  @Schema(name = "CancellationBatchTarget", description = "One target and what became of it.")
  public record TargetResource(@JsonProperty("task_id") String taskId,
                               @Schema(allowableValues = {"pending", "requested", "cancelled_queued",
                                   "cancelled_running", "already_terminal", "completed_first", "already_cancelling",
                                   "not_found", "aborted"}) String outcome,
                               @JsonProperty("requested_at") @Schema(description = "When it was handed on, or null.",
                                   types = {"string", "null"}) Instant requestedAt,
                               @JsonProperty("decided_at") @Schema(description = "When its outcome was decided, or "
                                   + "null.", types = {"string", "null"}) Instant decidedAt,
                               @Schema(description = "For a cancelled running task: whether it had to be stopped by "
                                   + "force.") boolean forced) {

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
  @Schema(name = "CancellationBatchPreview", description = "What a batch would cancel now.")
  public record PreviewResource(@Schema(allowableValues = "cancellation_batch_preview") String object,
                                @JsonProperty("dry_run") boolean dryRun,
                                @Schema(description = "Exactly how many tasks it would cancel.") int matched,
                                @JsonProperty("not_found") int notFound,
                                @JsonProperty("task_ids") List<String> taskIds,
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
