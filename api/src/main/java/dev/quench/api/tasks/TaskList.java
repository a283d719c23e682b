package dev.quench.api.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One page of a listing, newest first.
 *
 * @param object     always {@code list}
 * @param data       the tasks
 * @param hasMore    whether another page follows
 * @param nextCursor pass as {@code cursor} to get it; null on the last page
 */
@Schema(name = "TaskList", description = "One page of tasks, newest first.")
public record TaskList(
    @Schema(allowableValues = "list") String object,
    List<TaskResource> data,
    @JsonProperty("has_more") @Schema(description = "Whether another page follows.") boolean hasMore,
    @JsonProperty("next_cursor") @Schema(description = "Pass as `cursor` for the next page; null on the last.",
        types = {"string", "null"}) String nextCursor) {
}
