package dev.quench.api.tasks;

import dev.quench.api.web.ApiException;
import dev.quench.events.CallbackRequest;
import org.springframework.http.HttpStatus;
import dev.quench.events.PayloadLimits;
import dev.quench.events.Warning;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads and validates request bodies field by field, so a client learns exactly which field is wrong and why,
 * instead of a generic binding error.
 */
public final class TaskRequests {

  static final int MAX_CAPABILITY = 64;
  static final int MAX_MODEL = 200;
  static final int MAX_METADATA_ENTRIES = 64;
  static final int MAX_METADATA_KEY = 64;
  static final int MAX_METADATA_VALUE = 512;
  static final int MAX_REASON = 1000;
  private static final Pattern CAPABILITY = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /**
   * A validated cancel body: the reason as recorded, what the client should know about it, and whether the cancel
   * cascades over the task's tree.
   */
  public record Cancel(String reason, List<Warning> warnings, boolean cascade) {
  }

  private TaskRequests() {
  }

  static TaskCommands.Submission submission(JsonNode body) {
    requireObject(body, Set.of("capability", "input", "model", "metadata", "parent_task_id", "callback"));
    JsonNode capabilityNode = body.get("capability");
    if (capabilityNode == null || capabilityNode.isNull()) {
      throw ApiException.invalid("capability", "capability is required");
    }
    String capability = string(capabilityNode, "capability", MAX_CAPABILITY);
    if (!CAPABILITY.matcher(capability).matches()) {
      throw ApiException.invalid("capability", "capability must be lower-case letters, digits, '_', '.' or '-'");
    }
    JsonNode modelNode = body.get("model");
    String model = modelNode == null || modelNode.isNull() ? null : string(modelNode, "model", MAX_MODEL);
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) {
      input = JsonNodeFactory.instance.objectNode();
    }
    if (!input.isObject()) {
      throw ApiException.invalid("input", "input must be a JSON object: its members are the capability's parameters");
    }
    if (PayloadLimits.depth(input) > PayloadLimits.MAX_DEPTH) {
      throw ApiException.invalid("input", "input may nest at most " + PayloadLimits.MAX_DEPTH + " levels deep");
    }
    JsonNode parentNode = body.get("parent_task_id");
    String parent = null;
    if (parentNode != null && !parentNode.isNull()) {
      parent = string(parentNode, "parent_task_id", 64);
      if (!plausibleTaskId(parent)) {
        throw ApiException.invalid("parent_task_id", "parent_task_id must be the id of one of your tasks");
      }
    }
    return new TaskCommands.Submission(capability, model, metadata(body.get("metadata")), input, List.of(),
        "capability", "input", parent, callback(body.get("callback")));
  }

  /**
   * A create's {@code callback}: {@code {"url": ...}}, or null. Only its form is read here; the address rules are
   * applied when the submission is about to be recorded, refusals a 422 naming {@code callback.url}.
   */
  public static CallbackRequest callback(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw callbackInvalid("callback", "callback must be an object: {\"url\": \"https://...\"}");
    }
    for (String name : node.propertyNames()) {
      if (!name.equals("url")) {
        throw callbackInvalid("callback." + name, "unknown field 'callback." + name + "'; known fields: [url]");
      }
    }
    JsonNode url = node.get("url");
    if (url == null || url.isNull() || !url.isString() || url.asString().isBlank()) {
      throw callbackInvalid("callback.url", "callback.url is required: an absolute https URL");
    }
    return new CallbackRequest(url.asString());
  }

  private static ApiException callbackInvalid(String field, String message) {
    return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid_callback_url", message, field, false);
  }

  /** An optional {@code POST .../cancel} body: its reason (null when none) and {@code cascade}. */
  static Cancel cancel(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      return new Cancel(null, List.of(), false);
    }
    requireObject(body, Set.of("reason", "cascade"));
    JsonNode cascade = body.get("cascade");
    if (cascade != null && !cascade.isNull() && !cascade.isBoolean()) {
      throw ApiException.invalid("cascade", "cascade must be true or false");
    }
    return reason(body.get("reason"), cascade != null && cascade.asBoolean(false));
  }

  /** A cancel's {@code reason}: kept whole up to {@link #MAX_REASON} characters, else cut, with a warning. */
  public static Cancel reason(JsonNode reason, boolean cascade) {
    if (reason == null || reason.isNull()) {
      return new Cancel(null, List.of(), cascade);
    }
    if (!reason.isString()) {
      throw ApiException.invalid("reason", "reason must be a string");
    }
    String text = reason.asString();
    if (text.length() <= MAX_REASON) {
      return new Cancel(text, List.of(), cascade);
    }
    // A reason is for the audit trail: keep what fits rather than refuse the cancel itself, and say so.
    return new Cancel(text.substring(0, MAX_REASON), List.of(new Warning("reason_truncated",
        "the reason had " + text.length() + " characters; the first " + MAX_REASON + " were recorded", "reason")),
        cascade);
  }

  /** Whether a path id can name a task at all: anything else is simply not found. */
  public static boolean plausibleTaskId(String taskId) {
    return taskId != null && TASK_ID.matcher(taskId).matches();
  }

  private static void requireObject(JsonNode body, Set<String> known) {
    if (body == null || !body.isObject()) {
      throw ApiException.invalid(null, "the request body must be a JSON object");
    }
    for (String name : body.propertyNames()) {
      if (!known.contains(name)) {
        throw ApiException.invalid(name, "unknown field '" + name + "'; known fields: " + known);
      }
    }
  }

  private static String string(JsonNode node, String field, int maxLength) {
    if (!node.isString()) {
      throw ApiException.invalid(field, field + " must be a string");
    }
    String value = node.asString();
    if (value.isEmpty() || value.length() > maxLength) {
      throw ApiException.invalid(field, field + " must have 1 to " + maxLength + " characters");
    }
    return value;
  }

  private static Map<String, String> metadata(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw ApiException.invalid("metadata", "metadata must be an object of string values");
    }
    if (node.size() > MAX_METADATA_ENTRIES) {
      throw ApiException.invalid("metadata", "metadata may have at most " + MAX_METADATA_ENTRIES + " entries");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String key = entry.getKey();
      String field = "metadata." + key;
      if (key.isEmpty() || key.length() > MAX_METADATA_KEY) {
        throw ApiException.invalid(field, "metadata keys must have 1 to " + MAX_METADATA_KEY + " characters");
      }
      JsonNode value = entry.getValue();
      if (!value.isString()) {
        throw ApiException.invalid(field, "metadata values must be strings");
      }
      if (value.asString().length() > MAX_METADATA_VALUE) {
        throw ApiException.invalid(field, "metadata values may have at most " + MAX_METADATA_VALUE + " characters");
      }
      metadata.put(key, value.asString());
    }
    return metadata;
  }
}
