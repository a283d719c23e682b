package dev.quench.api;

import static dev.quench.api.HostileApi.errorCode;
import static dev.quench.api.HostileApi.errorField;
import static dev.quench.api.HostileApi.post;
import static dev.quench.api.HostileJson.fieldNames;
import static dev.quench.api.HostileJson.jsonString;
import static dev.quench.api.HostileJson.jsonValues;
import static dev.quench.api.RawHttp.visible;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.RawHttp.Response;
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
 * Hostile callback URLs on both creates ({@code POST /v1/tasks} and {@code POST /scout/v1/tasks}): every URL that is
 * not https, carries credentials, names a port out of range, or reaches a loopback, private, link-local, multicast,
 * metadata or otherwise non-public address (in any spelling: IPv6 literals, IPv4 inside IPv6, zones), and garbage,
 * huge and unicode URLs, is a 422 {@code invalid_callback_url} naming {@code callback.url}; nothing is a 5xx.
 * Hosts are address literals, {@code localhost} or names under {@code .invalid} (RFC 6761), so no test waits on a
 * DNS server.
 */
class HostileInputCallbacksIntegrationTests {

  private static final int MIN_REQUESTS = 1_200;

  private static HostileApi api;

  @BeforeContainer
  static void startOneApi() {
    api = HostileApi.start("hostile-callbacks");
  }

  @AfterContainer
  static void stopTheApi() {
    if (api != null) {
      api.closeAfter(MIN_REQUESTS);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Properties

  @Property(tries = 900)
  void everyCallbackUrlIsTakenOrRefusedNamingCallbackUrl(@ForAll("urls") Url url, @ForAll boolean scout) {
    String callback = "\"callback\":{\"url\":" + jsonString(url.text()) + "}";
    Response response = api.send(scout
        ? post("/scout/v1/tasks", "{\"task\":\"hostile\",\"processor\":\"core\"," + callback + "}")
        : post("/v1/tasks", "{\"capability\":\"echo\"," + callback + "}"));
    String context = url + "\n" + response;
    Statistics.label("answer").collect(response.status());
    if (url.mustBeRefused() || response.status() != (scout ? 200 : 202)) {
      assertThat(response.status()).as(context).isEqualTo(422);
      assertThat(errorCode(response)).as(context).isEqualTo("invalid_callback_url");
      assertThat(errorField(response)).as(context).isEqualTo("callback.url");
    }
  }

  @Property(tries = 300)
  void callbackMembersOfAnyShapeAreRefusedNamingTheMember(@ForAll("callbacks") String callback,
                                                          @ForAll boolean scout) {
    Response response = api.send(scout
        ? post("/scout/v1/tasks", "{\"task\":\"hostile\",\"callback\":" + callback + "}")
        : post("/v1/tasks", "{\"capability\":\"echo\",\"callback\":" + callback + "}"));
    if (response.status() == 422 && "invalid_callback_url".equals(errorCode(response))) {
      assertThat(errorField(response)).as(response.toString()).startsWith("callback");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Known spellings of addresses a callback must never reach

  @Example
  void everySpellingOfANonPublicAddressIsRefused() {
    for (String host : new String[] {"127.0.0.1", "127.1.2.3", "[::1]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]", "[::127.0.0.1]", "[::ffff:0:127.0.0.1]", "[64:ff9b::127.0.0.1]", "[2002:7f00:1::]",
        "2130706433", "0.0.0.0", "[::]", "169.254.169.254", "[::ffff:169.254.169.254]", "[fd00:ec2::254]",
        "10.0.0.1", "172.16.0.1", "192.168.0.1", "[fc00::1]", "[fe80::1]", "[fe80::1%25eth0]", "100.64.0.1",
        "224.0.0.1", "[ff02::1]", "240.0.0.1", "255.255.255.255", "localhost", "LOCALHOST", "localhost.",
        "[fec0::1]"}) {
      String url = "https://" + host + "/hook";
      Response response = api.send(post("/v1/tasks", "{\"capability\":\"echo\",\"callback\":{\"url\":"
          + jsonString(url) + "}}"));
      assertThat(response.status()).as(url + "\n" + response).isEqualTo(422);
      assertThat(errorField(response)).as(url).isEqualTo("callback.url");
    }
  }

  @Example
  void aPublicHttpsAddressIsTaken() {
    for (String url : new String[] {"https://93.184.216.34/hook", "https://[2606:4700::1111]:8443/a?b=c",
        "https://1.1.1.1:65535/"}) {
      Response response = api.send(post("/v1/tasks", "{\"capability\":\"echo\",\"callback\":{\"url\":"
          + jsonString(url) + "}}"));
      assertThat(response.status()).as(url + "\n" + response).isEqualTo(202);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Generators

  /** A callback URL and whether the address rules must refuse it, whatever else is wrong with it. */
  record Url(String text, boolean mustBeRefused, String why) {
    @Override
    public String toString() {
      return visible(text) + (mustBeRefused ? " (must be refused: " + why + ")" : "");
    }
  }

  private record Part(String text, String refusal) {
  }

  private static Arbitrary<Part> ok(String... texts) {
    return Arbitraries.of(texts).map(t -> new Part(t, null));
  }

  private static Arbitrary<Part> refused(String why, String... texts) {
    return Arbitraries.of(texts).map(t -> new Part(t, why));
  }

  @Provide
  Arbitrary<Url> urls() {
    Arbitrary<Part> scheme = Arbitraries.frequencyOf(
        Tuple.of(6, ok("https://")),
        Tuple.of(1, ok("HTTPS://", "hTtPs://")),
        Tuple.of(3, refused("not https", "http://", "ftp://", "file://", "gopher://", "javascript:", "https:/",
            "https:", "//", "", "https:\\\\", "ws://", "data:", "https ://", " https://", "h\u0000ttps://")));
    Arbitrary<Part> userinfo = Arbitraries.frequencyOf(
        Tuple.of(8, ok("")),
        Tuple.of(2, refused("credentials", "user@", "user:pass@", ":@", "@", "%40@", "93.184.216.34@",
            "a:b:c@", "user%3Apass@", "\u00e9@")));
    Arbitrary<Part> publicHost = ok("93.184.216.34", "1.1.1.1", "[2606:4700::1111]", "[2001:4860:4860::8888]",
        "[::ffff:93.184.216.34]");
    Arbitrary<Part> privateHost = refused("not public", "127.0.0.1", "127.255.255.254", "[::1]", "0.0.0.0",
        "[::]", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.0.1", "169.254.169.254",
        "100.64.0.1", "224.0.0.251", "239.255.255.250", "240.0.0.1", "255.255.255.255", "[fe80::1]",
        "[fe80::1%25eth0]", "[fe80::1%eth0]", "[fc00::1]", "[fd00:ec2::254]", "[ff02::1]", "[ff05::1:3]",
        "[::ffff:127.0.0.1]", "[::ffff:10.0.0.1]", "[::ffff:169.254.169.254]", "[::ffff:7f00:1]",
        "[::127.0.0.1]", "[::ffff:0:127.0.0.1]", "[64:ff9b::a00:1]", "[64:ff9b::127.0.0.1]", "[2002:a00:1::]",
        "[0:0:0:0:0:0:0:1]", "[0000:0000:0000:0000:0000:0000:0000:0001]", "[fec0::1]", "2130706433", "0x7f000001",
        "017700000001", "0177.0.0.1", "127.1", "127.0.1", "0", "localhost", "LocalHost", "localhost.",
        "a.localhost", "hooks.invalid", "x.y.invalid", "metadata.google.internal.invalid", "xn--bcher-kva.invalid");
    Arbitrary<Part> garbageHost = refused("no usable host", "", "[", "]", "[::1", "::1", "[::1]]", "[v1.x]",
        "[::g]", "[1::2::3]", "1.2.3.4.5", "256.256.256.256", "-a-.invalid", "a..b", ".", "..", "a_b.invalid",
        "%31%32%37.0.0.1", "b\u00fccher.invalid", "\u0440\u0444.invalid", "\u24b6.invalid", "\uff41.invalid",
        "a b.invalid", "a\u0000b.invalid", "exa\tmple.invalid", "*.invalid", "a%2Fb.invalid",
        "a".repeat(64) + ".invalid", ("a".repeat(63) + ".").repeat(5) + "invalid", "xn--.invalid",
        "xn--zz.invalid", "\u202e.invalid", "[::ffff:256.0.0.1]", "1.2.3.04");
    Arbitrary<Part> host = Arbitraries.frequencyOf(Tuple.of(3, publicHost), Tuple.of(5, privateHost),
        Tuple.of(3, garbageHost));
    Arbitrary<Part> port = Arbitraries.frequencyOf(
        // An empty port is the scheme's default (RFC 3986).
        Tuple.of(6, ok("", ":443", ":8443", ":1", ":65535", ":")),
        Tuple.of(3, refused("port out of range", ":0", ":65536", ":99999", ":2147483647", ":2147483648",
            ":99999999999999999999", ":-1", ":00000")),
        Tuple.of(1, refused("no port number", ":abc", ":443:443", ":\u0661\u0662", ":+443", ": 443")));
    Arbitrary<String> rest = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of("/hook", "/", "", "/a/b?c=d&e", "/%2e%2e/", "/?x=1#frag", "#", "?")),
        Tuple.of(2, Arbitraries.of("/ space", "/\u00e9", "/\u0000", "/%", "/%zz", "/\r\nX-Injected: 1", "/<>",
            "/" + "p".repeat(2100), "/" + "p".repeat(100_000), "\\evil.invalid", "/\ud800")),
        Tuple.of(1, Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(20)));
    Arbitrary<Url> composed = Combinators.combine(scheme, userinfo, host, port, rest).as((s, u, h, p, r) -> {
      String why = s.refusal() != null ? s.refusal() : u.refusal() != null ? u.refusal()
          : h.refusal() != null ? h.refusal() : p.refusal();
      return new Url(s.text() + u.text() + h.text() + p.text() + r, why != null, why);
    });
    Arbitrary<Url> garbage = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60),
        Arbitraries.of(" ", "https://", "https:///", "https://?", "https://#", "https://@", "https://:443",
            "https://[]", "\u0000", "\ufeffhttps://93.184.216.34/", "https://93.184.216.34\u0000.invalid/",
            "https://93.184.216.34%00/", "https://93.184.216.34%2F@127.0.0.1/", "https://127.0.0.1\\@93.184.216.34/",
            "https://" + "a".repeat(3000) + ".invalid/"))
        .map(t -> new Url(t, true, "not a URL to a public address"));
    return Arbitraries.frequencyOf(Tuple.of(6, composed), Tuple.of(1, garbage));
  }

  @Provide
  Arbitrary<String> callbacks() {
    Arbitrary<String> url = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("\"https://93.184.216.34/\"")),
        Tuple.of(3, jsonValues()));
    Arbitrary<String> members = Combinators.combine(url.injectNull(0.2),
        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, Combinators.combine(
            fieldNames("URL", "url ", "secret", "headers", "method"), jsonValues()).as(HostileJson::member))))
        .as((u, x) -> HostileJson.object(java.util.List.of(HostileJson.member("url", u), x)));
    return Arbitraries.frequencyOf(Tuple.of(4, members), Tuple.of(1, jsonValues()));
  }
}
