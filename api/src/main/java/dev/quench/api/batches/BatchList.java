package dev.quench.api.batches;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of the caller's cancellation batches, newest first. */
@Schema(name = "CancellationBatchList", description = "One page of cancellation batches, newest first.")
public record BatchList(
    @Schema(allowableValues = "list") String object,
    List<BatchResource> data,
    @JsonProperty("has_more") @Schema(description = "Whether another page follows.") boolean hasMore,
    @JsonProperty("next_cursor") @Schema(description = "Pass as `cursor` for the next page; null on the last.",
        types = {"string", "null"}) String nextCursor) {
}
