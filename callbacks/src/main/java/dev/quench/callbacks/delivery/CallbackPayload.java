package dev.quench.callbacks.delivery;

import dev.quench.events.CallbackDelivery;
import dev.quench.events.CancelRecord;
import dev.quench.events.Cancellation;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of a callback: {@code {"type": "task.completed" | "task.failed" | "task.cancelled", "timestamp": <when it
 * ended>, "data": <the task>}}, the task in the beatra shape the api serves at {@code /v1/tasks/{id}} (every field of
 * that contract, the same names and formats), plus, for a cancelled task, {@code cancellation}: who asked, why and
 * when, whether it was queued or running, whether it had to be forced, and the credits refunded.
 *
 * <p>Rendered here from the fold, not by the api: the deliverer depends on the contract only, as every service does.
 */
final class CallbackPayload {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final JsonMapper json = JsonMapper.builder().build();
  private final BigDecimal usdPerCredit;

  CallbackPayload(BigDecimal usdPerCredit) {
    this.usdPerCredit = usdPerCredit;
  }

  /** The body for {@code task}, which has ended. */
  byte[] render(TaskState task) {
    ObjectNode body = NODES.objectNode();
    body.put("type", "task." + task.status().wire());
    body.put("timestamp", text(task.completedAt()));
    body.set("data", task(task));
    return json.writeValueAsBytes(body);
  }

  ObjectNode task(TaskState task) {
    ObjectNode t = NODES.objectNode();
    t.put("object", "task");
    t.put("task_id", task.taskId());
    t.put("status", task.status().wire());
    t.put("capability", task.capability());
    t.put("model", task.model());
    t.put("resolved_model", task.resolvedModel());
    ObjectNode metadata = t.putObject("metadata");
    task.metadata().forEach(metadata::put);
    t.set("input", task.input() == null ? NODES.objectNode() : object(task.input()));
    t.set("progress", progress(task));
    t.set("output", task.output() == null ? NODES.nullNode() : object(task.output()));
    ArrayNode warnings = t.putArray("warnings");
    for (Warning w : task.warnings()) {
      warnings.addObject().put("code", w.code()).put("message", w.message()).put("field", w.field());
    }
    TaskError error = task.error();
    t.set("error", error == null ? NODES.nullNode() : NODES.objectNode().put("code", error.code())
        .put("message", error.message()).put("retryable", error.retryable()));
    t.set("usage", usage(task.usage()));
    t.set("billing", billing(task));
    t.set("callback", callback(task.callback()));
    t.put("created_at", text(task.createdAt()));
    t.put("started_at", text(task.startedAt()));
    t.put("completed_at", text(task.completedAt()));
    t.put("cancel_requested_at", text(task.cancelRequestedAt()));
    t.put("parent_task_id", task.parentTaskId());
    String self = "/v1/tasks/" + task.taskId();
    t.putObject("links").put("self", self).put("cancel", self + "/cancel");
    if (task.status() == TaskStatus.CANCELLED && task.cancellation() != null) {
      t.set("cancellation", cancellation(task));
    }
    return t;
  }

  private ObjectNode cancellation(TaskState task) {
    Cancellation how = task.cancellation();
    CancelRecord request = task.cancelRecord(how.requestId());
    ObjectNode c = NODES.objectNode();
    c.put("request_id", how.requestId().toString());
    c.put("requested_by", request == null ? null : request.requestedBy());
    c.put("reason", request == null ? null : request.reason());
    c.put("requested_at", request == null ? null : text(request.requestedAt()));
    c.put("was", how.was().wire());
    c.put("forced", how.forced());
    BigDecimal refunded = task.refundedCredits() == null ? BigDecimal.ZERO : task.refundedCredits();
    c.put("refunded_credits", credits(refunded));
    c.put("refunded_credits_usd_reference", usd(refunded));
    return c;
  }

  private static ObjectNode progress(TaskState task) {
    Progress reported = task.progress();
    int percent = task.status() == TaskStatus.COMPLETED ? 100
        : reported != null && reported.percent() != null ? reported.percent() : 0;
    return NODES.objectNode().put("percent", percent).put("stage", task.status().wire())
        .put("message", reported == null ? null : reported.message());
  }

  private ObjectNode usage(Usage reported) {
    Usage u = reported == null ? new Usage(java.util.Map.of(), java.util.List.of()) : reported;
    ObjectNode usage = NODES.objectNode();
    for (String counter : new String[] {"input_tokens", "output_tokens", "cache_read_tokens",
        "cache_creation_tokens", "reasoning_tokens", "image_count", "image_pixels", "video_seconds", "audio_seconds",
        "characters"}) {
      usage.put(counter, u.counter(counter));
    }
    ArrayNode lines = usage.putArray("lines");
    for (UsageLine line : u.lines()) {
      lines.addObject().put("meter", line.meter()).put("quantity", decimal(line.quantity())).put("unit", line.unit())
          .put("billed_amount_credits", credits(line.billedCredits()))
          .put("billed_amount_credits_usd_reference", usd(line.billedCredits()));
    }
    usage.put("credits", credits(u.credits()));
    usage.put("credits_usd_reference", usd(u.credits()));
    return usage;
  }

  private ObjectNode billing(TaskState task) {
    BigDecimal charged = task.chargedCredits() != null ? task.chargedCredits() : task.reservedCredits();
    BigDecimal refunded = task.refundedCredits() != null ? task.refundedCredits() : BigDecimal.ZERO;
    return NODES.objectNode().put("charged_credits", credits(charged)).put("refunded_credits", credits(refunded))
        .put("charged_credits_usd_reference", usd(charged)).put("refunded_credits_usd_reference", usd(refunded))
        .put("currency", "USD");
  }

  private static JsonNode callback(CallbackDelivery delivery) {
    if (delivery == null) {
      return NODES.nullNode();
    }
    return NODES.objectNode().put("url", delivery.url()).put("status", delivery.status().wire())
        .put("attempt_count", delivery.attemptCount()).put("delivered_at", text(delivery.deliveredAt()))
        .put("last_error", delivery.lastError());
  }

  /** The contract's objects: any other JSON value is shown as {@code {"value": ...}}, as the api shows it. */
  private static JsonNode object(JsonNode value) {
    return value.isObject() ? value : NODES.objectNode().set("value", value);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static String credits(BigDecimal amount) {
    return decimal(amount.setScale(6, RoundingMode.HALF_UP));
  }

  private String usd(BigDecimal credits) {
    return decimal(credits.multiply(usdPerCredit).setScale(6, RoundingMode.HALF_UP));
  }

  private static String decimal(BigDecimal amount) {
    String plain = amount.stripTrailingZeros().toPlainString();
    return plain.equals("0.0") ? "0" : plain;
  }
}
