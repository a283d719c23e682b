package dev.quench.api;

import static dev.quench.api.HostileApi.auth;
import static dev.quench.api.HostileApi.errorCode;
import static dev.quench.api.HostileApi.jsonType;
import static dev.quench.api.HostileApi.post;
import static dev.quench.api.HostileJson.fieldNames;
import static dev.quench.api.HostileJson.jsonString;
import static dev.quench.api.HostileJson.jsonValues;
import static dev.quench.api.HostileJson.object;
import static dev.quench.api.RawHttp.utf8;
import static dev.quench.api.RawHttp.visible;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.HostileJson.Body;
import dev.quench.api.RawHttp.Framing;
import dev.quench.api.RawHttp.Header;
import dev.quench.api.RawHttp.Request;
import dev.quench.api.RawHttp.Response;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile HTTP input against one real api instance on the shared broker: malformed and wrongly typed JSON, deep and
 * huge bodies, control characters, broken UTF-8 and long strings, odd ids, headers and paths, wrong methods, and
 * raw-protocol abuse a normal HTTP client refuses to send. Whatever arrives, the api never answers 5xx, and every
 * error it gives is the one JSON error shape with the request id echoed: a client can always tell what went wrong.
 * The properties share one kept-alive connection and count every request they send.
 */
class HostileInputIntegrationTests {

  private static final String KEY = HostileApi.KEY;
  private static final String READ_ONLY_KEY = HostileApi.READ_ONLY_KEY;
  private static final String OTHER_TENANT_KEY = HostileApi.OTHER_TENANT_KEY;
  /** quench.api.max-body-size, left at its default. */
  private static final int BODY_LIMIT = 1024 * 1024;
  private static final int MIN_REQUESTS = 10_000;
  private static final JsonMapper JSON = HostileApi.JSON;

  private static HostileApi api;
  /** Tasks of the demo tenant, so that valid cancels get past the 404 and reach the log. */
  private static List<String> tasks;

  @BeforeContainer
  static void startOneApi() {
    api = HostileApi.start("hostile");
    tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(api.queuedTask());
    }
  }

  @AfterContainer
  static void stopTheApiAfterCountingTheRequests() {
    if (api != null) {
      api.closeAfter(MIN_REQUESTS);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Properties

  @Property(tries = 1200)
  void malformedJsonGetsAClientErrorInTheErrorShape(@ForAll("malformedJson") Body body,
                                                    @ForAll("jsonTargets") String target) {
    send(new Request("POST", target, List.of(auth(KEY), jsonType()), body.bytes(), Framing.LENGTH));
  }

  @Property(tries = 1500)
  void wronglyTypedSubmissionFieldsAreRefusedInTheErrorShape(@ForAll("submissions") String body) {
    Response response = send(post("/v1/tasks", body));
    if (response.status() == 400 && "invalid_request".equals(errorCode(response))) {
      Statistics.label("field").collect(field(response));
    }
  }

  @Property(tries = 800)
  void wronglyTypedCancelBodiesAreRefusedInTheErrorShape(@ForAll("cancelBodies") String body,
                                                         @ForAll("cancelTargets") String target) {
    send(post(target, body));
  }

  @Property(tries = 300)
  void deeplyNestedBodiesAreRefusedOrAcceptedButNeverFail(@ForAll("nestings") Nesting nesting) {
    send(post(nesting.target(tasks.get(0)), nesting.body()));
  }

  @Property(tries = 40)
  void bodiesOverTheLimitAre413WithOrWithoutAContentLength(@ForAll("hugeBodies") Huge huge) {
    Response response = send(huge.request(tasks.get(1)));
    if (huge.size() > BODY_LIMIT && (huge.framing() == Framing.LENGTH || !huge.shape().equals("garbage"))) {
      assertThat(response.status()).as(huge + "\n" + response).isEqualTo(413);
      assertThat(errorCode(response)).isEqualTo("body_too_large");
    }
  }

  /**
   * The largest body the api takes must also fit where the api records it: a task the api accepted cannot be refused
   * afterwards with a 503 that invites the client to retry the same too-large request forever.
   */
  @Example
  void theLargestBodyTheApiTakesIsRecordedNotRefusedWith503() {
    Response response = send(new Huge(BODY_LIMIT, Framing.LENGTH, "string", false).request(tasks.get(1)));
    assertThat(response.status()).as(response.toString()).isEqualTo(202);
  }

  @Property(tries = 1200)
  void controlCharactersBrokenUtf8AndLongStringsInReasonsAndMetadataNeverFail(
      @ForAll("hostileStrings") HostileString text, @ForAll("stringPlaces") String place) {
    String content = text.bytes();
    String body = switch (place) {
      case "reason" -> "{\"reason\":\"" + content + "\"}";
      case "metadata key" -> "{\"capability\":\"echo\",\"metadata\":{\"" + content + "\":\"v\"}}";
      case "metadata value" -> "{\"capability\":\"echo\",\"metadata\":{\"k\":\"" + content + "\"}}";
      case "model" -> "{\"capability\":\"echo\",\"model\":\"" + content + "\"}";
      case "capability" -> "{\"capability\":\"" + content + "\"}";
      default -> "{\"capability\":\"echo\",\"input\":{\"" + content + "\":\"" + content + "\"}}";
    };
    String target = place.equals("reason") ? "/v1/tasks/" + tasks.get(2) + "/cancel" : "/v1/tasks";
    send(new Request("POST", target, List.of(auth(KEY), jsonType()), body.getBytes(ISO_8859_1), Framing.LENGTH));
  }

  /** Found by the property below: Tomcat refuses the path while parsing, and its refusal of a HEAD had a body. */
  @Example
  void aHeadRefusedWhileItsPathIsParsedAnswersWithoutABody() {
    send(new Request("HEAD", "/v1/tasks/.well-knownY9-Yc0`?a=b", List.of(auth(KEY)), null, Framing.NONE));
  }

  @Property(tries = 1200)
  void oddTaskIdsInThePathGetANotFoundOrABadRequestInTheErrorShape(@ForAll("taskIds") PathId id,
                                                                   @ForAll("taskIdRequests") String kind,
                                                                   @ForAll("queries") String query) {
    String path = "/v1/tasks/" + id.bytes();
    Request request = switch (kind) {
      case "cancel" -> post(path + "/cancel" + query, "{\"reason\":\"odd id\"}");
      case "cancel without body" -> new Request("POST", path + "/cancel" + query, List.of(auth(KEY)), null,
          Framing.NONE);
      case "head" -> new Request("HEAD", path + query, List.of(auth(KEY)), null, Framing.NONE);
      default -> new Request("GET", path + query, List.of(auth(KEY)), null, Framing.NONE);
    };
    send(request);
  }

  @Property(tries = 1200)
  void oddAndMissingHeadersGetAnAnswerInTheErrorShape(@ForAll("headerCases") HeaderCase headers) {
    send(headers.request());
  }

  /** Every method on every path, each without a key, with a wrong one and with the right one, with and without body. */
  @Property(tries = 2000, generation = GenerationMode.EXHAUSTIVE)
  void everyMethodOnEveryPathGetsAnAnswerInTheErrorShape(@ForAll("methods") String method,
                                                         @ForAll("knownPaths") String path,
                                                         @ForAll("credentials") String key,
                                                         @ForAll boolean withBody) {
    String resolved = path.replace("{task}", tasks.get(0));
    List<Header> headers = new ArrayList<>();
    if (!key.isEmpty()) {
      headers.add(auth(key));
    }
    if (withBody) {
      headers.add(jsonType());
    }
    send(Request.of(method, resolved, headers, withBody ? "{\"reason\":\"any\"}" : null));
  }

  @Property(tries = 800)
  void unknownPathsAreNotFoundInTheErrorShape(@ForAll("unknownPaths") PathId path,
                                              @ForAll("plainMethods") String method) {
    boolean body = method.equals("POST") || method.equals("PUT");
    send(new Request(method, path.bytes(), body ? List.of(auth(KEY), jsonType()) : List.of(auth(KEY)),
        body ? "{}".getBytes(UTF_8) : null, body ? Framing.LENGTH : Framing.NONE));
  }

  /**
   * What {@code HttpClient} refuses to send: CR/LF and raw bytes in headers, broken request lines, contradicting
   * framing, smuggling attempts. Each on a connection of its own, which the client half-closes after the request so
   * the server never waits for more; an answer is required unless the request was deliberately left incomplete.
   */
  @Property(tries = 1000)
  void rawProtocolAbuseGetsAnAnswerInTheErrorShapeOrAClose(@ForAll("mutations") List<Mutation> mutations,
                                                           @ForAll("noise") Noise noise) {
    Raw raw = Raw.base(tasks.get(0));
    mutations.forEach(m -> m.apply().accept(raw, noise.bytes()));
    byte[] bytes = raw.bytes();
    String shown = mutations + " " + noise + "\n" + RawHttp.preview(bytes);
    api.oneShot(bytes, shown, mutations.stream().anyMatch(Mutation::mayGoUnanswered));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Refused at the door: each refusal, with nothing recorded

  /** An input the capability's announced schema refuses is a 422 naming the member, whatever is wrong with it. */
  @Example
  void aSleepInputItsSchemaRefusesIs422NamingTheMember() {
    for (String durationMs : List.of("\"abc\"", "-5", "1e300", "-1e300", "1.5", "86400001", "null", "true",
        "[1]", "{}", "99999999999999999999999")) {
      assertRefused(post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":" + durationMs
          + "}}"), 422, "invalid_input", "input.duration_ms");
    }
    assertRefused(post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{}}"), 422, "invalid_input",
        "input.duration_ms");
    assertRefused(post("/v1/tasks", "{\"capability\":\"sleep\"}"), 422, "invalid_input", "input.duration_ms");
    assertRefused(post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":5,\"speed\":2}}"), 422,
        "invalid_input", "input.speed");
    assertRefused(post("/v1/tasks", "{\"capability\":\"fail\",\"input\":{\"retryable\":\"yes\"}}"), 422,
        "invalid_input", "input.retryable");
    assertThat(send(post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":30000.0}}")).status())
        .as("an integral number is an integer").isEqualTo(202);
  }

  @Example
  void aNumberTooLargeToCarryExactlyIsRefusedWhateverTheCapability() {
    assertRefused(post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{\"a\":[1,1e400]}}"), 422, "invalid_input",
        "input.a[1]");
  }

  @Example
  void anInputThatIsNoObjectIs400() {
    for (String input : List.of("\"duration_ms=5\"", "[1]", "5", "true")) {
      assertRefused(post("/v1/tasks", "{\"capability\":\"echo\",\"input\":" + input + "}"), 400,
          "invalid_request", "input");
    }
  }

  @Example
  void aCapabilityNoWorkerAnnouncedIs422() {
    assertRefused(post("/v1/tasks", "{\"capability\":\"teleport\"}"), 422, "unknown_capability", "capability");
  }

  /** A refused create recorded nothing: its Idempotency-Key is still free for a request that is taken. */
  @Example
  void aRefusedCreateRecordsNothing() {
    String key = "refused-" + System.nanoTime();
    assertRefused(withKey(post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":-5}}"), key),
        422, "invalid_input", "input.duration_ms");
    assertRefused(withKey(post("/v1/tasks", "{\"capability\":\"teleport\"}"), key), 422, "unknown_capability",
        "capability");

    Response taken = send(withKey(post("/v1/tasks", "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":5}}"),
        key));

    assertThat(taken.status()).as(taken.toString()).isEqualTo(202);
  }

  @Example
  void anEmptyOrOverLongIdempotencyKeyIs400() {
    String create = "{\"capability\":\"echo\"}";
    for (String key : List.of("", " ", "k".repeat(256))) {
      assertRefused(withKey(post("/v1/tasks", create), key), 400, "invalid_request", "Idempotency-Key");
      assertRefused(withKey(post("/v1/tasks/" + tasks.get(2) + "/cancel", "{}"), key), 400, "invalid_request",
          "Idempotency-Key");
    }
    assertThat(send(withKey(post("/v1/tasks", create), "k".repeat(255))).status()).isEqualTo(202);
  }

  @Example
  void anIdempotencyKeyReusedOnAnotherTasksCancelIs422() {
    String key = "cancel-" + System.nanoTime();
    Response first = send(withKey(post("/v1/tasks/" + tasks.get(0) + "/cancel", "{\"reason\":\"same\"}"), key));
    assertThat(first.status()).as(first.toString()).isEqualTo(202);

    assertRefused(withKey(post("/v1/tasks/" + tasks.get(1) + "/cancel", "{\"reason\":\"same\"}"), key), 422,
        "idempotency_key_reused", "Idempotency-Key");
    assertThat(send(withKey(post("/v1/tasks/" + tasks.get(0) + "/cancel", "{\"reason\":\"same\"}"), key)).status())
        .as("a retry on the first task is still a retry").isEqualTo(202);
  }

  private static Request withKey(Request request, String key) {
    List<Header> headers = new ArrayList<>(request.headers());
    headers.add(new Header("Idempotency-Key", key));
    return new Request(request.method(), request.target(), headers, request.body(), request.framing());
  }

  private static void assertRefused(Request request, int status, String code, String field) {
    api.assertRefused(request, status, code, field);
  }

  private static Response send(Request request) {
    return api.send(request);
  }

  private static String field(Response response) {
    JsonNode field = JSON.readTree(response.body()).at("/error/field");
    if (!field.isString()) {
      return "(none)";
    }
    String name = field.asString();
    return name.startsWith("metadata.") ? "metadata.*" : name.length() > 12 ? "(other)" : name;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // JSON

  // ---------------------------------------------------------------------------------------------------------------
  // Malformed JSON

  @Provide
  Arbitrary<Body> malformedJson() {
    Arbitrary<String> documents = Arbitraries.oneOf(
        submissions(),
        Arbitraries.of("{\"capability\":\"echo\",\"input\":{\"a\":[1,2,{\"b\":null}]},\"metadata\":{\"k\":\"v\"}}",
            "{\"reason\":\"stop\"}", "{}", "[]", "\"x\"", "0"),
        jsonValues().map(v -> "{\"reason\":" + v + "}"));
    return HostileJson.corrupted(documents);
  }

  @Provide
  Arbitrary<String> jsonTargets() {
    return Arbitraries.of("/v1/tasks", "/v1/tasks/" + tasks.get(0) + "/cancel", "/v1/tasks/unknown-task/cancel");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Wrongly typed fields

  @Provide
  Arbitrary<String> submissions() {
    Arbitrary<String> capability = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of("\"echo\"", "\"sleep\"", "\"fail\"")), Tuple.of(3, jsonValues()));
    Arbitrary<String> model = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("\"m-1\"")),
        Tuple.of(3, jsonValues()));
    Arbitrary<String> metadata = Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just("{\"team\":\"x\"}")),
        Tuple.of(2, jsonValues()),
        // Objects, with values of any type and sometimes more entries than allowed.
        Tuple.of(2, Combinators.combine(fieldNames(), jsonValues()).as((k, v) -> jsonString(k) + ":" + v)
            .list().ofMaxSize(70).map(members -> "{" + String.join(",", members) + "}")));
    Arbitrary<String> extra = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just("")),
        Tuple.of(1, Combinators.combine(fieldNames(), jsonValues()).as((k, v) -> jsonString(k) + ":" + v)));
    return Combinators.combine(capability.injectNull(0.15), jsonValues().injectNull(0.3), model.injectNull(0.4),
        metadata.injectNull(0.4), extra).as((c, i, m, md, x) -> object(List.of(
            c == null ? "" : "\"capability\":" + c,
            i == null ? "" : "\"input\":" + i,
            m == null ? "" : "\"model\":" + m,
            md == null ? "" : "\"metadata\":" + md,
            x)));
  }

  @Provide
  Arbitrary<String> cancelBodies() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, jsonValues().map(v -> "{\"reason\":" + v + "}")),
        Tuple.of(1, jsonValues()),
        Tuple.of(1, Combinators.combine(fieldNames(), jsonValues()).as((k, v) -> jsonString(k) + ":" + v)
            .list().ofMaxSize(3).map(members -> "{" + String.join(",", members) + "}")));
  }

  @Provide
  Arbitrary<String> cancelTargets() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(tasks).map(t -> "/v1/tasks/" + t + "/cancel")),
        Tuple.of(1, Arbitraries.just("/v1/tasks/no-such-task/cancel")));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Deep nesting

  /** A value nested {@code depth} levels deep, placed in a body; left unclosed if {@code !closed}. */
  record Nesting(int depth, boolean arrays, String place, boolean closed) {
    String body() {
      StringBuilder nested = new StringBuilder(depth * 6 + 2);
      nested.append((arrays ? "[" : "{\"a\":").repeat(depth)).append('1');
      if (closed) {
        nested.append((arrays ? "]" : "}").repeat(depth));
      }
      return switch (place) {
        case "body" -> nested.toString();
        case "input" -> "{\"capability\":\"echo\",\"input\":" + nested + "}";
        case "metadata" -> "{\"capability\":\"echo\",\"metadata\":" + nested + "}";
        case "metadata value" -> "{\"capability\":\"echo\",\"metadata\":{\"k\":" + nested + "}}";
        case "model" -> "{\"capability\":\"echo\",\"model\":" + nested + "}";
        default -> "{\"reason\":" + nested + "}";
      };
    }

    String target(String task) {
      return place.equals("reason") ? "/v1/tasks/" + task + "/cancel" : "/v1/tasks";
    }
  }

  @Provide
  Arbitrary<Nesting> nestings() {
    // Around the parser's nesting limits, and far beyond them.
    Arbitrary<Integer> depth = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.integers().between(1, 20_000)),
        Tuple.of(3, Arbitraries.integers().between(480, 520)),
        Tuple.of(2, Arbitraries.integers().between(990, 1010)));
    return Combinators.combine(depth, Arbitraries.of(true, false),
        Arbitraries.of("body", "input", "metadata", "metadata value", "model", "reason"),
        Arbitraries.of(true, true, true, false)).as(Nesting::new);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Huge bodies

  /** A body of exactly {@code size} bytes, sent with a Content-Length or chunked. */
  record Huge(int size, Framing framing, String shape, boolean expectContinue) {
    Request request(String task) {
      String prefix = switch (shape) {
        case "string" -> "{\"capability\":\"echo\",\"input\":{\"s\":\"";
        case "array" -> "{\"capability\":\"echo\",\"input\":{\"a\":[1";
        case "metadata" -> "{\"capability\":\"echo\",\"metadata\":{\"k\":\"";
        case "reason" -> "{\"reason\":\"";
        case "whitespace" -> "";
        default -> "x";
      };
      String suffix = switch (shape) {
        case "reason" -> "\"}";
        case "string", "metadata" -> "\"}}";
        case "array" -> "]}}";
        case "whitespace" -> "{\"capability\":\"echo\"}";
        default -> "";
      };
      String filler = switch (shape) {
        case "array" -> ",1";
        case "whitespace" -> " ";
        default -> "x";
      };
      int n = Math.max(0, size - prefix.length() - suffix.length());
      StringBuilder body = new StringBuilder(size).append(prefix).append(filler.repeat(n / filler.length()));
      body.append(" ".repeat(size - body.length() - suffix.length())).append(suffix);
      List<Header> headers = new ArrayList<>(List.of(auth(KEY), jsonType()));
      if (expectContinue) {
        headers.add(new Header("Expect", "100-continue"));
      }
      String target = shape.equals("reason") ? "/v1/tasks/" + task + "/cancel" : "/v1/tasks";
      return new Request("POST", target, headers, body.toString().getBytes(UTF_8), framing);
    }
  }

  @Provide
  Arbitrary<Huge> hugeBodies() {
    Arbitrary<Integer> size = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(BODY_LIMIT + 1, 3 * BODY_LIMIT)),
        // Just under the limit: accepted bodies, which must still fit wherever the api records them.
        Tuple.of(1, Arbitraries.integers().between(BODY_LIMIT - 1024, BODY_LIMIT)));
    return Combinators.combine(size, Arbitraries.of(Framing.LENGTH, Framing.CHUNKED),
        Arbitraries.of("string", "array", "metadata", "reason", "whitespace", "garbage"), Arbitraries.of(false, true))
        .as(Huge::new);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Hostile strings

  /** A piece of a JSON string's content as bytes on the wire (one char, one byte), shown by its label. */
  record Piece(String label, String bytes) {
    @Override
    public String toString() {
      return label;
    }
  }

  /** The content of a JSON string literal, piece by piece. */
  record HostileString(List<Piece> pieces) {
    String bytes() {
      StringBuilder s = new StringBuilder();
      pieces.forEach(p -> s.append(p.bytes()));
      return s.toString();
    }

    @Override
    public String toString() {
      return pieces.toString();
    }
  }

  @Provide
  Arbitrary<HostileString> hostileStrings() {
    Arbitrary<Piece> text = Arbitraries.strings().alpha().numeric().ofMaxLength(12)
        .map(s -> new Piece("'" + s + "'", s));
    Arbitrary<Piece> escapedControl = Arbitraries.integers().between(0, 0x20)
        .map(c -> c == 0x20 ? 0x7f : c).map(c -> new Piece(String.format("\\u%04x", c),
            String.format("\\u%04x", c)));
    Arbitrary<Piece> shortEscape = Arbitraries.of("\\b", "\\f", "\\n", "\\r", "\\t", "\\\"", "\\\\", "\\/")
        .map(e -> new Piece(e, e));
    Arbitrary<Piece> rawControl = Arbitraries.integers().between(0, 0x20).map(c -> c == 0x20 ? 0x7f : c)
        .map(c -> new Piece(String.format("raw 0x%02x", c), String.valueOf((char) (int) c)));
    Arbitrary<Piece> loneSurrogate = Arbitraries.integers().between(0xd800, 0xdfff)
        .map(c -> new Piece(String.format("lone \\u%04x", c), String.format("\\u%04x", c)));
    Arbitrary<Piece> pairs = Arbitraries.of(
        new Piece("pair \\ud83d\\ude00", "\\ud83d\\ude00"),
        new Piece("reversed pair \\ude00\\ud83d", "\\ude00\\ud83d"),
        new Piece("high + raw text \\ud83dx", "\\ud83dx"));
    Arbitrary<Piece> rawUnicode = Arbitraries.of("é", "€", "😀", "\u202e", "\u200b", "\ufeff", "\uffff", "\ufffd",
        "e\u0301", "𝕏", "\u0085", "\u2028").map(s -> new Piece("utf-8 " + jsonString(s), utf8(s)));
    Arbitrary<Piece> invalidUtf8 = Arbitraries.of("ff", "fe", "c080", "c1bf", "eda080", "edbfbf", "f4908080",
        "f888808080", "e282", "80", "bf", "c3", "f0", "e0808f").map(hex -> new Piece("bytes " + hex,
        new String(java.util.HexFormat.of().parseHex(hex), ISO_8859_1)));
    Arbitrary<Piece> badEscape = Arbitraries.of("\\x41", "\\u12", "\\uZZZZ", "\\U0041", "\\0", "\\", "\\u")
        .map(e -> new Piece("bad escape " + e, e));
    // Around the length limits of the fields (64, 200, 512, 1000), and long, in 1-, 2-, 4-byte and escaped chars.
    Arbitrary<Integer> length = Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.of(63, 64, 65, 199, 200, 201, 511, 512, 513, 999, 1000, 1001)),
        Tuple.of(1, Arbitraries.integers().between(0, 200_000).withDistribution(RandomDistribution.biased())));
    Arbitrary<Piece> longRun = Combinators.combine(Arbitraries.of("x", "é", "😀", "\\u0000", "\\ud800"), length)
        .as((unit, n) -> new Piece(visible(unit) + " x " + n,
            (unit.startsWith("\\") ? unit : utf8(unit)).repeat(n)));
    Arbitrary<Piece> piece = Arbitraries.frequencyOf(
        Tuple.of(3, text), Tuple.of(2, escapedControl), Tuple.of(1, shortEscape), Tuple.of(1, rawControl),
        Tuple.of(2, loneSurrogate), Tuple.of(1, pairs), Tuple.of(2, rawUnicode), Tuple.of(1, invalidUtf8),
        Tuple.of(1, badEscape), Tuple.of(1, longRun));
    return piece.list().ofMaxSize(6).map(HostileString::new);
  }

  @Provide
  Arbitrary<String> stringPlaces() {
    return Arbitraries.of("reason", "metadata key", "metadata value", "model", "capability", "input");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Odd ids and paths

  /** A path or path segment as bytes on the wire (one char, one byte), made of pieces. */
  record PathId(List<String> pieces, String prefix) {
    String bytes() {
      return prefix + String.join("", pieces);
    }

    @Override
    public String toString() {
      return visible(bytes());
    }
  }

  @Provide
  Arbitrary<PathId> taskIds() {
    Arbitrary<String> plausible = Arbitraries.strings().withChars("abcXYZ019-_").ofMaxLength(70);
    Arbitrary<String> encoded = Arbitraries.of("%00", "%2F", "%2f", "%5C", "%25", "%2E", "%2E%2E", "%", "%G1", "%zz",
        "%C3%A4", "%C0%AE", "%FF", "%ED%A0%80", "%E2%82", "%F0%9F%98%80", "%0D%0A", "%20", "%3B", "%3F", "%23",
        "%u0041", "+", "%7F", "%01");
    Arbitrary<String> dots = Arbitraries.of(".", "..", "...", ".well-known", "a.b", "./", "../", "/", "//");
    Arbitrary<String> params = Arbitraries.of(";", ";a=b", ";jsessionid=1", ";/cancel");
    Arbitrary<String> rawUnicode = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4).map(RawHttp::utf8);
    Arbitrary<String> rawIllegal = Arbitraries.of("\"", "<", ">", "\\", "^", "`", "{", "|", "}", "\u0000", "\u0001",
        "\t", "\u007f", "\u00ff", "#", "[", "]");
    Arbitrary<String> veryLong = Arbitraries.integers().between(65, 12_000).map("a"::repeat);
    Arbitrary<String> real = Combinators.combine(Arbitraries.of(tasks), Arbitraries.of("as is", "upper", "dot", "cut"))
        .as((t, how) -> switch (how) {
          case "upper" -> t.toUpperCase(Locale.ROOT);
          case "dot" -> t + ".";
          case "cut" -> t.substring(1);
          default -> t;
        });
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        Tuple.of(3, plausible), Tuple.of(3, encoded), Tuple.of(2, dots), Tuple.of(1, params), Tuple.of(2, rawUnicode),
        Tuple.of(1, rawIllegal), Tuple.of(1, veryLong), Tuple.of(1, real), Tuple.of(1, Arbitraries.just("")));
    return piece.list().ofMinSize(1).ofMaxSize(4).map(pieces -> new PathId(pieces, ""));
  }

  @Provide
  Arbitrary<String> taskIdRequests() {
    return Arbitraries.of("get", "head", "cancel", "cancel without body");
  }

  @Provide
  Arbitrary<String> queries() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
        Tuple.of(1, Arbitraries.of("?", "?a=b", "?%00", "?a=%ZZ", "?a=1&a=2", "?" + "q".repeat(9000), "?x=%C3%A4",
            "?&&&==", "#frag")));
  }

  @Provide
  Arbitrary<PathId> unknownPaths() {
    Arbitrary<String> segment = Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12),
        Arbitraries.of("v1", "V1", "v2", "tasks", "Tasks", "cancel", "..", ".", "", "%2e%2e", "%76%31", "v1;a=b",
            "v1;", "tasks;x=1", ";", "actuator", "error", "scout", "~", "WEB-INF", "META-INF", "api", "v1.json",
            "tasks.json", "%2F", "%00", "%C3%A4", "*", "health", "metrics"),
        Arbitraries.of(tasks));
    return Combinators.combine(segment.list().ofMinSize(1).ofMaxSize(5), Arbitraries.of("/", "//", "/./", "/../"))
        .as((segments, prefix) -> new PathId(List.of(String.join("/", segments)), prefix));
  }

  @Provide
  Arbitrary<String> plainMethods() {
    return Arbitraries.of("GET", "GET", "POST", "HEAD", "DELETE", "PUT", "OPTIONS");
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
        "PROPFIND", "QUERY", "FOO", "get", "M-SEARCH");
  }

  @Provide
  Arbitrary<String> knownPaths() {
    return Arbitraries.of("/v1/tasks", "/v1/tasks/", "/v1/tasks/{task}", "/v1/tasks/{task}/cancel",
        "/v1/tasks/unknown-task", "/v1/tasks/unknown-task/cancel", "/v1", "/v1/", "/", "/error", "/actuator",
        "/actuator/health", "/actuator/health/liveness", "/actuator/info", "/actuator/metrics",
        "/actuator/metrics/jvm.memory.used", "/actuator/metrics/no.such.metric", "/scout/v1/tasks",
        "/scout/v1/tasks/{task}", "/scout/v1/tasks/{task}/cancel", "*", "/favicon.ico");
  }

  @Provide
  Arbitrary<String> credentials() {
    return Arbitraries.of(KEY, "", "not-a-key");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Odd headers

  /** A base request with its headers replaced or added to; each list empty means the header is absent. */
  record HeaderCase(String base, List<Header> authorization, List<Header> contentType, List<Header> requestId,
                    List<Header> accept, List<Header> others) {

    Request request() {
      List<Header> headers = new ArrayList<>(authorization);
      String method = "POST";
      String target = "/v1/tasks";
      String body = null;
      switch (base) {
        case "create" -> body = "{\"capability\":\"echo\",\"input\":{\"x\":1}}";
        case "invalid create" -> body = "{\"capability\":7}";
        case "cancel" -> {
          target = "/v1/tasks/" + tasks.get(1) + "/cancel";
          body = "{\"reason\":\"headers\"}";
        }
        case "preflight" -> method = "OPTIONS";
        default -> {
          method = "GET";
          target = "/v1/tasks/" + (base.equals("get") ? tasks.get(1) : "unknown-task");
        }
      }
      if (body != null) {
        headers.addAll(contentType);
      }
      headers.addAll(requestId);
      headers.addAll(accept);
      headers.addAll(others);
      return Request.of(method, target, headers, body);
    }

    @Override
    public String toString() {
      List<Header> all = new ArrayList<>(authorization);
      all.addAll(contentType);
      all.addAll(requestId);
      all.addAll(accept);
      all.addAll(others);
      return base + " " + all;
    }
  }

  private static Arbitrary<List<Header>> header(String name, Arbitrary<String> values) {
    return values.map(v -> List.of(new Header(name, v)));
  }

  /** Header values: any byte but CR and LF, which belong to the raw-protocol property. */
  private static Arbitrary<String> headerBytes(int max) {
    return Arbitraries.strings().withCharRange('\u0000', '\u00ff').excludeChars('\r', '\n').ofMaxLength(max);
  }

  @Provide
  Arbitrary<HeaderCase> headerCases() {
    String basic = Base64.getEncoder().encodeToString("demo:secret".getBytes(UTF_8));
    Arbitrary<List<Header>> authorization = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just(List.of(auth(KEY)))),
        Tuple.of(1, Arbitraries.just(List.of())),
        Tuple.of(3, header("Authorization", Arbitraries.of("", "Bearer", "Bearer ", "bearer " + KEY,
            "BEARER " + KEY, "Bearer  " + KEY, "Bearer " + KEY + " ", "Bearer\t" + KEY, "Bearer " + KEY + "x",
            "Basic " + basic, "Token " + KEY, "Bearer " + KEY + "\u0000", "Bearer " + READ_ONLY_KEY,
            "Bearer " + OTHER_TENANT_KEY, "Bearer " + KEY + ", Bearer " + KEY, "Bearer " + "k".repeat(7000),
            "Bearer " + utf8("ключ-" + KEY)))),
        Tuple.of(2, header("Authorization", headerBytes(40).map(v -> "Bearer " + v))),
        Tuple.of(1, Arbitraries.of(List.of(auth(KEY), auth("not-a-key")), List.of(auth("not-a-key"), auth(KEY)),
            List.of(auth(KEY), auth(KEY)))));
    Arbitrary<List<Header>> contentType = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(List.of(jsonType()))),
        Tuple.of(1, Arbitraries.just(List.of())),
        Tuple.of(4, header("Content-Type", Arbitraries.of("application/json; charset=utf-8",
            "application/json;charset=UTF-8", "application/json; charset=utf-16", "application/json; charset=nope",
            "application/json; charset=", "application/json; charset=\"utf-8\"", "application/json;;",
            "application/json; boundary=x", "APPLICATION/JSON", "application/*", "*/*", "text/plain", "text/json",
            "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=xyz",
            "application/json-patch+json", "application/problem+json", "application/vnd.api+json",
            "application/xml", "@@@", "application", "application/", "/json", ";", "application/json\u0000",
            "application/json; " + "p=v; ".repeat(500), utf8("application/jsön")))),
        Tuple.of(1, header("Content-Type", headerBytes(30))),
        Tuple.of(1, Arbitraries.just(List.of(jsonType(), new Header("Content-Type", "text/plain")))));
    Arbitrary<List<Header>> requestId = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(List.of())),
        Tuple.of(2, header("X-Request-Id", Arbitraries.strings().withCharRange('!', '~').ofMinLength(1)
            .ofMaxLength(140))),
        Tuple.of(2, header("X-Request-Id", headerBytes(20))),
        Tuple.of(1, header("X-Request-Id", Arbitraries.of("", " ", "has space", "tab\there",
            utf8("ид-запроса"), "r".repeat(128), "r".repeat(129), "r".repeat(10 * 1024), "\u0000", "\"quoted\"", "<script>"))),
        Tuple.of(1, Arbitraries.just(List.of(new Header("X-Request-Id", "first"),
            new Header("X-Request-Id", "second")))));
    Arbitrary<List<Header>> accept = Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(List.of())),
        Tuple.of(3, header("Accept", Arbitraries.of("*/*", "application/json", "text/html", "application/xml",
            "garbage", "application/json;q=0", "text/*", "*/*;q=abc", "application/problem+json", "image/png",
            "application/json; charset=utf-16", "", ",,,", "*", "a".repeat(10 * 1024),
            "text/html, application/xhtml+xml, */*;q=0.1"))),
        Tuple.of(1, header("Accept", headerBytes(30))));
    Arbitrary<List<Header>> others = Arbitraries.of(
        List.of(), List.of(),
        List.of(new Header("Idempotency-Key", "")),
        List.of(new Header("Idempotency-Key", "k".repeat(5000))),
        List.of(new Header("Idempotency-Key", utf8("ключ"))),
        List.of(new Header("Idempotency-Key", "a\u0001b")),
        List.of(new Header("Origin", "https://evil.example"), new Header("Access-Control-Request-Method", "POST")),
        List.of(new Header("Origin", "https://evil.example"), new Header("Access-Control-Request-Method", "DELETE"),
            new Header("Access-Control-Request-Headers", "authorization, x-evil")),
        List.of(new Header("Origin", "null")),
        List.of(new Header("Expect", "100-continue")),
        List.of(new Header("Expect", "something-else")),
        List.of(new Header("Content-Encoding", "gzip")),
        List.of(new Header("Content-Encoding", "br, garbage")),
        List.of(new Header("Accept-Encoding", "gzip, deflate, br")),
        List.of(new Header("Accept-Charset", "utf-16")),
        List.of(new Header("Accept-Language", "??;q=x")),
        List.of(new Header("Cookie", "a=b; ; =; JSESSIONID=\u0001; " + "c=d; ".repeat(200))),
        List.of(new Header("Range", "bytes=0-1, 5-")),
        List.of(new Header("If-None-Match", "*")),
        List.of(new Header("Forwarded", "for=\"[::1\";proto=gopher;host=\u00ff")),
        List.of(new Header("X-Forwarded-For", "not-an-ip, , 999.1.1.1"), new Header("X-Forwarded-Proto", "gopher"),
            new Header("X-Forwarded-Host", "evil.example:99999"), new Header("X-Forwarded-Port", "-1"),
            new Header("X-Forwarded-Prefix", "/../x")),
        List.of(new Header("X-HTTP-Method-Override", "DELETE")),
        List.of(new Header("Upgrade", "h2c"), new Header("Connection", "Upgrade, HTTP2-Settings"),
            new Header("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA")),
        List.of(new Header("Upgrade", "websocket"), new Header("Connection", "Upgrade"),
            new Header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), new Header("Sec-WebSocket-Version", "13")),
        List.of(new Header("Connection", "close")),
        List.of(new Header("Connection", "garbage, , keep-alive")),
        List.of(new Header("TE", "trailers, deflate;q=0.5")),
        List.of(new Header("Max-Forwards", "-1")),
        List.of(new Header("X-Evil\u00ff", "1")),
        manyHeaders(120));
    return Combinators.combine(Arbitraries.of("create", "invalid create", "cancel", "get", "get unknown",
        "preflight"), authorization, contentType, requestId, accept, others).as(HeaderCase::new);
  }

  private static List<Header> manyHeaders(int n) {
    List<Header> headers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      headers.add(new Header("X-Many-" + i, "v"));
    }
    return headers;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Raw protocol abuse

  /** A request assembled line by line, for mutations to break. Strings are byte strings. */
  static final class Raw {
    String prefix = "";
    String method = "POST";
    String separator = " ";
    String target;
    String version = "HTTP/1.1";
    String eol = "\r\n";
    final List<String> headers = new ArrayList<>();
    String body = "{\"reason\":\"raw\"}";
    boolean contentLength = true;
    String suffix = "";
    /** False leaves the head unfinished: no blank line, no body. */
    boolean headEnds = true;

    static Raw base(String task) {
      Raw raw = new Raw();
      raw.target = "/v1/tasks/" + task + "/cancel";
      raw.headers.add("Host: localhost");
      raw.headers.add("Authorization: Bearer " + KEY);
      raw.headers.add("Content-Type: application/json");
      raw.headers.add("Connection: close");
      return raw;
    }

    void replace(String name, String line) {
      headers.removeIf(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1));
      if (line != null) {
        headers.add(line);
      }
    }

    byte[] bytes() {
      StringBuilder s = new StringBuilder(prefix).append(method).append(separator).append(target)
          .append(separator).append(version).append(eol);
      headers.forEach(h -> s.append(h).append(eol));
      if (!headEnds) {
        return s.toString().getBytes(ISO_8859_1);
      }
      if (contentLength) {
        s.append("Content-Length: ").append(body.length()).append(eol);
      }
      s.append(eol).append(body).append(suffix);
      return s.toString().getBytes(ISO_8859_1);
    }
  }

  /** A way to break a request; the noise is random bytes some mutations put somewhere. */
  record Mutation(String name, boolean mayGoUnanswered, BiConsumer<Raw, String> apply) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Random bytes, CR, LF and NUL among them. */
  record Noise(String bytes) {
    @Override
    public String toString() {
      return "noise \"" + visible(bytes) + "\"";
    }
  }

  @Provide
  Arbitrary<Noise> noise() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.strings().withChars("a:\r\n\t \u0000\u007f\u00ff;,=\"").ofMaxLength(12)),
        Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12)))
        .map(Noise::new);
  }

  private static Mutation m(String name, BiConsumer<Raw, String> apply) {
    return new Mutation(name, false, apply);
  }

  /** A mutation after which the request is incomplete: the server may close without answering. */
  private static Mutation incomplete(String name, BiConsumer<Raw, String> apply) {
    return new Mutation(name, true, apply);
  }

  private static final String SECOND_REQUEST = "GET /v1/tasks/unknown HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
      + "Bearer " + KEY + "\r\n\r\n";

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    List<Mutation> all = List.of(
        // CR, LF and raw bytes inside header lines
        m("noise in X-Request-Id", (r, n) -> r.headers.add("X-Request-Id: id" + n + "x")),
        m("noise in Authorization", (r, n) -> r.replace("Authorization", "Authorization: Bearer " + KEY + n)),
        m("noise in Content-Type", (r, n) -> r.replace("Content-Type", "Content-Type: application/json" + n)),
        m("noise in a header name", (r, n) -> r.headers.add("X-" + n + "Name: 1")),
        m("noise as a header line", (r, n) -> r.headers.add(n)),
        m("CRLF-injected header", (r, n) -> r.headers.add("X-Request-Id: a\r\nX-Injected: yes")),
        m("CRLFCRLF-injected request", (r, n) -> r.headers.add("X-Request-Id: a\r\n\r\n" + SECOND_REQUEST)),
        m("bare CR inside a value", (r, n) -> r.headers.add("X-Request-Id: a\rb")),
        m("bare LF inside a value", (r, n) -> r.headers.add("X-Request-Id: a\nb")),
        m("bare LF line ends", (r, n) -> r.eol = "\n"),
        m("bare CR line ends", (r, n) -> r.eol = "\r"),
        m("LFCR line ends", (r, n) -> r.eol = "\n\r"),
        m("obs-fold continuation", (r, n) -> r.headers.add("X-Folded: a" + r.eol + " b")),
        m("folded Authorization", (r, n) -> r.replace("Authorization", "Authorization: Bearer\r\n " + KEY)),
        m("space before colon", (r, n) -> r.headers.add("X-Request-Id : abc")),
        m("no colon", (r, n) -> r.headers.add("X-Request-Id abc")),
        m("empty header name", (r, n) -> r.headers.add(": abc")),
        m("illegal header name", (r, n) -> r.headers.add("X(Bad)@\"{}: 1")),
        m("utf-8 header name", (r, n) -> r.headers.add(utf8("X-Ünïcode: 1"))),
        m("NUL in a value", (r, n) -> r.headers.add("X-Test: a\u0000b")),
        m("DEL and high bytes in a value", (r, n) -> r.headers.add("X-Test: \u007f\u0080\u00ff")),
        m("10 KB header", (r, n) -> r.headers.add("X-Big: " + "b".repeat(10 * 1024))),
        m("64 KB of headers", (r, n) -> {
          for (int i = 0; i < 64; i++) {
            r.headers.add("X-Pad-" + i + ": " + "p".repeat(1000));
          }
        }),
        m("200 headers", (r, n) -> {
          for (int i = 0; i < 200; i++) {
            r.headers.add("X-H" + i + ": v");
          }
        }),
        // Framing
        m("two different Content-Lengths", (r, n) -> r.headers.add("Content-Length: " + (r.body.length() + 1))),
        m("two equal Content-Lengths", (r, n) -> r.headers.add("Content-Length: " + r.body.length())),
        m("Content-Length and chunked", (r, n) -> {
          r.headers.add("Transfer-Encoding: chunked");
          r.body = Integer.toHexString(r.body.length()) + "\r\n" + r.body + "\r\n0\r\n\r\n";
        }),
        m("chunked", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: chunked");
          r.body = Integer.toHexString(r.body.length()) + "\r\n" + r.body + "\r\n0\r\n\r\n";
        }),
        m("Transfer-Encoding gzip", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: gzip");
        }),
        m("Transfer-Encoding chunked, chunked", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: chunked, chunked");
          r.body = "1\r\n{\r\n0\r\n\r\n";
        }),
        m("Transfer-Encoding identity", (r, n) -> r.headers.add("Transfer-Encoding: identity")),
        m("Transfer-Encoding xchunked", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: xchunked");
        }),
        m("chunk size not hex", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: chunked");
          r.body = "zz\r\n{}\r\n0\r\n\r\n";
        }),
        m("chunk size overflowing", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: chunked");
          r.body = "FFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n";
        }),
        m("chunk extension noise", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: chunked");
          r.body = "2;" + n + "\r\n{}\r\n0\r\n\r\n";
        }),
        m("chunk shorter than its size", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: chunked");
          r.body = "10\r\n{}\r\n0\r\n\r\n";
        }),
        m("chunk trailer noise", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: chunked");
          r.body = "2\r\n{}\r\n0\r\nX-Trailer: " + n + "\r\n\r\n";
        }),
        incomplete("chunked without the last chunk", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Transfer-Encoding: chunked");
          r.body = "2\r\n{}\r\n";
        }),
        m("Content-Length -1", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Content-Length: -1");
        }),
        m("Content-Length not a number", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Content-Length: abc");
        }),
        m("Content-Length +n", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Content-Length: +" + r.body.length());
        }),
        m("Content-Length overflowing", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Content-Length: 99999999999999999999999");
        }),
        m("Content-Length empty", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Content-Length:");
        }),
        m("Content-Length with noise", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Content-Length: " + r.body.length() + n);
        }),
        incomplete("Content-Length longer than the body", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Content-Length: " + (r.body.length() + 100));
        }),
        m("Content-Length shorter than the body", (r, n) -> {
          r.contentLength = false;
          r.headers.add("Content-Length: 3");
        }),
        m("body with noise", (r, n) -> {
          int middle = r.body.length() / 2;
          r.body = r.body.substring(0, middle) + n + r.body.substring(middle);
        }),
        // Host and target
        m("no Host", (r, n) -> r.replace("Host", null)),
        m("two Hosts", (r, n) -> r.headers.add("Host: evil.example")),
        m("Host with noise", (r, n) -> r.replace("Host", "Host: local" + n + "host")),
        m("empty Host", (r, n) -> r.replace("Host", "Host: ")),
        m("Host with a bad port", (r, n) -> r.replace("Host", "Host: localhost:99999")),
        m("absolute-form target", (r, n) -> r.target = "http://evil.example" + r.target),
        m("noise in the target", (r, n) -> r.target = r.target + n),
        m("target *", (r, n) -> r.target = "*"),
        m("empty target", (r, n) -> r.target = ""),
        m("target without a slash", (r, n) -> r.target = r.target.replaceFirst("^/", "")),
        m("target with raw utf-8", (r, n) -> r.target = "/v1/tasks/" + utf8("täsk") + "/cancel"),
        // Method and version
        m("lower-case method", (r, n) -> r.method = "post"),
        m("noise in the method", (r, n) -> r.method = "PO" + n + "ST"),
        m("unknown method", (r, n) -> r.method = "FROB"),
        m("1000-char method", (r, n) -> r.method = "M".repeat(1000)),
        m("HTTP/1.0", (r, n) -> r.version = "HTTP/1.0"),
        m("HTTP/1.2", (r, n) -> r.version = "HTTP/1.2"),
        m("HTTP/2.0", (r, n) -> r.version = "HTTP/2.0"),
        m("HTTP/3", (r, n) -> r.version = "HTTP/3"),
        m("lower-case version", (r, n) -> r.version = "http/1.1"),
        m("version with noise", (r, n) -> r.version = "HTTP/1.1" + n),
        m("no version", (r, n) -> {
          r.version = "";
          r.separator = " ";
        }),
        m("ICE/1.0", (r, n) -> r.version = "ICE/1.0"),
        m("two spaces between parts", (r, n) -> r.separator = "  "),
        m("tabs between parts", (r, n) -> r.separator = "\t"),
        m("empty lines first", (r, n) -> r.prefix = "\r\n\r\n"),
        m("noise first", (r, n) -> r.prefix = n),
        m("TLS ClientHello", (r, n) -> r.prefix = "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003"),
        // A server without HTTP/2 may close at once on its preface: an HTTP/2 client could not read a 400 anyway.
        incomplete("HTTP/2 preface", (r, n) -> r.prefix = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        // Everything else
        m("Expect 100-continue", (r, n) -> r.headers.add("Expect: 100-continue")),
        m("Expect something else", (r, n) -> r.headers.add("Expect: " + n + "x")),
        m("Upgrade h2c", (r, n) -> {
          r.replace("Connection", "Connection: Upgrade, HTTP2-Settings");
          r.headers.add("Upgrade: h2c");
          r.headers.add("HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA");
        }),
        m("keep-alive", (r, n) -> r.replace("Connection", "Connection: keep-alive")),
        m("pipelined second request", (r, n) -> r.suffix = SECOND_REQUEST),
        m("pipelined garbage", (r, n) -> r.suffix = n + "\r\n\r\n"),
        m("GET with a body", (r, n) -> {
          r.method = "GET";
          r.target = "/v1/tasks/unknown";
        }),
        incomplete("only the request line", (r, n) -> {
          r.headers.clear();
          r.headEnds = false;
        }),
        incomplete("head cut after a header", (r, n) -> {
          r.headers.add("X-Cut: " + n);
          r.headEnds = false;
        }));
    return Arbitraries.of(all).list().ofMinSize(1).ofMaxSize(3);
  }
}
