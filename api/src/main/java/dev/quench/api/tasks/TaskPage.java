package dev.quench.api.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One page of a listing, newest first.
 *
 * @param object     always {@code list}
 * @param data       the tasks
 * @param hasMore    whether another page follows
 * @param nextCursor pass as {@code cursor} to get it; null on the last page
 */
public record TaskPage<T>(String object, List<T> data, @JsonProperty("has_more") boolean hasMore,
                          @JsonProperty("next_cursor") String nextCursor) {
}
