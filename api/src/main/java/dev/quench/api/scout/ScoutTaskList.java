package dev.quench.api.scout;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of task runs, newest first, paged like {@code /v1}'s listing. */
@Schema(name = "ScoutTaskRunList", description = "One page of task runs, newest first.")
record ScoutTaskList(
    @Schema(allowableValues = "list") String object,
    List<ScoutTaskResource> data,
    @JsonProperty("has_more") @Schema(description = "Whether another page follows.") boolean hasMore,
    @JsonProperty("next_cursor") @Schema(description = "Pass as `cursor` for the next page; null on the last.",
        types = {"string", "null"}) String nextCursor) {
}
