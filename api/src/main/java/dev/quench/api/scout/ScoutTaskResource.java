package dev.quench.api.scout;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.events.TaskState;
import dev.quench.events.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A task as the Scout contract renders it. The objective and the processor come from the input of a task created
 * through {@code /scout/v1}; the answer, sources, basis and research fields from its handler's output object when it
 * has them, else their documented empty values; {@code credits} is what the task is charged, rounded up to a whole
 * credit.
 */
public record ScoutTaskResource(
    @JsonProperty("task_id") String taskId,
    @JsonProperty("run_id") String runId,
    String status,
    String task,
    String query,
    long credits,
    String processor,
    Map<String, String> metadata,
    List<String> fields,
    @JsonProperty("output_schema") JsonNode outputSchema,
    JsonNode output,
    JsonNode basis,
    UsageResource usage,
    String answer,
    JsonNode sources,
    JsonNode read,
    JsonNode considered,
    String error,
    @JsonProperty("createdAt") Instant createdAt,
    @JsonProperty("completedAt") Instant completedAt,
    String report,
    JsonNode findings,
    @JsonProperty("sources_detailed") JsonNode sourcesDetailed) {

  /** Usage stats; null until the handler reported any. */
  public record UsageResource(
      @JsonProperty("tool_calls") long toolCalls,
      @JsonProperty("search_queries") long searchQueries,
      @JsonProperty("pages_fetched") long pagesFetched,
      Tokens tokens,
      @JsonProperty("planner_calls") long plannerCalls,
      @JsonProperty("grader_calls") long graderCalls,
      @JsonProperty("synth_calls") long synthCalls,
      @JsonProperty("scratchpad_mode") String scratchpadMode,
      @JsonProperty("scratchpad_chunks_indexed") long scratchpadChunksIndexed,
      @JsonProperty("scratchpad_chunks_used") long scratchpadChunksUsed,
      @JsonProperty("scratchpad_searches") long scratchpadSearches,
      @JsonProperty("scratchpad_tool_turns") long scratchpadToolTurns) {
  }

  public record Tokens(long input, long output) {
  }

  static ScoutTaskResource of(TaskState task, String processor) {
    JsonNode input = task.input();
    String objective = text(input, "task");
    JsonNode schema = input == null || !input.has("output_schema") || input.get("output_schema").isNull() ? null
        : input.get("output_schema");
    JsonNode output = task.status().terminal() ? task.output() : null;
    BigDecimal charged = task.chargedCredits() != null ? task.chargedCredits() : task.reservedCredits();
    return new ScoutTaskResource(task.taskId(), task.taskId(), task.status().wire(), objective, objective,
        charged.setScale(0, RoundingMode.CEILING).longValueExact(), processor, task.metadata(), fields(schema),
        schema, output, list(output, "basis"), usage(task.usage()), answer(output), list(output, "sources"),
        list(output, "read"), list(output, "considered"), task.error() == null ? null : task.error().message(),
        task.createdAt(), task.completedAt(), output != null && output.path("report").isString()
            ? output.get("report").asString() : null, orNull(output, "findings"), orNull(output, "sources_detailed"));
  }

  /** Field names of the output schema: its {@code properties}, or its own members for a flat schema. */
  private static List<String> fields(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return List.of();
    }
    JsonNode properties = schema.has("properties") ? schema.get("properties") : schema;
    return properties.isObject() ? new ArrayList<>(properties.propertyNames()) : List.of();
  }

  private static String answer(JsonNode output) {
    if (output == null) {
      return "";
    }
    if (output.isString()) {
      return output.asString();
    }
    return output.path("answer").isString() ? output.get("answer").asString() : "";
  }

  private static JsonNode list(JsonNode output, String name) {
    JsonNode value = output == null ? null : output.get(name);
    return value != null && value.isArray() ? value : tools.jackson.databind.node.JsonNodeFactory.instance
        .arrayNode();
  }

  private static JsonNode orNull(JsonNode output, String name) {
    JsonNode value = output == null ? null : output.get(name);
    return value != null && value.isArray() ? value : null;
  }

  private static String text(JsonNode input, String name) {
    JsonNode value = input == null ? null : input.get(name);
    return value != null && value.isString() ? value.asString() : null;
  }

  private static UsageResource usage(Usage usage) {
    if (usage == null) {
      return null;
    }
    return new UsageResource(usage.counter("tool_calls"), usage.counter("search_queries"),
        usage.counter("pages_fetched"), new Tokens(usage.counter("input_tokens"), usage.counter("output_tokens")),
        usage.counter("planner_calls"), usage.counter("grader_calls"), usage.counter("synth_calls"),
        usage.counter("scratchpad_chunks_indexed") > 0 ? "active" : "off", usage.counter("scratchpad_chunks_indexed"),
        usage.counter("scratchpad_chunks_used"), usage.counter("scratchpad_searches"),
        usage.counter("scratchpad_tool_turns"));
  }
}
