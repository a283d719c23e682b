package dev.quench.standalone.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The api as any client sees it, over HTTP: create a {@code sleep} task, cancel one, read one, ask for health. */
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

  private static final JsonMapper JSON = JsonMapper.builder().build();
  // The api's append timeout is 5 s and a read waits 2 s at most: anything slower is a hung server.
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  // HTTP/1.1: no h2c upgrade dance on every new connection after a restart of the api.
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final String baseUrl;
  private final String apiKey;

  TaskApi(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  String baseUrl() {
    return baseUrl;
  }

  Answer create(long durationMillis, String requestId) {
    return send(request("/v1/tasks", requestId).header("Content-Type", "application/json").POST(
        HttpRequest.BodyPublishers.ofString(
            "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":" + durationMillis + "}}")));
  }

  Answer cancel(String taskId, String requestId) {
    return send(request("/v1/tasks/" + taskId + "/cancel", requestId).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"chaos\"}")));
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
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey)
        .header("X-Request-Id", requestId);
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

  private static String text(JsonNode body, String pointer) {
    JsonNode node = body == null ? null : body.at(pointer);
    return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
  }
}
