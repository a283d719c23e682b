package dev.quench.api.streams;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One page of a task's events, oldest first.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last
 */
@Schema(name = "TaskEventList", description = "One page of a task's events, oldest first.")
public record TaskEventList(
    @Schema(allowableValues = "list") String object,
    List<TaskEventResource> data,
    @JsonProperty("has_more") boolean hasMore,
    @JsonProperty("next_cursor") @Schema(types = {"string", "null"}) String nextCursor) {
}
