package dev.quench.api.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import tools.jackson.databind.JsonNode;

/**
 * A task as the beatra contract renders it ({@code object: "task"}), every documented field present, from the read
 * model. Credits are decimal strings; their {@code *_usd_reference} is the same amount in USD at
 * {@code quench.api.usd-per-credit}.
 */
public record TaskResource(
    String object,
    @JsonProperty("task_id") String taskId,
    String status,
    String capability,
    String model,
    @JsonProperty("resolved_model") String resolvedModel,
    Map<String, String> metadata,
    JsonNode input,
    ProgressResource progress,
    JsonNode output,
    List<WarningResource> warnings,
    ErrorResource error,
    UsageResource usage,
    BillingResource billing,
    Object callback,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("started_at") Instant startedAt,
    @JsonProperty("completed_at") Instant completedAt,
    @JsonProperty("cancel_requested_at") Instant cancelRequestedAt,
    @JsonProperty("parent_task_id") String parentTaskId,
    Links links) {

  /** How far the task got: the handler's last report; 100 once completed; 0 before it reported. */
  public record ProgressResource(int percent, String stage, String message) {
  }

  public record WarningResource(String code, String message, String field) {
  }

  public record ErrorResource(String code, String message, boolean retryable) {
  }

  /** What the task's run used, as its handler reported it; zeros until it did. */
  public record UsageResource(
      @JsonProperty("input_tokens") long inputTokens,
      @JsonProperty("output_tokens") long outputTokens,
      @JsonProperty("cache_read_tokens") long cacheReadTokens,
      @JsonProperty("cache_creation_tokens") long cacheCreationTokens,
      @JsonProperty("reasoning_tokens") long reasoningTokens,
      @JsonProperty("image_count") long imageCount,
      @JsonProperty("image_pixels") long imagePixels,
      @JsonProperty("video_seconds") long videoSeconds,
      @JsonProperty("audio_seconds") long audioSeconds,
      long characters,
      List<LineResource> lines,
      String credits,
      @JsonProperty("credits_usd_reference") String creditsUsdReference) {
  }

  public record LineResource(
      String meter,
      String quantity,
      String unit,
      @JsonProperty("billed_amount_credits") String billedAmountCredits,
      @JsonProperty("billed_amount_credits_usd_reference") String billedAmountCreditsUsdReference) {
  }

  /**
   * What the task costs. While it runs, {@code charged_credits} is its reservation (held); once it ended, what it
   * used, never more than the reservation, and {@code refunded_credits} the rest.
   */
  public record BillingResource(
      @JsonProperty("charged_credits") String chargedCredits,
      @JsonProperty("refunded_credits") String refundedCredits,
      @JsonProperty("charged_credits_usd_reference") String chargedCreditsUsdReference,
      @JsonProperty("refunded_credits_usd_reference") String refundedCreditsUsdReference,
      String currency) {
  }

  public record Links(String self, String cancel) {
  }

  public static TaskResource of(TaskState task, BigDecimal usdPerCredit) {
    String self = "/v1/tasks/" + task.taskId();
    TaskError error = task.error();
    return new TaskResource("task", task.taskId(), task.status().wire(), task.capability(), task.model(),
        task.resolvedModel(), task.metadata(), task.input(), progress(task), task.output(),
        task.warnings().stream().map(TaskResource::warning).toList(),
        error == null ? null : new ErrorResource(error.code(), error.message(), error.retryable()),
        usage(task.usage(), usdPerCredit), billing(task, usdPerCredit), null, task.createdAt(), task.startedAt(),
        task.completedAt(), task.cancelRequestedAt(), task.parentTaskId(), new Links(self, self + "/cancel"));
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
