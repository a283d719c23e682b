package dev.quench.api;

import static dev.quench.api.HostileApi.JSON;
import static dev.quench.api.HostileApi.KEY;
import static dev.quench.api.HostileApi.OTHER_TENANT_KEY;
import static dev.quench.api.HostileApi.READ_ONLY_KEY;
import static dev.quench.api.HostileApi.auth;
import static dev.quench.api.HostileApi.errorCode;
import static dev.quench.api.HostileApi.errorField;
import static dev.quench.api.HostileApi.get;
import static dev.quench.api.HostileApi.jsonType;
import static dev.quench.api.HostileApi.post;
import static dev.quench.api.HostileJson.fieldNames;
import static dev.quench.api.HostileJson.jsonString;
import static dev.quench.api.HostileJson.jsonValues;
import static dev.quench.api.HostileJson.member;
import static dev.quench.api.HostileJson.object;
import static dev.quench.api.RawHttp.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.HostileJson.Body;
import dev.quench.api.RawHttp.Framing;
import dev.quench.api.RawHttp.Header;
import dev.quench.api.RawHttp.Request;
import dev.quench.api.RawHttp.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
 * Hostile input to cancellation batches and task trees: batch bodies of every wrong shape ({@code task_ids},
 * {@code filter}, {@code reason}, {@code max_per_second}, {@code dry_run}), malformed JSON, odd batch ids and
 * query parameters on every batch path (JSON pages and the NDJSON report), cascading cancels and
 * {@code parent_task_id} on a create and as a listing filter. As in {@link HostileInputIntegrationTests}: never a
 * 5xx, every error in the one shape.
 */
class HostileInputBatchesIntegrationTests {

  private static final int MIN_REQUESTS = 1_000;

  private static HostileApi api;
  private static List<String> tasks;
  /** A batch the demo tenant made, with a report to read. */
  private static String batch;

  @BeforeContainer
  static void startOneApi() {
    api = HostileApi.start("hostile-batches");
    tasks = new ArrayList<>(List.of(api.queuedTask(), api.queuedTask()));
    String child = created(api.send(post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":"
        + "600000},\"parent_task_id\":\"" + tasks.get(0) + "\"}")));
    tasks.add(child);
    Response accepted = api.send(post("/v1/cancellation_batches", "{\"task_ids\":[\"" + tasks.get(1)
        + "\",\"no-such-task\"],\"reason\":\"hostile\",\"max_per_second\":1}"));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    batch = JSON.readTree(accepted.body()).get("batch_id").asString();
  }

  @AfterContainer
  static void stopTheApi() {
    if (api != null) {
      api.closeAfter(MIN_REQUESTS);
    }
  }

  private static String created(Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    return JSON.readTree(response.body()).get("task_id").asString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Properties

  @Property(tries = 300)
  void batchBodiesOfAnyShapeAreAnsweredInTheErrorShape(@ForAll("batchBodies") String body,
                                                       @ForAll("batchKeys") String key) {
    Response response = api.send(Request.of("POST", "/v1/cancellation_batches", List.of(auth(key), jsonType()),
        body));
    Statistics.label("field").collect(response.status() >= 400 ? String.valueOf(errorField(response)) : "-");
  }

  @Property(tries = 200)
  void malformedBatchAndCascadeBodiesAreClientErrorsInTheErrorShape(@ForAll("malformedBodies") Body body,
                                                                    @ForAll("malformedTargets") String target) {
    api.send(new Request("POST", target, List.of(auth(KEY), jsonType()), body.bytes(), Framing.LENGTH));
  }

  @Property(tries = 300)
  void cascadingCancelsOfAnyShapeAreAnsweredInTheErrorShape(@ForAll("cancelBodies") String body,
                                                            @ForAll("cancelTargets") String target) {
    Response response = api.send(post(target, body));
    if (response.status() < 300 && response.header("Quench-Cancellation-Batch") != null) {
      Statistics.label("cascade").collect("started");
    }
  }

  @Property(tries = 120)
  void parentTaskIdsOfAnyShapeOnACreateAreAnsweredInTheErrorShape(@ForAll("parents") String parent) {
    Response response = api.send(post("/v1/tasks", "{\"capability\":\"echo\",\"parent_task_id\":" + parent + "}"));
    Statistics.label("answer").collect(response.status() + " " + errorCode(response));
  }

  @Property(tries = 400)
  void oddBatchIdsOnEveryBatchPathAreNotFoundOrBadRequestsInTheErrorShape(@ForAll("batchIds") String id,
                                                                          @ForAll("batchRequests") String kind,
                                                                          @ForAll("pageQueries") String query) {
    String path = "/v1/cancellation_batches/" + id;
    Request request = switch (kind) {
      case "get" -> get(path + query);
      case "report" -> get(path + "/tasks" + query);
      case "report as lines" -> get(path + "/tasks" + query, new Header("Accept", "application/x-ndjson"));
      case "head" -> new Request("HEAD", path + "/tasks" + query, List.of(auth(KEY)), null, Framing.NONE);
      case "abort with a body" -> post(path + "/abort" + query, "{\"reason\":\"odd\"}");
      default -> new Request("POST", path + "/abort" + query, List.of(auth(KEY)), null, Framing.NONE);
    };
    api.send(request);
  }

  @Property(tries = 300)
  void oddQueriesOnEveryListingAreAnsweredInTheErrorShape(@ForAll("listings") String listing,
                                                          @ForAll("pageQueries") String query,
                                                          @ForAll("accepts") List<Header> accept) {
    api.send(get(listing.replace("{batch}", batch) + query, accept.toArray(Header[]::new)));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // What a client can count on

  @Example
  void aDryRunCountsAndRecordsNothing() {
    Response response = api.send(post("/v1/cancellation_batches",
        "{\"filter\":{\"status\":[\"queued\"],\"capability\":\"sleep\"},\"dry_run\":true}"));

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
  }

  @Example
  void aFilterNamingNoConditionIsRefusedNamingTheFilter() {
    for (String filter : List.of("{}", "{\"status\":[]}", "{\"metadata\":{}}")) {
      api.assertRefused(post("/v1/cancellation_batches", "{\"filter\":" + filter + "}"), 400, "invalid_request",
          "filter");
    }
  }

  @Example
  void theReportAsLinesIsOneJsonObjectALine() {
    Response response = api.send(get("/v1/cancellation_batches/" + batch + "/tasks",
        new Header("Accept", "application/x-ndjson")));

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    for (String line : response.text().split("\n")) {
      assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
    }
  }

  @Example
  void anotherTenantsBatchIsNotFoundOnEveryPath() {
    for (Request request : List.of(
        Request.of("GET", "/v1/cancellation_batches/" + batch, List.of(auth(OTHER_TENANT_KEY)), null),
        Request.of("GET", "/v1/cancellation_batches/" + batch + "/tasks", List.of(auth(OTHER_TENANT_KEY)), null),
        Request.of("POST", "/v1/cancellation_batches/" + batch + "/abort", List.of(auth(OTHER_TENANT_KEY)), null))) {
      Response response = api.send(request);
      assertThat(response.status()).as(response.toString()).isEqualTo(404);
      assertThat(errorCode(response)).isEqualTo("batch_not_found");
    }
  }

  @Example
  void aReadOnlyKeyCannotStartOrAbortABatch() {
    for (Request request : List.of(
        Request.of("POST", "/v1/cancellation_batches", List.of(auth(READ_ONLY_KEY), jsonType()),
            "{\"task_ids\":[\"" + tasks.get(0) + "\"]}"),
        Request.of("POST", "/v1/cancellation_batches/" + batch + "/abort", List.of(auth(READ_ONLY_KEY)), null),
        Request.of("POST", "/v1/tasks/" + tasks.get(0) + "/cancel", List.of(auth(READ_ONLY_KEY), jsonType()),
            "{\"cascade\":true}"))) {
      assertThat(api.send(request).status()).as(request.toString()).isEqualTo(403);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Generators

  @Provide
  Arbitrary<String> batchKeys() {
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(KEY)), Tuple.of(1, Arbitraries.just(READ_ONLY_KEY)),
        Tuple.of(1, Arbitraries.just(OTHER_TENANT_KEY)));
  }

  private static Arbitrary<String> taskIdValues() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of(tasks).map(HostileJson::jsonString)),
        Tuple.of(2, Arbitraries.of("\"\"", "\"no-such-task\"", "\"" + "t".repeat(64) + "\"",
            "\"" + "t".repeat(65) + "\"", "\"../x\"", "\"\\u0000\"", "\"\\ud800\"", "\"%2F\"", "\" \"")),
        Tuple.of(2, jsonValues()));
  }

  private static Arbitrary<String> taskIdLists() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, taskIdValues().list().ofMaxSize(6).map(ids -> "[" + String.join(",", ids) + "]")),
        Tuple.of(1, Arbitraries.of(tasks).map(t -> "[" + (jsonString(t) + ",").repeat(2000) + jsonString(t) + "]")),
        // Past the most targets a batch may name.
        Tuple.of(1, Arbitraries.just("[" + "\"x\",".repeat(100_000) + "\"x\"]")),
        Tuple.of(2, jsonValues()));
  }

  private static Arbitrary<String> statuses() {
    Arbitrary<String> status = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("queued", "running", "completed", "failed", "cancelled").map(s -> "\"" + s + "\"")),
        Tuple.of(1, Arbitraries.of("\"QUEUED\"", "\"cancelling\"", "\"\"", "\"queued,running\"", "\"*\"")),
        Tuple.of(1, jsonValues()));
    return Arbitraries.oneOf(status, status.list().ofMaxSize(4).map(s -> "[" + String.join(",", s) + "]"));
  }

  private static Arbitrary<String> instants() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of("\"2026-11-23T10:00:00Z\"", "\"2026-11-23T10:00:00.123456789Z\"",
            "\"-999999999-01-01T00:00:00Z\"", "\"+1000000000-01-01T00:00:00Z\"", "\"2026-13-45T25:61:61Z\"",
            "\"2026-11-23\"", "\"2026-11-23T10:00:00+01:00\"", "\"yesterday\"", "\"\"", "\"0\"")),
        Tuple.of(1, jsonValues()));
  }

  private static Arbitrary<String> filters() {
    Arbitrary<String> metadata = Arbitraries.frequencyOf(
        Tuple.of(2, Combinators.combine(fieldNames("team", "k"), Arbitraries.oneOf(jsonValues(),
            Arbitraries.just("\"x\""))).as(HostileJson::member).list().ofMaxSize(4).map(HostileJson::object)),
        Tuple.of(1, jsonValues()));
    Arbitrary<String> text = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("\"sleep\"", "\"echo\"")),
        Tuple.of(1, taskIdValues()), Tuple.of(1, jsonValues()));
    Arbitrary<String> members = Combinators.combine(statuses().injectNull(0.4), text.injectNull(0.6),
        metadata.injectNull(0.7), instants().injectNull(0.8), instants().injectNull(0.8),
        taskIdValues().injectNull(0.7), Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
            Tuple.of(1, Combinators.combine(fieldNames("limit", "cursor", "type", "task_ids"), jsonValues())
                .as(HostileJson::member))))
        .as((status, capability, md, after, before, parent, extra) -> object(List.of(
            member("status", status), member("capability", capability), member("metadata", md),
            member("created_after", after), member("created_before", before), member("parent_task_id", parent),
            extra)));
    return Arbitraries.frequencyOf(Tuple.of(5, members), Tuple.of(1, jsonValues()));
  }

  @Provide
  Arbitrary<String> batchBodies() {
    Arbitrary<String> reason = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just("\"hostile\"")),
        Tuple.of(1, Arbitraries.of(1001, 5000).map(n -> "\"" + "r".repeat(n) + "\"")), Tuple.of(2, jsonValues()));
    Arbitrary<String> rate = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of("1", "100000", "100001", "0", "-1", "1.0", "1.5", "1e3", "\"5\"",
            "2147483648", "99999999999999999999", "-0", "1E400")),
        Tuple.of(2, Arbitraries.integers().map(String::valueOf)),
        Tuple.of(1, jsonValues()));
    Arbitrary<String> dryRun = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("true")),
        Tuple.of(1, Arbitraries.of("false", "\"true\"", "1", "0", "null", "[]")), Tuple.of(1, jsonValues()));
    Arbitrary<String> extra = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
        Tuple.of(1, Combinators.combine(fieldNames("cascade", "ids", "filters", "DRY_RUN"), jsonValues())
            .as(HostileJson::member)));
    Arbitrary<String> bodies = Combinators.combine(taskIdLists().injectNull(0.5), filters().injectNull(0.4),
        reason.injectNull(0.5), rate.injectNull(0.5), dryRun.injectNull(0.3), extra)
        .as((ids, filter, why, perSecond, dry, more) -> object(List.of(member("task_ids", ids),
            member("filter", filter), member("reason", why), member("max_per_second", perSecond),
            member("dry_run", dry), more)));
    return Arbitraries.frequencyOf(Tuple.of(8, bodies), Tuple.of(1, jsonValues()));
  }

  @Provide
  Arbitrary<Body> malformedBodies() {
    return HostileJson.corrupted(Arbitraries.oneOf(batchBodies(), cancelBodies(),
        Arbitraries.of("{\"filter\":{\"status\":[\"queued\"]},\"dry_run\":true}", "{\"cascade\":true}")));
  }

  @Provide
  Arbitrary<String> malformedTargets() {
    return Arbitraries.of("/v1/cancellation_batches", "/v1/tasks/" + tasks.get(0) + "/cancel",
        "/v1/cancellation_batches/" + batch + "/abort");
  }

  @Provide
  Arbitrary<String> cancelBodies() {
    Arbitrary<String> cascade = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("true")),
        Tuple.of(1, Arbitraries.of("false", "\"true\"", "1", "null", "{}", "[true]")), Tuple.of(1, jsonValues()));
    Arbitrary<String> reason = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just("\"tree\"")),
        Tuple.of(1, jsonValues()));
    return Combinators.combine(cascade.injectNull(0.1), reason.injectNull(0.5),
        Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")), Tuple.of(1, Combinators.combine(
            fieldNames("recursive", "task_ids", "max_per_second"), jsonValues()).as(HostileJson::member))))
        .as((c, r, x) -> object(List.of(member("cascade", c), member("reason", r), x)));
  }

  @Provide
  Arbitrary<String> cancelTargets() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(tasks).map(t -> "/v1/tasks/" + t + "/cancel")),
        Tuple.of(1, Arbitraries.of("/v1/tasks/no-such-task/cancel", "/v1/tasks/" + batch + "/cancel")));
  }

  @Provide
  Arbitrary<String> parents() {
    return Arbitraries.frequencyOf(Tuple.of(2, taskIdValues()),
        Tuple.of(1, Arbitraries.just(jsonString(batch))), Tuple.of(1, jsonValues()));
  }

  @Provide
  Arbitrary<String> batchIds() {
    Arbitrary<String> uuidLike = Arbitraries.of(batch, batch.toUpperCase(), batch.replace("-", ""),
        "{" + batch + "}", batch + "0", batch.substring(1), "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff", "1-1-1-1-1", "0x1-0-0-0-0", "-1--1--1--1--1",
        "123e4567-e89b-12d3-a456-4266141740000", "+1-+1-+1-+1-+1", "g0000000-0000-0000-0000-000000000000");
    Arbitrary<String> encoded = Arbitraries.of("%00", "%2F", "%2E%2E", "%", "%G1", "%C3%A4", "%FF", "%0D%0A", "%20",
        ";a=b", ";", ".", "..", "~", "a".repeat(5000), utf8("bätch"), utf8("\u202e"));
    return Arbitraries.frequencyOf(Tuple.of(3, uuidLike), Tuple.of(2, encoded),
        Tuple.of(1, Arbitraries.of(tasks)),
        Tuple.of(2, Arbitraries.strings().withChars("abcdef0123456789-XYZ").ofMaxLength(40)));
  }

  @Provide
  Arbitrary<String> batchRequests() {
    return Arbitraries.of("get", "report", "report as lines", "head", "abort", "abort with a body");
  }

  @Provide
  Arbitrary<String> listings() {
    return Arbitraries.of("/v1/cancellation_batches", "/v1/cancellation_batches/{batch}/tasks", "/v1/tasks",
        "/v1/tasks?parent_task_id=" + tasks.get(0) + "&x=1");
  }

  @Provide
  Arbitrary<String> pageQueries() {
    String base64 = Base64.getUrlEncoder().withoutPadding().encodeToString("t|-1".getBytes());
    Arbitrary<String> limit = Arbitraries.of("limit=0", "limit=1", "limit=1000", "limit=1001", "limit=-1",
        "limit=", "limit", "limit=1e3", "limit=2147483648", "limit=%31", "limit=1&limit=2", "limit=%00");
    Arbitrary<String> cursor = Arbitraries.of("cursor=", "cursor=abc", "cursor=" + base64,
        "cursor=" + Base64.getUrlEncoder().encodeToString("t|99999999999".getBytes()), "cursor=====", "cursor=%ZZ",
        "cursor=" + "A".repeat(5000), "cursor=dHw5", "cursor=eDE", "cursor=%E2%82");
    Arbitrary<String> parent = Arbitraries.of("parent_task_id=", "parent_task_id=no-such", "parent_task_id=%00",
        "parent_task_id=" + "p".repeat(300), "parent_task_id=a&parent_task_id=b");
    Arbitrary<String> odd = Arbitraries.of("a=%ZZ", "%=1", "&&&==", "status=queued", "x[=1", "metadata[]=x",
        "metadata[k]=v", "a=" + "q".repeat(9000), "=", "?", "%C0%AE=1");
    Arbitrary<String> one = Arbitraries.oneOf(limit, cursor, parent, odd);
    return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just("")),
        Tuple.of(5, one.list().ofMinSize(1).ofMaxSize(3).map(q -> "?" + String.join("&", q))));
  }

  @Provide
  Arbitrary<List<Header>> accepts() {
    return Arbitraries.of(List.of(), List.of(new Header("Accept", "application/x-ndjson")),
        List.of(new Header("Accept", "application/json")), List.of(new Header("Accept", "text/event-stream")),
        List.of(new Header("Accept", "application/x-ndjson;q=0, application/json")),
        List.of(new Header("Accept", "text/html")), List.of(new Header("Accept", "application/x-ndjson; charset=latin1")),
        List.of(new Header("Accept", "*/*;q=x")));
  }
}
