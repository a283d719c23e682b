package dev.quench.standalone.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The api as any client sees it, over HTTP: create a {@code sleep} task, cancel one, read one, post a cancellation
 * batch or its abort, read a batch's report, ask for health. With more than one instance ({@link #addInstance}),
 * requests go to each in turn, as behind a round-robin balancer; with one, every request goes to it.
 */
final class TaskApi {

  /**
   * One answer, or the failure to get one.
   *
   * @param status     the HTTP status; 0 when no answer came (connection refused, reset, timed out)
   * @param taskId     the {@code task_id} of the task in the body, or null
   * @param taskStatus the {@code status} of the task in the body, or null
   * @param failure    why no answer came (the exception's class), or null
   */
  record Answer(int status, String taskId, String taskStatus, String failure) {

    /** A 2xx: the api took responsibility for the request. */
    boolean acknowledged() {
      return status >= 200 && status < 300;
    }

    /** What a client was told, for counting: {@code 503}, or {@code ConnectException}. */
    String outcome() {
      return status == 0 ? failure : Integer.toString(status);
    }
  }

  /**
   * A batch endpoint's answer, or the failure to get one.
   *
   * @param status  the HTTP status; 0 when no answer came
   * @param body    the JSON body, or null
   * @param failure why no answer came, or null
   */
  record BatchAnswer(int status, JsonNode body, String failure) {

    boolean acknowledged() {
      return status >= 200 && status < 300;
    }

    /** Worth sending again as it was: no answer, the log did not confirm in time, or the same key still in flight. */
    boolean retryable() {
      return status == 0 || status == 503 || status == 409;
    }

    String outcome() {
      return status == 0 ? failure : Integer.toString(status);
    }

    String text(String pointer) {
      return TaskApi.text(body, pointer);
    }

    int number(String pointer) {
      JsonNode node = body == null ? null : body.at(pointer);
      return node == null || !node.isNumber() ? -1 : node.asInt();
    }
  }

  /**
   * A batch's report target by target ({@code GET /v1/cancellation_batches/{id}/tasks} as JSON Lines), or the failure
   * to get it.
   *
   * @param status  the HTTP status; 0 when no answer came
   * @param targets its lines, in the order the api lists them; empty unless the status is 200
   * @param failure why no answer came, or null
   */
  record TargetReport(int status, List<Target> targets, String failure) {

    String outcome() {
      return status == 0 ? failure : Integer.toString(status);
    }
  }

  /**
   * One line of a batch's report.
   *
   * @param taskId      the target
   * @param outcome     its outcome ({@code cancelled_queued}, {@code not_found}, ...)
   * @param requestedAt when it was handed on, or null
   * @param decidedAt   when its outcome was decided, or null
   */
  record Target(String taskId, String outcome, Instant requestedAt, Instant decidedAt) {
  }

  /** The metadata key every task of the run carries: which group of consecutive creates it belongs to. */
  static final String GROUP_LABEL = "chaos_group";
  static final JsonMapper JSON = JsonMapper.builder().build();
  // The api's append timeout is 5 s and a read waits 2 s at most: anything slower is a hung server.
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  // HTTP/1.1: no h2c upgrade dance on every new connection after a restart of the api.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final String baseUrl;
  private final String apiKey;
  private final List<String> instances = new CopyOnWriteArrayList<>();
  private final AtomicLong turn = new AtomicLong();

  TaskApi(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    instances.add(baseUrl);
  }

  /** The first instance: the one {@link #healthy()} asks. */
  String baseUrl() {
    return baseUrl;
  }

  /** Sends a share of the requests from now on to the instance at {@code baseUrl}, which must be ready. */
  void addInstance(String baseUrl) {
    if (!instances.contains(baseUrl)) {
      instances.add(baseUrl);
    }
  }

  /** A client of the same api key that asks only the instance at {@code baseUrl}: for its health, say. */
  TaskApi only(String baseUrl) {
    return new TaskApi(baseUrl, apiKey);
  }

  List<String> instances() {
    return List.copyOf(instances);
  }

  /** A {@code sleep} task labelled {@code chaos_group=group}, the label the run's filter batches select by. */
  Answer create(long durationMillis, String group, String requestId) {
    return send(request("/v1/tasks", requestId).header("Content-Type", "application/json").POST(
        HttpRequest.BodyPublishers.ofString("{\"capability\":\"sleep\",\"input\":{\"duration_ms\":"
            + durationMillis + "},\"metadata\":{\"" + GROUP_LABEL + "\":\"" + group + "\"}}")));
  }

  Answer cancel(String taskId, String requestId) {
    return send(request("/v1/tasks/" + taskId + "/cancel", requestId).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"chaos\"}")));
  }

  /** {@code POST /v1/cancellation_batches} with {@code body}; a null key sends none (a dry run needs none). */
  BatchAnswer batch(String body, String idempotencyKey, String requestId) {
    HttpRequest.Builder request = request("/v1/cancellation_batches", requestId)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return sendForJson(request);
  }

  BatchAnswer abortBatch(String batchId, String requestId) {
    return sendForJson(request("/v1/cancellation_batches/" + batchId + "/abort", requestId)
        .POST(HttpRequest.BodyPublishers.noBody()));
  }

  BatchAnswer getBatch(String batchId, String requestId) {
    return sendForJson(request("/v1/cancellation_batches/" + batchId, requestId).GET());
  }

  /** The whole report of a batch in one answer: JSON Lines, one target a line. */
  TargetReport batchTargets(String batchId, String requestId) {
    HttpRequest request = request("/v1/cancellation_batches/" + batchId + "/tasks", requestId)
        .header("Accept", "application/x-ndjson").GET().build();
    HttpResponse<Stream<String>> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      return new TargetReport(0, List.of(), e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TargetReport(0, List.of(), "interrupted");
    }
    try (Stream<String> lines = response.body()) {
      if (response.statusCode() != 200) {
        return new TargetReport(response.statusCode(), List.of(), null);
      }
      List<Target> targets = new ArrayList<>();
      lines.filter(line -> !line.isBlank()).forEach(line -> {
        JsonNode node = JSON.readTree(line);
        targets.add(new Target(text(node, "/task_id"), text(node, "/outcome"), instant(node, "/requested_at"),
            instant(node, "/decided_at")));
      });
      return new TargetReport(200, targets, null);
    } catch (JacksonException | UncheckedIOException e) {
      // A line cut short (the api killed while it streamed): no report rather than part of one.
      return new TargetReport(0, List.of(), e.getClass().getSimpleName());
    }
  }

  Answer get(String taskId, String requestId) {
    return send(request("/v1/tasks/" + taskId, requestId).GET());
  }

  /** Whether the api answers its health endpoint with 200 (it is up and its replica has caught up). */
  boolean healthy() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private HttpRequest.Builder request(String path, String requestId) {
    return HttpRequest.newBuilder(URI.create(next() + path)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey)
        .header("X-Request-Id", requestId);
  }

  private String next() {
    List<String> all = instances;
    return all.size() == 1 ? all.get(0) : all.get((int) (turn.getAndIncrement() % all.size()));
  }

  private Answer send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new Answer(0, null, null, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, null, null, "interrupted");
    }
    String taskId = null;
    String taskStatus = null;
    try {
      JsonNode body = JSON.readTree(response.body());
      taskId = text(body, "/task_id");
      taskStatus = text(body, "/status");
    } catch (JacksonException e) {
      // Not JSON (a proxy's page, a truncated body): the status code is all there is.
    }
    return new Answer(response.statusCode(), taskId, taskStatus, null);
  }

  private BatchAnswer sendForJson(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return new BatchAnswer(0, null, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new BatchAnswer(0, null, "interrupted");
    }
    JsonNode body = null;
    try {
      body = JSON.readTree(response.body());
    } catch (JacksonException e) {
      // Not JSON: the status code is all there is.
    }
    return new BatchAnswer(response.statusCode(), body, null);
  }

  /** An ISO-8601 string, or seconds since the epoch if the api writes its timestamps as numbers. */
  private static Instant instant(JsonNode body, String pointer) {
    JsonNode node = body.at(pointer);
    if (node.isNumber()) {
      BigDecimal seconds = node.decimalValue();
      return Instant.ofEpochSecond(seconds.longValue(), seconds.remainder(BigDecimal.ONE)
          .movePointRight(9).longValue());
    }
    String value = text(body, pointer);
    return value == null ? null : Instant.parse(value);
  }

  private static String text(JsonNode body, String pointer) {
    JsonNode node = body == null ? null : body.at(pointer);
    return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
  }
}
