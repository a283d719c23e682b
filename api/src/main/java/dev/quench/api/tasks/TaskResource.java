package dev.quench.api.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quench.events.CallbackDelivery;
import dev.quench.events.Progress;
import dev.quench.events.TaskError;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.Usage;
import dev.quench.events.UsageLine;
import dev.quench.events.Warning;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A task as the beatra contract renders it ({@code object: "task"}), every documented field present, from the read
 * model. Credits are decimal strings; their {@code *_usd_reference} is the same amount in USD at
 * {@code quench.api.usd-per-credit}.
 */
@Schema(name = "Task", description = "A task: where it stands, what it was asked, what it produced and cost.")
public record TaskResource(
    @Schema(description = "Always `task`.", allowableValues = "task") String object,
    @JsonProperty("task_id") @Schema(description = "The task's id.", example = "0193a1f2-7c3e-7d41-9a5b-1f0e2d3c4b5a")
    String taskId,
    @Schema(description = "Where the task is in its life.", allowableValues = {"queued", "running", "completed",
        "failed", "cancelled"}) String status,
    @Schema(description = "What runs it, as submitted.", example = "sleep") String capability,
    @Schema(description = "The model asked for, or null.", types = {"string", "null"}) String model,
    @JsonProperty("resolved_model")
    @Schema(description = "The model its handler runs for it, once started; else null.", types = {"string", "null"})
    String resolvedModel,
    @Schema(description = "The client's labels, echoed.", example = "{\"team\": \"search\"}")
    Map<String, String> metadata,
    @Schema(description = "The capability's input, as submitted.", types = "object", example = "{\"duration_ms\": 30000}")
    JsonNode input,
    ProgressResource progress,
    @Schema(description = "The handler's result once completed, else null. A handler's result that is not an object "
        + "is shown as `{\"value\": result}`.", types = {"object", "null"}) JsonNode output,
    @Schema(description = "What the client should know about its requests, oldest first.")
    List<WarningResource> warnings,
    @Schema(description = "Why it failed, else null.", types = {"object", "null"}) ErrorResource error,
    UsageResource usage,
    BillingResource billing,
    @Schema(description = "The delivery of the signed callback sent when the task ends; null when none was asked "
        + "for.", types = {"object", "null"}) CallbackResource callback,
    @JsonProperty("created_at") @Schema(description = "When it was submitted.") Instant createdAt,
    @JsonProperty("started_at") @Schema(description = "When its current run started, or null.",
        types = {"string", "null"}) Instant startedAt,
    @JsonProperty("completed_at") @Schema(description = "When it reached a terminal status, or null.",
        types = {"string", "null"}) Instant completedAt,
    @JsonProperty("cancel_requested_at") @Schema(description = "When the first cancel that found it not yet ended was "
        + "requested, or null.", types = {"string", "null"}) Instant cancelRequestedAt,
    @JsonProperty("parent_task_id") @Schema(description = "The task this one is a subtask of, or null (quench's "
        + "own field).", types = {"string", "null"}) String parentTaskId,
    Links links) {

  /** How far the task got: the handler's last report; 100 once completed; 0 before it reported. */
  @Schema(name = "TaskProgress", description = "How far the task got, as its handler reported; 100 once completed.")
  public record ProgressResource(
      @Schema(minimum = "0", maximum = "100", example = "40") int percent,
      @Schema(description = "The handler's stage while it runs; the status once it ended.", example = "sleeping")
      String stage,
      @Schema(description = "The handler's last message, or null.", types = {"string", "null"}) String message) {
  }

  @Schema(name = "TaskWarning", description = "Something the client should know about a request that was taken.")
  public record WarningResource(
      @Schema(example = "reason_truncated") String code,
      String message,
      @Schema(description = "The request field concerned, or null.", types = {"string", "null"}, example = "reason")
      String field) {
  }

  @Schema(name = "TaskError", description = "Why a task failed.")
  public record ErrorResource(
      @Schema(description = "Stable, for programs.", example = "worker_lost") String code,
      String message,
      @Schema(description = "Whether running it again may succeed.") boolean retryable) {
  }

  /** What the task's run used, as its handler reported it; zeros until it did. */
  @Schema(name = "TaskUsage", description = "What the task's run used, as its handler reported; zeros until it did.")
  public record UsageResource(
      @JsonProperty("input_tokens") @Schema(minimum = "0") long inputTokens,
      @JsonProperty("output_tokens") @Schema(minimum = "0") long outputTokens,
      @JsonProperty("cache_read_tokens") @Schema(minimum = "0") long cacheReadTokens,
      @JsonProperty("cache_creation_tokens") @Schema(minimum = "0") long cacheCreationTokens,
      @JsonProperty("reasoning_tokens") @Schema(minimum = "0") long reasoningTokens,
      @JsonProperty("image_count") @Schema(minimum = "0") long imageCount,
      @JsonProperty("image_pixels") @Schema(minimum = "0") long imagePixels,
      @JsonProperty("video_seconds") @Schema(minimum = "0") long videoSeconds,
      @JsonProperty("audio_seconds") @Schema(minimum = "0") long audioSeconds,
      @Schema(minimum = "0") long characters,
      @Schema(description = "What was metered for billing, each line priced.") List<LineResource> lines,
      @Schema(description = "The credits all lines add up to.", pattern = DECIMAL, example = "0.03") String credits,
      @JsonProperty("credits_usd_reference") @Schema(pattern = DECIMAL, example = "0.0003")
      String creditsUsdReference) {
  }

  @Schema(name = "TaskUsageLine", description = "One metered quantity and what it is billed.")
  public record LineResource(
      @Schema(example = "sleep_time") String meter,
      @Schema(pattern = DECIMAL, example = "3") String quantity,
      @Schema(example = "second") String unit,
      @JsonProperty("billed_amount_credits") @Schema(pattern = DECIMAL, example = "0.03") String billedAmountCredits,
      @JsonProperty("billed_amount_credits_usd_reference") @Schema(pattern = DECIMAL, example = "0.0003")
      String billedAmountCreditsUsdReference) {
  }

  /**
   * What the task costs. While it runs, {@code charged_credits} is its reservation (held); once it ended, what it
   * used, never more than the reservation, and {@code refunded_credits} the rest.
   */
  @Schema(name = "TaskBilling", description = "What the task costs: while it runs, `charged_credits` is the "
      + "reservation held; once it ended, what it used (never more), and `refunded_credits` the rest.")
  public record BillingResource(
      @JsonProperty("charged_credits") @Schema(pattern = DECIMAL, example = "0.03") String chargedCredits,
      @JsonProperty("refunded_credits") @Schema(pattern = DECIMAL, example = "0.17") String refundedCredits,
      @JsonProperty("charged_credits_usd_reference") @Schema(pattern = DECIMAL, example = "0.0003")
      String chargedCreditsUsdReference,
      @JsonProperty("refunded_credits_usd_reference") @Schema(pattern = DECIMAL, example = "0.0017")
      String refundedCreditsUsdReference,
      @Schema(allowableValues = "USD") String currency) {
  }

  /** The delivery of a task's callback, as the fold of its attempts in the log. */
  @Schema(name = "TaskCallback", description = "The delivery of the signed callback (Standard Webhooks) sent when "
      + "the task ends: `pending` until a receiver answers 2xx (`delivered`) or delivery is given up (`failed`).")
  public record CallbackResource(
      @Schema(description = "Where the callback is sent.", format = "uri") String url,
      @Schema(description = "Where its delivery stands.", allowableValues = {"pending", "delivered", "failed"},
          example = "pending") String status,
      @JsonProperty("attempt_count") @Schema(description = "Attempts made so far.", minimum = "0") int attemptCount,
      @JsonProperty("delivered_at") @Schema(description = "When a receiver answered 2xx, or null.",
          types = {"string", "null"}, format = "date-time") Instant deliveredAt,
      @JsonProperty("last_error") @Schema(description = "What went wrong with the last failed attempt, or null.",
          types = {"string", "null"}) String lastError) {

    static CallbackResource of(CallbackDelivery delivery) {
      return delivery == null ? null : new CallbackResource(delivery.url(), delivery.status().wire(),
          delivery.attemptCount(), delivery.deliveredAt(), delivery.lastError());
    }
  }

  @Schema(name = "TaskLinks")
  public record Links(
      @Schema(example = "/v1/tasks/0193a1f2-7c3e-7d41-9a5b-1f0e2d3c4b5a") String self,
      @Schema(example = "/v1/tasks/0193a1f2-7c3e-7d41-9a5b-1f0e2d3c4b5a/cancel") String cancel) {
  }

  /** A decimal amount as a string, never in exponent notation. */
  static final String DECIMAL = "^-?[0-9]+(\\.[0-9]+)?$";

  public static TaskResource of(TaskState task, BigDecimal usdPerCredit) {
    String self = "/v1/tasks/" + task.taskId();
    TaskError error = task.error();
    return new TaskResource("task", task.taskId(), task.status().wire(), task.capability(), task.model(),
        task.resolvedModel(), task.metadata(), input(task.input()), progress(task), object(task.output()),
        task.warnings().stream().map(TaskResource::warning).toList(),
        error == null ? null : new ErrorResource(error.code(), error.message(), error.retryable()),
        usage(task.usage(), usdPerCredit), billing(task, usdPerCredit), CallbackResource.of(task.callback()),
        task.createdAt(), task.startedAt(),
        task.completedAt(), task.cancelRequestedAt(), task.parentTaskId(), new Links(self, self + "/cancel"));
  }

  /**
   * The contract's objects: an input or output that is some other JSON value (a handler's string result, an input
   * recorded before inputs had to be objects) is shown as {@code {"value": ...}}.
   */
  private static JsonNode object(JsonNode value) {
    return value == null || value.isObject() ? value : JsonNodeFactory.instance.objectNode().set("value", value);
  }

  private static JsonNode input(JsonNode input) {
    return input == null ? JsonNodeFactory.instance.objectNode() : object(input);
  }

  private static ProgressResource progress(TaskState task) {
    Progress reported = task.progress();
    int percent = task.status() == TaskStatus.COMPLETED ? 100
        : reported != null && reported.percent() != null ? reported.percent() : 0;
    String stage = reported != null && reported.stage() != null && !task.status().terminal() ? reported.stage()
        : task.status().wire();
    return new ProgressResource(percent, stage, reported == null ? null : reported.message());
  }

  private static WarningResource warning(Warning w) {
    return new WarningResource(w.code(), w.message(), w.field());
  }

  private static UsageResource usage(Usage usage, BigDecimal usdPerCredit) {
    Usage u = usage == null ? new Usage(Map.of(), List.of()) : usage;
    List<LineResource> lines = u.lines().stream().map(line -> line(line, usdPerCredit)).toList();
    return new UsageResource(u.counter("input_tokens"), u.counter("output_tokens"), u.counter("cache_read_tokens"),
        u.counter("cache_creation_tokens"), u.counter("reasoning_tokens"), u.counter("image_count"),
        u.counter("image_pixels"), u.counter("video_seconds"), u.counter("audio_seconds"), u.counter("characters"),
        lines, credits(u.credits()), usd(u.credits(), usdPerCredit));
  }

  private static LineResource line(UsageLine line, BigDecimal usdPerCredit) {
    return new LineResource(line.meter(), decimal(line.quantity()), line.unit(), credits(line.billedCredits()),
        usd(line.billedCredits(), usdPerCredit));
  }

  private static BillingResource billing(TaskState task, BigDecimal usdPerCredit) {
    BigDecimal charged = task.chargedCredits() != null ? task.chargedCredits() : task.reservedCredits();
    BigDecimal refunded = task.refundedCredits() != null ? task.refundedCredits() : BigDecimal.ZERO;
    return new BillingResource(credits(charged), credits(refunded), usd(charged, usdPerCredit),
        usd(refunded, usdPerCredit), "USD");
  }

  static String credits(BigDecimal amount) {
    return decimal(amount.setScale(6, RoundingMode.HALF_UP));
  }

  static String usd(BigDecimal credits, BigDecimal usdPerCredit) {
    return decimal(credits.multiply(usdPerCredit).setScale(6, RoundingMode.HALF_UP));
  }

  private static String decimal(BigDecimal amount) {
    String plain = amount.stripTrailingZeros().toPlainString();
    return plain.equals("0.0") ? "0" : plain;
  }
}
