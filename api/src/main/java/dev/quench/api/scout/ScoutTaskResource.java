package dev.quench.api.scout;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.Usage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A task as the Scout contract renders it. The objective and the processor come from the input of a task created
 * through {@code /scout/v1}; once it completed, {@code output} is the handler's output for a JSON output schema and
 * its answer text otherwise, and the sources, basis and research fields come from its output object when it has them,
 * else their documented empty values; {@code credits} is the cost so far, then the charge, rounded up to a whole
 * credit.
 */
@Schema(name = "ScoutTaskRun", description = "A task as Scout renders it: one read model, two renderings.")
public record ScoutTaskResource(
    @JsonProperty("task_id") @Schema(description = "Opaque task identifier (alias of run_id).",
        example = "0193a1f2-7c3e-7d41-9a5b-1f0e2d3c4b5a") String taskId,
    @JsonProperty("run_id") @Schema(description = "Opaque run identifier (alias of task_id).",
        example = "0193a1f2-7c3e-7d41-9a5b-1f0e2d3c4b5a") String runId,
    @Schema(description = "queued, running, completed, failed or cancelled.", allowableValues = {"queued", "running",
        "completed", "failed", "cancelled"}) String status,
    @Schema(description = "The objective. For a task created through /v1: its input's `task` (or `query`) member "
        + "when that is a string, else its capability.", example = "Extract latest market trends for renewable "
        + "energy") String task,
    @Schema(description = "The objective verbatim (alias of task).", example = "Extract latest market trends for "
        + "renewable energy") String query,
    @Schema(description = "Cost accumulated by the run, in whole credits rounded up: what its reported usage costs "
        + "while it runs, what it was charged once it ended.", minimum = "0", example = "5") long credits,
    @Schema(description = "Processor tier used: base | core | ultra (`core` for a task created through /v1).",
        allowableValues = {"base", "core", "ultra"}, defaultValue = "core") String processor,
    @Schema(description = "Free-form user metadata, echoed back.", types = {"object", "null"})
    Map<String, String> metadata,
    @Schema(description = "Output field names, derived from output_schema.", example = "[\"market_trends\"]")
    List<String> fields,
    @JsonProperty("output_schema") @Schema(description = "The requested output spec, if any.",
        types = {"object", "null"}) JsonNode outputSchema,
    @Schema(description = "The answer once completed. For type=json (an output schema that is not "
        + "`{\"type\": \"text\"}` or `auto`), the parsed JSON object. For text/auto, the string. Null until "
        + "completed.", types = {"object", "string", "null"}) JsonNode output,
    @ArraySchema(arraySchema = @Schema(description = "Per-field citation basis (empty until completed)."),
        schema = @Schema(implementation = Basis.class)) List<JsonNode> basis,
    @Schema(description = "Usage stats: tool_calls, search_queries, pages_fetched, tokens; null until the run "
        + "reported any.", types = {"object", "null"}) UsageResource usage,
    @Schema(description = "The agent's answer text (empty until completed).", defaultValue = "") String answer,
    @ArraySchema(arraySchema = @Schema(description = "Sample of source URLs the agent read (empty until done)."),
        schema = @Schema(type = "string")) List<String> sources,
    @ArraySchema(arraySchema = @Schema(description = "Source URLs read in full (empty until completed)."),
        schema = @Schema(type = "string")) List<String> read,
    @ArraySchema(arraySchema = @Schema(description = "Source URLs considered (empty until completed)."),
        schema = @Schema(type = "string")) List<String> considered,
    @Schema(description = "Failure reason when status is failed.", types = {"string", "null"}) String error,
    @JsonProperty("createdAt") @Schema(description = "ISO-8601 creation timestamp.", types = {"string", "null"})
    Instant createdAt,
    @JsonProperty("completedAt") @Schema(description = "ISO-8601 completion timestamp.", types = {"string", "null"})
    Instant completedAt,
    @Schema(description = "Long-form markdown research report with inline [N] citations. Only present for "
        + "research-tier runs.", types = {"string", "null"}) String report,
    @Schema(description = "Per-sub_query findings ({subquery, answer, citations, confidence, evidence}). "
        + "Research-tier only.", types = {"array", "null"})
    @ArraySchema(schema = @Schema(implementation = Finding.class)) List<JsonNode> findings,
    @JsonProperty("sources_detailed")
    @Schema(description = "Numbered sources list ({index, url, title, domain, fetched, quality, "
        + "first_seen_subquery}). Research-tier only.", types = {"array", "null"})
    @ArraySchema(schema = @Schema(implementation = Source.class)) List<JsonNode> sourcesDetailed) {

  /** Usage stats; null until the handler reported any. */
  @Schema(name = "ScoutUsage", description = "Usage stats, as the run's handler reported them.")
  public record UsageResource(
      @JsonProperty("tool_calls") long toolCalls,
      @JsonProperty("search_queries") long searchQueries,
      @JsonProperty("pages_fetched") long pagesFetched,
      Tokens tokens,
      @JsonProperty("planner_calls") long plannerCalls,
      @JsonProperty("grader_calls") long graderCalls,
      @JsonProperty("synth_calls") long synthCalls,
      @JsonProperty("scratchpad_mode") @Schema(description = "`active` once scratchpad chunks were indexed, else "
          + "`off`.", example = "active") String scratchpadMode,
      @JsonProperty("scratchpad_chunks_indexed") long scratchpadChunksIndexed,
      @JsonProperty("scratchpad_chunks_used") long scratchpadChunksUsed,
      @JsonProperty("scratchpad_searches") long scratchpadSearches,
      @JsonProperty("scratchpad_tool_turns") long scratchpadToolTurns) {
  }

  @Schema(name = "ScoutTokens")
  public record Tokens(@Schema(example = "450") long input, @Schema(example = "1200") long output) {
  }

  /** One field's basis, as a handler's output gives it: documented here, passed on as the handler wrote it. */
  @Schema(name = "ScoutBasis", description = "Why a field of the output is what it is.")
  record Basis(
      @Schema(example = "market_trends") String field,
      List<Citation> citations,
      String reasoning,
      @Schema(example = "medium") String confidence) {
  }

  @Schema(name = "ScoutCitation")
  record Citation(@Schema(format = "uri") String url, String title, List<String> excerpts) {
  }

  /** One sub-query's findings, as a research-tier handler's output gives them. */
  @Schema(name = "ScoutFinding", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
      description = "What one sub-query found.")
  record Finding(
      @Schema(example = "market growth rate") String subquery,
      @Schema(example = "15% growth expected in 2024") String answer,
      List<Citation> citations,
      @Schema(example = "0.85") double confidence,
      String evidence) {
  }

  /** One numbered source, as a research-tier handler's output gives it. */
  @Schema(name = "ScoutSource", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
      description = "A numbered source, as the report cites it.")
  record Source(
      @Schema(example = "1") int index,
      @Schema(format = "uri") String url,
      String title,
      @Schema(example = "energynews.com") String domain,
      Instant fetched,
      @Schema(example = "high") String quality,
      @JsonProperty("first_seen_subquery") String firstSeenSubquery) {
  }

  /**
   * The Scout rendering of a task. For a task created through {@code /v1}: {@code task} and {@code query} are its
   * input's {@code task} (or {@code query}) member when that is a string, else its capability; {@code processor} is
   * {@code core}, Scout's default, as no tier was chosen.
   */
  static ScoutTaskResource of(TaskState task) {
    JsonNode input = task.input();
    String objective = text(input, "task");
    if (objective == null) {
      objective = text(input, "query");
    }
    if (objective == null) {
      objective = task.capability();
    }
    String processor = text(input, "processor");
    if (processor == null || !ScoutRequests.PROCESSORS.contains(processor)) {
      processor = "core";
    }
    JsonNode schema = input == null || !input.has("output_schema") || input.get("output_schema").isNull() ? null
        : input.get("output_schema");
    JsonNode result = task.status() == TaskStatus.COMPLETED ? task.output() : null;
    String answer = result == null ? "" : answerText(result);
    JsonNode output = result == null ? null : json(schema) ? result : JsonNodeFactory.instance.stringNode(answer);
    return new ScoutTaskResource(task.taskId(), task.taskId(), task.status().wire(), objective, objective,
        credits(task), processor, task.metadata(), fields(schema), schema, output, objects(result, "basis"),
        usage(task.usage()), answer, strings(result, "sources"), strings(result, "read"),
        strings(result, "considered"),
        task.error() == null ? null : task.error().message(), task.createdAt(), task.completedAt(),
        result != null && result.path("report").isString() ? result.get("report").asString() : null,
        objectsOrNull(result, "findings"), objectsOrNull(result, "sources_detailed"));
  }

  /**
   * What the run cost so far, in whole credits rounded up: once it ended, what it was charged; while it runs, what
   * the usage it reported costs (never more than it reserved); nothing while queued.
   */
  static long credits(TaskState task) {
    BigDecimal cost = task.chargedCredits() != null ? task.chargedCredits()
        : task.usage() == null ? BigDecimal.ZERO : task.usage().credits().min(task.reservedCredits());
    return cost.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /**
   * Whether the task asked for JSON output ({@code type=json} in Scout's words): an output schema that is not
   * {@code {"type": "text"}} or {@code {"type": "auto"}}. Without one the output is text ("auto").
   */
  private static boolean json(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return false;
    }
    JsonNode type = schema.get("type");
    return type == null || !type.isString() || !(type.asString().equals("text") || type.asString().equals("auto"));
  }

  /**
   * Field names of a JSON output schema: its {@code properties}, those of its {@code json_schema}, or, for a flat
   * schema, its own members.
   */
  private static List<String> fields(JsonNode schema) {
    if (!json(schema)) {
      return List.of();
    }
    JsonNode properties = schema.has("properties") ? schema.get("properties")
        : schema.path("json_schema").has("properties") ? schema.get("json_schema").get("properties") : schema;
    if (!properties.isObject()) {
      return List.of();
    }
    List<String> names = new ArrayList<>(properties.propertyNames());
    if (properties == schema) {
      names.removeAll(List.of("type", "json_schema", "description"));
    }
    return names;
  }

  /**
   * The handler's answer as text: its output when that is a string, else the output's {@code answer} member when that
   * is a string, else the output as compact JSON.
   */
  private static String answerText(JsonNode output) {
    if (output.isString()) {
      return output.asString();
    }
    return output.path("answer").isString() ? output.get("answer").asString() : output.toString();
  }

  /** The objects of the output's array {@code name}; empty when there is none. */
  private static List<JsonNode> objects(JsonNode output, String name) {
    JsonNode value = output == null ? null : output.get(name);
    if (value == null || !value.isArray()) {
      return List.of();
    }
    return value.valueStream().filter(JsonNode::isObject).toList();
  }

  /** The output's array {@code name} as strings (a value that is not one as its JSON text); empty when none. */
  private static List<String> strings(JsonNode output, String name) {
    JsonNode value = output == null ? null : output.get(name);
    if (value == null || !value.isArray()) {
      return List.of();
    }
    return value.valueStream().map(item -> item.isString() ? item.asString() : item.toString()).toList();
  }

  /** Like {@link #objects}, but null when the output has no such array: the research-tier fields. */
  private static List<JsonNode> objectsOrNull(JsonNode output, String name) {
    JsonNode value = output == null ? null : output.get(name);
    return value != null && value.isArray() ? objects(output, name) : null;
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
