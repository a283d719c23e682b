package dev.quench.benchmark.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The api as a client sees it, over HTTP/1.1 with keep-alive: one {@link HttpClient} for every section, so the
 * figures of creates, cancels and reads come from the same client. Asynchronous sends let an open-loop schedule run
 * thousands of requests a second from one thread without waiting for answers.
 */
public final class ApiClient implements AutoCloseable {

  /**
   * The most requests any section has in flight, and so the most connections the client opens. The JDK client opens
   * a connection per concurrent HTTP/1.1 request and keeps every idle one in a list it scans on each checkout: with
   * thousands pooled, that scan took a fifth of the machine's CPU (JFR) and slowed the service it measures.
   */
  public static final int MAX_CONNECTIONS = 256;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  static {
    // Read once, when the JDK's connection pool class loads: before this JVM's first HttpClient is built.
    System.setProperty("jdk.httpclient.connectionPoolSize",
        System.getProperty("jdk.httpclient.connectionPoolSize", Integer.toString(MAX_CONNECTIONS)));
  }

  private final String baseUrl;
  private final String apiKey;
  private final ExecutorService executor;
  private final HttpClient http;

  public ApiClient(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    AtomicInteger threads = new AtomicInteger();
    // Answers are handled here: a few threads are plenty, and a fixed pool keeps the client's own footprint known.
    this.executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    // HTTP/1.1: no h2c upgrade attempt on each new connection; the api speaks plain HTTP/1.1.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The port the base URL names: Tomcat names its threads after it. */
  public int port() {
    return URI.create(baseUrl).getPort();
  }

  public HttpRequest create(String capability, String inputJson) {
    return create(capability, inputJson, "{\"team\":\"benchmark\"}");
  }

  /** A create whose task carries this metadata (a JSON object of strings): what a filter can select it by. */
  public HttpRequest create(String capability, String inputJson, String metadataJson) {
    return request("/v1/tasks").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"capability\":\"" + capability + "\",\"input\":" + inputJson
            + ",\"metadata\":" + metadataJson + "}"))
        .build();
  }

  /** A create as {@link #create(String, String, String)} whose task asks for a callback to {@code callbackUrl}. */
  public HttpRequest create(String capability, String inputJson, String metadataJson, String callbackUrl) {
    return request("/v1/tasks").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"capability\":\"" + capability + "\",\"input\":" + inputJson
            + ",\"metadata\":" + metadataJson + ",\"callback\":{\"url\":\"" + callbackUrl + "\"}}"))
        .build();
  }

  public HttpRequest cancel(String taskId) {
    return cancelRequest(taskId).build();
  }

  /** A cancel that prefers to wait up to {@code seconds} for the task to end ({@code Prefer: wait=N}). */
  public HttpRequest cancelWaiting(String taskId, int seconds) {
    return cancelRequest(taskId).header("Prefer", "wait=" + seconds).build();
  }

  /**
   * {@code GET /v1/tasks/{taskId}/events} as a live Server-Sent Events stream. Without the requests' timeout: a
   * stream stays open until the task ends.
   */
  public HttpRequest events(String taskId) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/tasks/" + taskId + "/events"))
        .header("Authorization", "Bearer " + apiKey).header("Accept", "text/event-stream").GET().build();
  }

  private HttpRequest.Builder cancelRequest(String taskId) {
    return request("/v1/tasks/" + taskId + "/cancel").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"benchmark\"}"));
  }

  /** {@code POST /v1/cancellation_batches} with this body (ids or a filter, maybe {@code dry_run}). */
  public HttpRequest createBatch(String bodyJson) {
    return request("/v1/cancellation_batches").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(bodyJson)).build();
  }

  /** {@code GET /v1/cancellation_batches/{batchId}}: the batch's progress. */
  public HttpRequest getBatch(String batchId) {
    return request("/v1/cancellation_batches/" + batchId).GET().build();
  }

  public HttpRequest get(String taskId) {
    return request("/v1/tasks/" + taskId).GET().build();
  }

  public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code task_id} of a task object in a response body, or null; without parsing the whole body. */
  public static String taskId(String body) {
    return stringMember(body, "\"task_id\":\"");
  }

  /** The {@code status} of a task object in a response body, or null. */
  public static String status(String body) {
    return stringMember(body, "\"status\":\"");
  }

  private static String stringMember(String body, String prefix) {
    if (body == null) {
      return null;
    }
    int start = body.indexOf(prefix);
    if (start < 0) {
      return null;
    }
    start += prefix.length();
    int end = body.indexOf('"', start);
    return end < 0 ? null : body.substring(start, end);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
