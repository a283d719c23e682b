package dev.quench.api.batches;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of a batch's report: its targets in the order they are handed on, each with its own outcome. */
@Schema(name = "CancellationBatchTargetList", description = "One page of a batch's targets and their outcomes.")
public record TargetList(
    @Schema(allowableValues = "list") String object,
    List<BatchResource.TargetResource> data,
    @JsonProperty("has_more") @Schema(description = "Whether another page follows.") boolean hasMore,
    @JsonProperty("next_cursor") @Schema(description = "Pass as `cursor` for the next page; null on the last.",
        types = {"string", "null"}) String nextCursor) {
}
