package dev.quench.api;

import static dev.quench.api.HostileApi.KEY;
import static dev.quench.api.HostileApi.LIMITED_KEY;
import static dev.quench.api.HostileApi.auth;
import static dev.quench.api.HostileApi.errorCode;
import static dev.quench.api.HostileApi.get;
import static dev.quench.api.HostileApi.jsonType;
import static dev.quench.api.RawHttp.utf8;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.RawHttp.Framing;
import dev.quench.api.RawHttp.Header;
import dev.quench.api.RawHttp.Request;
import dev.quench.api.RawHttp.Response;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile input to what surrounds the API: the operator console's page and files (odd paths, methods, {@code Range}
 * and conditional headers), the actuator (odd metric names, tags, health groups), the rate limit (a key whose quota
 * is spent: every refusal a shaped 429 with {@code Retry-After}), every method on every path added since
 * {@link HostileInputIntegrationTests} was written, and raw-protocol abuse aimed at them. Never a 5xx, every error
 * in the one shape.
 */
class HostileInputOperationsIntegrationTests {

  private static final int MIN_REQUESTS = 1_100;

  private static HostileApi api;
  private static String task;
  private static String batch;

  @BeforeContainer
  static void startOneApi() {
    api = HostileApi.start("hostile-operations");
    task = api.queuedTask();
    Response accepted = api.send(HostileApi.post("/v1/cancellation_batches", "{\"task_ids\":[\"" + task
        + "\"],\"max_per_second\":1}"));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    batch = HostileApi.JSON.readTree(accepted.body()).get("batch_id").asString();
  }

  @AfterContainer
  static void stopTheApi() {
    if (api != null) {
      api.closeAfter(MIN_REQUESTS);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Properties

  @Property(tries = 400)
  void everyMethodOnEveryNewPathGetsAnAnswerInTheErrorShape(@ForAll("methods") String method,
                                                            @ForAll("newPaths") String path,
                                                            @ForAll("credentials") String key,
                                                            @ForAll boolean withBody) {
    List<Header> headers = new ArrayList<>();
    if (!key.isEmpty()) {
      headers.add(auth(key));
    }
    if (withBody) {
      headers.add(jsonType());
    }
    api.send(Request.of(method, path.replace("{task}", task).replace("{batch}", batch), headers,
        withBody ? "{\"task_ids\":[\"" + task + "\"],\"dry_run\":true}" : null));
  }

  @Property(tries = 250)
  void consoleRequestsOfAnyShapeGetThePageAFileOrAnErrorInTheErrorShape(@ForAll("consolePaths") String path,
                                                                        @ForAll("consoleMethods") String method,
                                                                        @ForAll("consoleHeaders") List<Header> more) {
    Response response = api.send(new Request(method, path, more, null, Framing.NONE));
    Statistics.label("console").collect(response.status());
  }

  @Property(tries = 200)
  void actuatorRequestsOfAnyShapeAreAnsweredInTheErrorShape(@ForAll("actuatorPaths") String path,
                                                            @ForAll("plainMethods") String method) {
    api.send(new Request(method, path, List.of(), null, Framing.NONE));
  }

  @Property(tries = 200)
  void aSpentQuotaIsA429InTheErrorShapeWithRetryAfter(@ForAll("methods") String method,
                                                      @ForAll("newPaths") String path) {
    Response response = api.send(Request.of(method, path.replace("{task}", task).replace("{batch}", batch),
        List.of(auth(LIMITED_KEY), jsonType()), method.equals("GET") || method.equals("HEAD") ? null : "{}"));
    if (response.status() == 429) {
      Statistics.label("limited").collect("429");
      assertThat(response.header("Retry-After")).as(response.toString()).matches("[0-9]+");
      if (!method.equals("HEAD")) {
        assertThat(errorCode(response)).as(response.toString()).isEqualTo("rate_limited");
      }
    }
  }

  @Property(tries = 150)
  void rawRequestsToTheNewPathsGetAnAnswerInTheErrorShape(@ForAll("newPaths") String path,
                                                          @ForAll("rawBreaks") String broken) {
    String target = path.replace("{task}", task).replace("{batch}", batch);
    String request = broken.replace("{target}", target).replace("{key}", KEY);
    api.oneShot(request.getBytes(ISO_8859_1), RawHttp.visible(request), false);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Found by these properties

  @Example
  void aMalformedQueryStringIsA400InTheErrorShape() {
    for (String query : List.of("?a=%ZZ", "?%=1", "?a=%", "?a=%C3", "?status=%E2%82", "?metadata[%ZZ]=1")) {
      for (String path : List.of("/v1/tasks", "/v1/cancellation_batches", "/v1/tasks/" + task + "/events",
          "/scout/v1/tasks")) {
        Response response = api.send(get(path + query));
        // Scout answers what it cannot read with 422.
        assertThat(response.status()).as(path + query + "\n" + response).isIn(200, 400, 422);
      }
    }
  }

  @Example
  void theConsolePageIgnoresARangeItCannotSatisfy() {
    Response response = api.send(new Request("GET", "/console/", List.of(new Header("Range", "bytes=999999-")),
        null, Framing.NONE));

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.text()).contains("<html");
  }

  @Example
  void traceOnAPathTheContainerRefusesIsA405InTheErrorShape() {
    for (String path : List.of("/console/;%", "/v1/tasks/;%", "/;%", "/console/index.html;a=%")) {
      Response response = api.send(new Request("TRACE", path, List.of(), null, Framing.NONE));
      assertThat(response.status()).as(path + "\n" + response).isEqualTo(405);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
        "PROPFIND", "QUERY", "FOO", "get", "M-SEARCH");
  }

  @Provide
  Arbitrary<String> plainMethods() {
    return Arbitraries.of("GET", "GET", "GET", "HEAD", "POST", "DELETE", "OPTIONS", "TRACE");
  }

  @Provide
  Arbitrary<String> newPaths() {
    return Arbitraries.of("/v1/cancellation_batches", "/v1/cancellation_batches/",
        "/v1/cancellation_batches/{batch}", "/v1/cancellation_batches/{batch}/tasks",
        "/v1/cancellation_batches/{batch}/abort", "/v1/cancellation_batches/no-such-batch",
        "/v1/cancellation_batches/no-such-batch/tasks", "/v1/cancellation_batches/no-such-batch/abort",
        "/v1/tasks/{task}/events", "/v1/tasks/no-such-task/events", "/v1/events", "/v1/events/",
        "/v1/tasks/{task}/cancellations", "/scout/v1/tasks/{task}/events", "/scout/v1/tasks/no-such-task/events",
        "/console", "/console/", "/console/index.html", "/console/js/app.js", "/console/nope.js",
        "/actuator/prometheus", "/actuator/health/readiness", "/v3/api-docs", "/swagger-ui.html");
  }

  @Provide
  Arbitrary<String> credentials() {
    return Arbitraries.of(KEY, "", "not-a-key");
  }

  @Provide
  Arbitrary<String> consolePaths() {
    Arbitrary<String> file = Arbitraries.of("", "index.html", "console.css", "icon.svg", "js/app.js", "js/api.js",
        "js/views/task.js", "nope.js", "js/", "js", "JS/APP.JS", "index.html/", "index.html;a=b", ";a=b", ";",
        "%2e%2e/", "..%2f", "../", "..", ".", "./index.html", "%2e%2e%2f%2e%2e%2fWEB-INF/web.xml",
        "..;/..;/actuator/prometheus", "%00", "%", "%G1", "%C0%AE%C0%AE/", "index.html%00.js", "index.html?x=%ZZ",
        "index.html#frag", "%5C..%5C", "\\..\\", utf8("\u00e4.js"), "a".repeat(5000), "js/../../../etc/passwd",
        "classpath:/static/console/index.html", "file:/etc/passwd", "//index.html", "js//app.js",
        "META-INF/MANIFEST.MF", "~", "index.html.", "index.HTML", "?", "?%", "?a=%ZZ&b");
    return Arbitraries.frequencyOf(Tuple.of(6, file.map(f -> "/console/" + f)),
        Tuple.of(1, Arbitraries.of("/console", "/console;", "/console;a=b", "/console%2F", "/console/.",
            "/CONSOLE/", "/console//", "//console/", "/./console/", "/x/../console/", "/console?", "/console?%")));
  }

  @Provide
  Arbitrary<String> consoleMethods() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("GET")),
        Tuple.of(1, Arbitraries.of("HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "FOO")));
  }

  @Provide
  Arbitrary<List<Header>> consoleHeaders() {
    Arbitrary<Header> range = Arbitraries.of("bytes=0-10", "bytes=0-0", "bytes=-5", "bytes=10-", "bytes=999999-",
        "bytes=5-1", "bytes=0-1,2-3,4-5", "bytes=" + "0-1,".repeat(200) + "0-1", "bytes=", "bytes", "chars=0-1",
        "bytes=a-b", "bytes=-0", "bytes=99999999999999999999-", "bytes=0-99999999999999999999",
        "bytes=0-10, 5-15").map(v -> new Header("Range", v));
    Arbitrary<Header> conditional = Arbitraries.of(
        new Header("If-Modified-Since", "garbage"), new Header("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"),
        new Header("If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT"), new Header("If-None-Match", "*"),
        new Header("If-None-Match", "\"x\", W/\"y\""), new Header("If-Match", "\"nope\""),
        new Header("If-Unmodified-Since", "Thu, 01 Jan 1970 00:00:00 GMT"), new Header("If-Range", "\"nope\""),
        new Header("If-Range", "Thu, 01 Jan 1970 00:00:00 GMT"), new Header("If-None-Match", "\u00ff\u0001"));
    Arbitrary<Header> other = Arbitraries.of(new Header("Accept", "application/json"),
        new Header("Accept", "image/png"), new Header("Accept", "garbage"), new Header("Accept-Encoding", "gzip, br"),
        new Header("Accept-Encoding", "\u00ff"), new Header("Authorization", "Bearer " + KEY),
        new Header("Authorization", "Bearer not-a-key"), new Header("Origin", "https://evil.example"),
        new Header("Cookie", "JSESSIONID=\u0001"), new Header("Content-Type", "*/*"));
    Arbitrary<Header> header = Arbitraries.frequencyOf(Tuple.of(3, range), Tuple.of(2, conditional),
        Tuple.of(2, other));
    return header.list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<String> actuatorPaths() {
    return Arbitraries.of("/actuator", "/actuator/", "/actuator/health", "/actuator/health/liveness",
        "/actuator/health/readiness", "/actuator/health/replica", "/actuator/health/nope", "/actuator/health/%00",
        "/actuator/health/" + "a".repeat(3000), "/actuator/info", "/actuator/metrics", "/actuator/prometheus",
        "/actuator/prometheus?includedNames=jvm_memory_used_bytes", "/actuator/prometheus?includedNames=",
        "/actuator/prometheus?includedNames=%ZZ", "/actuator/metrics/jvm.memory.used",
        "/actuator/metrics/jvm.memory.used?tag=area:heap", "/actuator/metrics/jvm.memory.used?tag=garbage",
        "/actuator/metrics/jvm.memory.used?tag=:", "/actuator/metrics/jvm.memory.used?tag=area:nope",
        "/actuator/metrics/jvm.memory.used?tag=%ZZ", "/actuator/metrics/no.such.metric",
        "/actuator/metrics/%2e%2e", "/actuator/metrics/" + "m".repeat(3000), "/actuator/metrics/..",
        "/actuator/metrics/a%2Fb", "/actuator/env", "/actuator/heapdump", "/actuator/shutdown",
        "/actuator/threaddump", "/actuator/beans", "/actuator/loggers", "/actuator/health;a=b",
        "/actuator;/health", "/actuator/prometheus.txt", "/actuator/prometheus;", "/actuator/metrics/jvm.memory.used/x");
  }

  @Provide
  Arbitrary<String> rawBreaks() {
    String ok = "GET {target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\n";
    return Arbitraries.of(
        ok + "Accept: text/event-stream\r\nConnection: close\r\n\r\n",
        ok + "Accept: application/x-ndjson\r\nConnection: close\r\n\r\n",
        ok + "Accept: text/event-stream\r\nLast-Event-ID: a\r\nb\r\nConnection: close\r\n\r\n",
        ok + "Last-Event-ID: \u0000\u00ff\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n",
        ok + "Prefer: wait=1\r\nPrefer: wait=x\r\nConnection: close\r\n\r\n",
        ok + "Range: bytes=0-1\r\nRange: bytes=5-\r\nConnection: close\r\n\r\n",
        ok + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n\r\n",
        "GET {target} HTTP/1.0\r\nAuthorization: Bearer {key}\r\nAccept: text/event-stream\r\n\r\n",
        "GET {target}?a=%ZZ HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n",
        "TRACE {target};% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "POST {target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\n"
            + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
        "DELETE {target} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n");
  }
}
