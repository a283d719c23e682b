package dev.quench.api.batches;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/cancellation_batches} as the OpenAPI description documents it; read field by field by
 * {@link BatchRequests}.
 */
@Schema(name = "CreateCancellationBatchRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
    description = "Which tasks to cancel: exactly one of `task_ids` and `filter`.")
public record CreateBatchRequest(
    @JsonProperty("task_ids") @Schema(description = "The tasks, by id (repeats count once; ids of no task the caller "
        + "can see are reported `not_found`).", types = {"array", "null"})
    List<String> taskIds,
    @Schema(description = "The caller's tasks that match every condition given, resolved when the batch is accepted; "
        + "at least one condition.", types = {"object", "null"}) Filter filter,
    @Schema(description = "Recorded with every target's cancel request.", types = {"string", "null"},
        example = "campaign aborted") String reason,
    @JsonProperty("max_per_second") @Schema(description = "The most targets handed on per second; as fast as the "
        + "workers go if absent.", types = {"integer", "null"}, minimum = "1",
        maximum = "" + BatchRequests.MAX_PER_SECOND) Integer maxPerSecond,
    @JsonProperty("dry_run") @Schema(description = "Count exactly what the batch would cancel now, and record "
        + "nothing.", types = {"boolean", "null"}) Boolean dryRun) {

  /** The conditions of a filter: the listing's. */
  @Schema(name = "CancellationBatchFilter", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record Filter(
      @Schema(description = "Only tasks in these statuses.", types = {"array", "null"}) List<String> status,
      @Schema(types = {"string", "null"}) String capability,
      @Schema(description = "Every entry must match.", types = {"object", "null"}) Map<String, String> metadata,
      @JsonProperty("created_after") @Schema(types = {"string", "null"}) Instant createdAfter,
      @JsonProperty("created_before") @Schema(types = {"string", "null"}) Instant createdBefore,
      @JsonProperty("parent_task_id") @Schema(types = {"string", "null"}) String parentTaskId) {
  }

  /** What Swagger UI's "Try it out" sends as it is: a dry run over the queued sleeps. */
  static final String EXAMPLE = "{\"filter\": {\"status\": [\"queued\"], \"capability\": \"sleep\"}, "
      + "\"reason\": \"campaign aborted\", \"dry_run\": true}";
}
