package dev.quench.events;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A client asked for a task to run.
 *
 * <p>Emitted by the api ({@code POST /v1/tasks}) to the requests topic, then sequenced into the log by the
 * owning worker. Key: the task id. Always the first event of a task; a second submission of the same task id
 * (two racing creates with one idempotency key) is dropped by the worker, so the log's order decides which counts.
 *
 * @param capability   the handler that runs it, e.g. {@code sleep}
 * @param model        the model the client asked for, or null
 * @param metadata     the client's free-form string labels, echoed back
 * @param input        the handler's input, any JSON
 * @param submittedBy  the API key id that asked (never the secret)
 * @param fingerprint  the SHA-256 of the request as the client sent it: a retry under the same idempotency key must
 *                     match it
 * @param warnings     what the client should know about its request
 * @param parentTaskId the task this one is a subtask of (same tenant), or null
 * @param ancestors    the parent's ancestors and the parent, root first (empty without a parent): what a worker needs
 *                     to tell, in its own partition, whether the task belongs to a tree whose cancel was cascaded
 * @param callback     where to POST the task's end, or null; absent from events written before callbacks existed
 */
public record TaskSubmitted(String capability, String model, Map<String, String> metadata, JsonNode input,
                            String submittedBy, String fingerprint, List<Warning> warnings, String parentTaskId,
                            List<String> ancestors, CallbackRequest callback) implements TaskEvent {

  /** The deepest a task tree may grow: a task has at most this many ancestors. */
  public static final int MAX_DEPTH = 32;

  public TaskSubmitted {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    input = Json.orNull(input);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    ancestors = ancestors == null ? List.of() : List.copyOf(ancestors);
  }

  public TaskSubmitted(String capability, String model, Map<String, String> metadata, JsonNode input,
                       String submittedBy, String fingerprint, List<Warning> warnings, String parentTaskId,
                       List<String> ancestors) {
    this(capability, model, metadata, input, submittedBy, fingerprint, warnings, parentTaskId, ancestors, null);
  }

  public TaskSubmitted(String capability, String model, Map<String, String> metadata, JsonNode input,
                       String submittedBy, String fingerprint, List<Warning> warnings) {
    this(capability, model, metadata, input, submittedBy, fingerprint, warnings, null, List.of(), null);
  }
}
