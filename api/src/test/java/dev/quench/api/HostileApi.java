package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.api.RawHttp.Framing;
import dev.quench.api.RawHttp.Header;
import dev.quench.api.RawHttp.Request;
import dev.quench.api.RawHttp.Response;
import dev.quench.api.auth.ApiKeys;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskCommand.Outcome;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import net.jqwik.api.JqwikException;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The one home of what every hostile-input run shares: one real api instance on the shared broker (with a demo key,
 * a read-only key, another tenant's key and a key whose quota is spent at once), a kept-alive {@link RawHttp}
 * connection to it, a count of the requests sent, and what every answer must be: below 500, and every error the
 * one JSON error shape with the request id echoed. A run starts one in its {@code @BeforeContainer} and closes it
 * in its {@code @AfterContainer}.
 */
final class HostileApi implements AutoCloseable {

  static final String KEY = ApiFixture.DEMO_KEY;
  static final String READ_ONLY_KEY = "read-only-key";
  static final String OTHER_TENANT_KEY = ApiFixture.OTHER_TENANT_KEY;
  /** One read and one write an hour: every request after its first of a kind is a 429. */
  static final String LIMITED_KEY = "hostile-limited-key";
  static final JsonMapper JSON = JsonMapper.builder().build();
  /** What a leaked exception looks like: a stack frame, a cause chain, or a class of the runtime or the api. */
  private static final Pattern LEAK = Pattern.compile("Exception|Caused by|\\bat [\\w$.]+\\(|"
      + "\\b(java|javax|jakarta|sun|org\\.springframework|org\\.apache|tools\\.jackson|com\\.fasterxml|dev\\.quench)"
      + "\\.[a-zA-Z]");

  final ApiFixture fixture = new ApiFixture();
  private final String name;
  private final int port;
  private final RawHttp http;
  private final AtomicInteger requests = new AtomicInteger();
  /** The exchange before, for a failure that shows on the next request of the connection. */
  private String last = "(nothing)";

  private HostileApi(String name, String... extraArgs) {
    this.name = name;
    List<String> args = new ArrayList<>(List.of(
        "--quench.api.keys[2].id=limited",
        "--quench.api.keys[2].sha256=" + ApiKeys.sha256(LIMITED_KEY),
        "--quench.api.keys[2].tenant=demo",
        "--quench.api.keys[2].rate-limit.reads.quota=1",
        "--quench.api.keys[2].rate-limit.reads.window=1h",
        "--quench.api.keys[2].rate-limit.writes.quota=1",
        "--quench.api.keys[2].rate-limit.writes.window=1h",
        // A stream's first bytes come within a second even when it has nothing to say, and a stream a client
        // dropped is noticed as soon.
        "--quench.api.streams.heartbeat=1s"));
    args.addAll(List.of(extraArgs));
    String base = fixture.startApi(name, args.toArray(String[]::new)).baseUrl();
    this.port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    this.http = new RawHttp(port);
  }

  /** Starts an api named {@code name} (its id, and its producer in the log) with {@code extraArgs} on top. */
  static HostileApi start(String name, String... extraArgs) {
    return new HostileApi(name, extraArgs);
  }

  int port() {
    return port;
  }

  int requests() {
    return requests.get();
  }

  /** Closes the api after checking the run sent at least {@code minRequests}. */
  void closeAfter(int minRequests) {
    try {
      System.out.println("hostile requests sent by " + name + ": " + requests.get());
      assertThat(requests.get()).as("requests sent by all properties of " + name)
          .isGreaterThanOrEqualTo(minRequests);
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    http.close();
    fixture.close();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Sending

  /** Sends on the kept-alive connection (a live stream's connection is closed after its first bytes). */
  Response send(Request request) {
    requests.incrementAndGet();
    Response response;
    try {
      response = http.send(request);
    } catch (IOException e) {
      throw new AssertionError("no answer to\n" + request + "\n" + e + "\nafter\n" + last, e);
    }
    last = request + "\n" + response;
    assertAnswer(request.toString(), request.isHead(), response);
    return response;
  }

  /**
   * Sends raw bytes on a connection of their own (see {@link RawHttp#oneShot}); an answer is required unless the
   * request was left incomplete on purpose, and every answer must be one {@link #assertAnswer} accepts.
   */
  List<Response> oneShot(byte[] bytes, String shown, boolean mayGoUnanswered) {
    requests.incrementAndGet();
    List<Response> responses;
    try {
      responses = RawHttp.oneShot(port, bytes);
    } catch (IOException e) {
      throw new AssertionError("reading the answer to\n" + shown + "\nfailed: " + e, e);
    }
    collect("answered", responses.isEmpty() ? "no" : "yes");
    if (!mayGoUnanswered) {
      assertThat(responses).as("no answer to\n" + shown).isNotEmpty();
    }
    for (Response response : responses) {
      assertAnswer(shown, false, response);
    }
    return responses;
  }

  void assertRefused(Request request, int status, String code, String field) {
    Response response = send(request);
    assertThat(response.status()).as(request + "\n" + response).isEqualTo(status);
    assertThat(errorCode(response)).as(response.toString()).isEqualTo(code);
    assertThat(JSON.readTree(response.body()).at("/error/field").asString()).as(response.toString())
        .isEqualTo(field);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Tasks to aim at

  /** A task of the demo tenant, queued forever (no worker runs): its cancels reach the log, its waits time out. */
  String queuedTask() {
    Response created = send(post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":600000}}"));
    assertThat(created.status()).as(created.toString()).isEqualTo(202);
    return JSON.readTree(created.body()).get("task_id").asString();
  }

  /**
   * A task of the demo tenant that has completed, as a projector would show it: a wait for it to end is over at once,
   * and its event stream ends after its terminal event.
   */
  String completedTask() {
    String taskId = queuedTask();
    fixture.publishView(ApiFixture.decided(fixture.requests(taskId),
        new TaskCommand.Start(taskId, "w", Instant.now()),
        new TaskCommand.Finish(taskId, 1, new Outcome.Completed(JsonNodeFactory.instance.objectNode()), "w",
            Instant.now())), 10);
    await().atMost(30, SECONDS).until(() -> "completed".equals(
        JSON.readTree(send(get("/v1/tasks/" + taskId)).body()).path("status").asString()));
    return taskId;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // What every answer must be

  /**
   * Below 500; an error is JSON {@code {"error": {code, message, request_id}}}, its id in X-Request-Id too. Status 0
   * is an HTTP/0.9 answer, a bare body: it must be an error in the shape, and not an internal one. A live stream
   * must be one: {@code text/event-stream} whose first bytes are event lines.
   */
  static void assertAnswer(String request, boolean head, Response response) {
    String context = "request:\n" + request + "\nresponse:\n" + response;
    collect("status", response.status());
    if (response.status() == 0) {
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertThat(error != null && error.isObject()).as(context).isTrue();
      assertThat(error.path("code").asString()).as(context).isNotBlank().isNotEqualTo("internal_error");
      assertThat(error.path("request_id").asString()).as(context).isNotBlank();
      return;
    }
    assertThat(response.status()).as(context).isLessThan(500);
    if (response.live()) {
      assertThat(response.text()).as(context).matches("(?s)((id|event|data|retry):[^\\n]*\\n|:[^\\n]*\\n|\\n)*");
      return;
    }
    if (response.status() < 400) {
      return;
    }
    assertThat(mediaType(response.header("Content-Type"))).as(context).isEqualTo("application/json");
    List<String> ids = response.values("X-Request-Id");
    assertThat(ids).as(context).hasSize(1);
    assertThat(ids.get(0)).as(context).isNotBlank();
    if (head) {
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (RuntimeException e) {
      throw new AssertionError("not JSON: " + context, e);
    }
    JsonNode error = body.get("error");
    assertThat(error != null && error.isObject()).as(context).isTrue();
    for (String member : List.of("code", "message", "request_id")) {
      JsonNode value = error.get(member);
      assertThat(value != null && value.isString() && !value.asString().isBlank())
          .as("error." + member + " in " + context).isTrue();
    }
    assertThat(error.get("request_id").asString()).as(context).isEqualTo(ids.get(0));
    assertThat(response.text()).as(context).doesNotContainPattern(LEAK);
  }

  /** Statistics of a property; a request a run sends to set itself up belongs to none and is not counted. */
  static void collect(String label, Object value) {
    try {
      Statistics.label(label).collect(value);
    } catch (JqwikException e) {
      // Outside a property (a container hook): nothing to collect into.
    }
  }

  static String mediaType(String contentType) {
    return contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  static String errorCode(Response response) {
    if (response.live() || response.body().length == 0) {
      return null;
    }
    JsonNode code = JSON.readTree(response.body()).at("/error/code");
    return code.isString() ? code.asString() : null;
  }

  static String errorField(Response response) {
    JsonNode field = JSON.readTree(response.body()).at("/error/field");
    return field.isString() ? field.asString() : null;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Requests

  static Header auth(String key) {
    return new Header("Authorization", "Bearer " + key);
  }

  static Header jsonType() {
    return new Header("Content-Type", "application/json");
  }

  static Request post(String target, String body) {
    return Request.of("POST", target, List.of(auth(KEY), jsonType()), body);
  }

  static Request get(String target, Header... more) {
    List<Header> headers = new ArrayList<>(List.of(auth(KEY)));
    headers.addAll(List.of(more));
    return new Request("GET", target, headers, null, Framing.NONE);
  }

  static Request withHeaders(Request request, Header... more) {
    List<Header> headers = new ArrayList<>(request.headers());
    headers.addAll(List.of(more));
    return new Request(request.method(), request.target(), headers, request.body(), request.framing());
  }
}
