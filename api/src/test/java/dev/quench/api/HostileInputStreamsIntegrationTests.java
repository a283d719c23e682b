package dev.quench.api;

import static dev.quench.api.HostileApi.KEY;
import static dev.quench.api.HostileApi.OTHER_TENANT_KEY;
import static dev.quench.api.HostileApi.auth;
import static dev.quench.api.HostileApi.errorCode;
import static dev.quench.api.HostileApi.errorField;
import static dev.quench.api.HostileApi.get;
import static dev.quench.api.HostileApi.post;
import static dev.quench.api.HostileApi.withHeaders;
import static dev.quench.api.RawHttp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.RawHttp.Framing;
import dev.quench.api.RawHttp.Header;
import dev.quench.api.RawHttp.Request;
import dev.quench.api.RawHttp.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile input to event pages, live event streams and waits: odd {@code limit}, {@code cursor} and filters on
 * {@code GET /v1/tasks/{id}/events} and {@code GET /v1/events}, odd {@code Accept} and {@code Last-Event-ID} on the
 * Server-Sent Event streams (the task's, Scout's and the tenant's), and {@code Prefer: wait} (RFC 7240) of every odd
 * value on the three endpoints that honour it. A stream that opens and stays open is an answer: its head and first
 * bytes are read, then it is dropped. As in {@link HostileInputIntegrationTests}: never a 5xx, every error in the
 * one shape.
 */
class HostileInputStreamsIntegrationTests {

  private static final int MIN_REQUESTS = 1_000;

  private static HostileApi api;
  /** Queued forever: its stream stays open, a wait for it lasts as long as it may. */
  private static String queued;
  /** Ended: its stream ends after the terminal event, a wait for it is over at once. */
  private static String completed;
  private static List<String> eventIds;

  @BeforeContainer
  static void startOneApi() {
    api = HostileApi.start("hostile-streams");
    queued = api.queuedTask();
    api.send(post("/v1/tasks/" + queued + "/cancel", "{\"reason\":\"an event more\"}"));
    completed = api.completedTask();
    eventIds = new ArrayList<>();
    for (String task : List.of(queued, completed)) {
      HostileApi.JSON.readTree(api.send(get("/v1/tasks/" + task + "/events")).body()).path("data")
          .forEach(e -> eventIds.add(e.path("event_id").asString()));
    }
    assertThat(eventIds).isNotEmpty();
  }

  @AfterContainer
  static void stopTheApi() {
    if (api != null) {
      api.closeAfter(MIN_REQUESTS);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Properties

  @Property(tries = 300)
  void eventPagesWithOddQueriesAreAnsweredInTheErrorShape(@ForAll("tasks") String task,
                                                          @ForAll("pageQueries") String query,
                                                          @ForAll("pageAccepts") List<Header> accept,
                                                          @ForAll boolean scout) {
    String base = scout ? "/scout/v1/tasks/" : "/v1/tasks/";
    api.send(get(base + task + "/events" + query, accept.toArray(Header[]::new)));
  }

  @Property(tries = 200)
  void taskStreamsWithOddLastEventIdsOpenOrAreRefusedInTheErrorShape(@ForAll("tasks") String task,
                                                                     @ForAll("lastEventIds") List<Header> resume,
                                                                     @ForAll("streamAccepts") String accept,
                                                                     @ForAll boolean scout) {
    String base = scout ? "/scout/v1/tasks/" : "/v1/tasks/";
    Request request = withHeaders(get(base + task + "/events"), new Header("Accept", accept));
    Response response = api.send(withHeaders(request, resume.toArray(Header[]::new)));
    Statistics.label("stream").collect(response.live() ? "open" : response.status() + " " + errorCode(response));
    boolean printable = resume.stream().allMatch(h -> h.value().matches("[\\x20-\\x7e]*"));
    if (task.equals(queued) && accept.equals("text/event-stream") && printable) {
      assertThat(response.live()).as(response.toString()).isTrue();
    }
  }

  @Property(tries = 250)
  void tenantStreamsWithOddFiltersOpenOrAreRefusedInTheErrorShape(@ForAll("streamQueries") String query,
                                                                  @ForAll("streamAccepts") String accept,
                                                                  @ForAll("streamKeys") String key) {
    Response response = api.send(new Request("GET", "/v1/events" + query,
        List.of(auth(key), new Header("Accept", accept)), null, Framing.NONE));
    Statistics.label("stream").collect(response.live() ? "open" : response.status() + " " + errorCode(response));
  }

  @Property(tries = 300)
  void preferWaitOfAnyValueIsHonouredOrRefusedNamingPrefer(@ForAll("waits") Wait wait) {
    Response response = api.send(wait.request());
    String context = wait + "\n" + response;
    Statistics.label("wait").collect(wait.malformed() ? "malformed" : wait.seconds() == null ? "none" : "wait");
    if (wait.malformed()) {
      assertThat(response.status()).as(context).isEqualTo(400);
      assertThat(errorField(response)).as(context).isEqualTo("Prefer");
    } else if (wait.seconds() != null && response.status() < 300) {
      assertThat(response.header("Preference-Applied")).as(context)
          .isEqualTo("wait=" + Math.min(wait.seconds(), 60));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // What a client can count on

  @Example
  void aStreamOfAnEndedTaskReplaysItsEventsAndEnds() {
    Response response = api.send(get("/v1/tasks/" + completed + "/events",
        new Header("Accept", "text/event-stream"), new Header("Last-Event-ID", "not-an-id")));

    assertThat(response.status()).isEqualTo(200);
  }

  /**
   * Found by the operations run: a HEAD of a stream was a stream with no body, held open for up to an hour, and the
   * connection's next request waited behind it.
   */
  @Example
  void aHeadOfAStreamAnswersItsHeadersAndEnds() {
    for (String path : List.of("/v1/tasks/" + queued + "/events", "/scout/v1/tasks/" + queued + "/events",
        "/v1/events")) {
      Response head = api.send(new Request("HEAD", path, List.of(auth(KEY), new Header("Accept",
          "text/event-stream")), null, Framing.NONE));
      Response next = api.send(get("/v1/tasks/" + queued));

      assertThat(head.status()).as(path + "\n" + head).isEqualTo(200);
      assertThat(head.header("Content-Type")).as(path).startsWith("text/event-stream");
      assertThat(next.status()).as("the next request on the connection, after " + path).isEqualTo(200);
    }
  }

  @Example
  void anotherTenantsTaskHasNoStreamAndNoPage() {
    for (String accept : List.of("text/event-stream", "application/json")) {
      for (String path : List.of("/v1/tasks/" + queued + "/events", "/scout/v1/tasks/" + queued + "/events")) {
        Response response = api.send(new Request("GET", path, List.of(auth(OTHER_TENANT_KEY),
            new Header("Accept", accept)), null, Framing.NONE));
        assertThat(response.status()).as(path + " " + accept + "\n" + response).isEqualTo(404);
      }
    }
  }

  @Example
  void aTenantStreamRefusesPagingAndUnknownTypesNamingThem() {
    for (String query : List.of("?limit=5", "?cursor=abc", "?type=task.exploded", "?type=,,,task.nope")) {
      Response response = api.send(get("/v1/events" + query, new Header("Accept", "text/event-stream")));
      assertThat(response.status()).as(query + "\n" + response).isEqualTo(400);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<String> tasks() {
    return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(queued, completed)),
        Tuple.of(1, Arbitraries.of("no-such-task", "%00", "a".repeat(300), utf8("t\u00e4sk"), "%2F", ";a=b",
            queued.toUpperCase(), queued + "%20")));
  }

  @Provide
  Arbitrary<String> pageQueries() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    Arbitrary<String> one = Arbitraries.of("limit=0", "limit=1", "limit=100", "limit=101", "limit=-5", "limit=",
        "limit=x", "limit=99999999999", "cursor=", "cursor=" + b64.encodeToString("e1".getBytes()),
        "cursor=" + b64.encodeToString("e-1".getBytes()), "cursor=" + b64.encodeToString("e".getBytes()),
        "cursor=" + b64.encodeToString("e99999999999999999999".getBytes()),
        "cursor=" + b64.encodeToString("t|1".getBytes()), "cursor=!!!", "cursor=%ZZ", "cursor=" + "Q".repeat(4000),
        "status=queued", "type=task.cancelled", "a=%ZZ", "%", "=&=", "limit=1&limit=2", "x=" + "y".repeat(9000));
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just("")),
        Tuple.of(5, one.list().ofMinSize(1).ofMaxSize(3).map(q -> "?" + String.join("&", q))));
  }

  @Provide
  Arbitrary<List<Header>> pageAccepts() {
    return Arbitraries.of(List.of(), List.of(new Header("Accept", "application/json")),
        List.of(new Header("Accept", "*/*")), List.of(new Header("Accept", "application/xml")),
        List.of(new Header("Accept", "text/event-stream;q=0, application/json")),
        List.of(new Header("Accept", "application/json, text/event-stream;q=0.1")),
        List.of(new Header("Accept", "application/json;q=abc")));
  }

  @Provide
  Arbitrary<String> streamAccepts() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("text/event-stream")),
        Tuple.of(1, Arbitraries.of("text/event-stream; charset=utf-16", "text/event-stream;q=0", "text/*",
            "TEXT/EVENT-STREAM", "text/event-stream, application/json", "text/event-streamx", "*/*",
            "application/x-ndjson")));
  }

  @Provide
  Arbitrary<List<Header>> lastEventIds() {
    Arbitrary<String> id = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(eventIds)),
        Tuple.of(3, Arbitraries.of("", " ", "0", "-1", "99999999999999999999", "not-an-id", "null",
            "00000000-0000-0000-0000-000000000000", eventIds.get(0).toUpperCase(), eventIds.get(0) + " ",
            "r".repeat(7000), utf8("\u00e9v\u00e9nement"), "\u00ff\u0001\u007f", "a,b", "\"quoted\"")),
        Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').excludeChars('\r', '\n')
            .ofMaxLength(40)));
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(List.of())),
        Tuple.of(5, id.map(v -> List.of(new Header("Last-Event-ID", v)))),
        Tuple.of(1, Combinators.combine(id, id).as((a, b) -> List.of(new Header("Last-Event-ID", a),
            new Header("Last-Event-ID", b)))));
  }

  @Provide
  Arbitrary<String> streamQueries() {
    Arbitrary<String> one = Arbitraries.of("type=task.cancelled", "type=task.cancelled,task.failed", "type=",
        "type=,", "type=task.exploded", "type=TASK.CANCELLED", "status=queued", "status=queued,running",
        "status=nope", "status=", "capability=sleep", "capability=", "metadata[team]=search", "metadata[]=x",
        "metadata[=x", "metadata=x", "created_after=2026-01-01T00:00:00Z", "created_after=yesterday",
        "created_before=+999999999-12-31T23:59:59Z", "parent_task_id=" + queued, "parent_task_id=", "limit=5",
        "cursor=abc", "a=%ZZ", "%", "type=" + "task.cancelled,".repeat(500), "x=" + "y".repeat(9000),
        "type=task.cancelled&type=task.failed");
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")),
        Tuple.of(5, one.list().ofMinSize(1).ofMaxSize(3).map(q -> "?" + String.join("&", q))));
  }

  @Provide
  Arbitrary<String> streamKeys() {
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(KEY)),
        Tuple.of(1, Arbitraries.of(OTHER_TENANT_KEY, HostileApi.READ_ONLY_KEY, "not-a-key", "")));
  }

  /**
   * One preference of a {@code Prefer} header. {@code seconds}: the wait it asks for if it is a well-formed
   * {@code wait}; {@code malformed}: a {@code wait} the api must refuse; neither: a preference that is not ours.
   */
  record Preference(String text, Long seconds, boolean malformed) {
  }

  /**
   * A request with {@code Prefer} headers made of preferences; the first {@code wait} among them decides
   * (RFC 7240 lets a server take the first of repeated preferences).
   */
  record Wait(String endpoint, String task, List<List<Preference>> headers) {

    private Preference decisive() {
      return headers.stream().flatMap(List::stream).filter(p -> p.seconds() != null || p.malformed()).findFirst()
          .orElse(null);
    }

    boolean malformed() {
      Preference first = decisive();
      return first != null && first.malformed();
    }

    Long seconds() {
      Preference first = decisive();
      return first == null ? null : first.seconds();
    }

    /** Whether the api may hold this request at all: a wait for a task that has not ended. */
    boolean holds() {
      boolean ends = !endpoint.equals("create") && (task.equals(completed) || task.equals("no-such-task"));
      return !malformed() && seconds() != null && seconds() > 0 && !ends;
    }

    Request request() {
      List<Header> prefer = headers.stream().map(h -> new Header("Prefer",
          h.stream().map(Preference::text).collect(Collectors.joining(", ")))).toList();
      Request request = switch (endpoint) {
        case "create" -> post("/v1/tasks", "{\"capability\":\"echo\"}");
        case "cancel" -> post("/v1/tasks/" + task + "/cancel", "{\"reason\":\"waiting\"}");
        case "cancel without body" -> new Request("POST", "/v1/tasks/" + task + "/cancel", List.of(auth(KEY)),
            null, Framing.NONE);
        default -> get("/v1/tasks/" + task);
      };
      return withHeaders(request, prefer.toArray(Header[]::new));
    }

    @Override
    public String toString() {
      return endpoint + " " + task + " " + request().headers();
    }
  }

  @Provide
  Arbitrary<Wait> waits() {
    Arbitrary<Preference> waitOf = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.longs().between(0, 1).map(n -> new Preference("wait=" + n, n, false))),
        Tuple.of(2, Arbitraries.longs().between(2, 9_999_999_999L)
            .map(n -> new Preference("wait=" + n, n, false))),
        Tuple.of(2, Arbitraries.of(
            new Preference("wait=0000000001", 1L, false), new Preference("WAIT=0", 0L, false),
            new Preference("wait=\"1\"", 1L, false), new Preference(" wait = 0 ", 0L, false),
            new Preference("wait=1;foo=bar", 1L, false), new Preference("wait=1 ; x", 1L, false),
            new Preference("wait=9999999999", 9_999_999_999L, false))),
        Tuple.of(3, Arbitraries.of("wait=-1", "wait=1.5", "wait=", "wait", "wait=abc", "wait=1e3",
            "wait=99999999999", "wait=+1", "wait==1", "wait=\"\"", "wait=\"1", "wait=0x10", "wait=1s",
            "wait=\u00b2", "wait=" + utf8("\u0663"), "wait=1 2", "wait=" + "9".repeat(500))
            .map(t -> new Preference(t, null, true))));
    Arbitrary<Preference> other = Arbitraries.of("respond-async", "return=minimal", "return=representation",
        "handling=strict", "handling=lenient", "", ";", "=", "x=", "waiting=5", "wai=5", "handling=lenient; wait=5",
        "\u00ff=\u00ff", "a".repeat(300)).map(t -> new Preference(t, null, false));
    Arbitrary<Preference> preference = Arbitraries.frequencyOf(Tuple.of(3, waitOf), Tuple.of(2, other));
    Arbitrary<List<Preference>> header = preference.list().ofMinSize(1).ofMaxSize(3);
    return Combinators.combine(Arbitraries.of("create", "get", "cancel", "cancel without body"),
        Arbitraries.of(queued, completed, "no-such-task"), header.list().ofMinSize(1).ofMaxSize(2))
        .as(Wait::new).filter(w -> !w.holds());
  }
}
