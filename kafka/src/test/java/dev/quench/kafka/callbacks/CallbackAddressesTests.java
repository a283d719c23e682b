package dev.quench.kafka.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallbackAddressesTests {

  private final CallbackAddresses strict = new CallbackAddresses(false, List.of());

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource({
      "127.0.0.1, loopback", "127.8.9.10, loopback", "[::1], loopback",
      "169.254.10.20, link-local", "[fe80::1], link-local",
      "10.1.2.3, private", "172.16.5.5, private", "172.31.255.255, private", "192.168.1.1, private",
      "[fc00::1], private", "[fd12:3456::1], private",
      "224.0.0.1, multicast", "239.255.255.250, multicast", "[ff02::1], multicast",
      "0.0.0.0, unspecified", "[::], unspecified",
      "100.64.0.1, carrier-grade NAT", "100.127.255.254, carrier-grade NAT",
      "169.254.169.254, cloud metadata", "[fd00:ec2::254], cloud metadata",
      "[::ffff:10.0.0.1], private", "255.255.255.255, reserved",
      "[::127.0.0.1], IPv4-compatible", "[::10.0.0.1], IPv4-compatible",
      "[::ffff:0:127.0.0.1], IPv4 translation", "[64:ff9b:1::a00:1], IPv4 translation", "[fec0::1], site-local"})
  void everyNonPublicAddressClassIsRefused(String host, String what) {
    assertThatThrownBy(() -> strict.check("https://" + host + "/hook"))
        .isInstanceOf(CallbackAddresses.Refused.class).hasMessageContaining(what);
  }

  @Test
  void publicAddressesPass() throws Exception {
    for (String host : List.of("93.184.216.34", "172.32.0.1", "100.128.0.1", "[2606:4700::1111]")) {
      assertThat(strict.check("https://" + host + "/hook?x=1").getHost()).isEqualTo(host);
    }
  }

  @Test
  void aNameResolvingToLoopbackIsRefused() {
    assertThatThrownBy(() -> strict.check("https://localhost:8443/hook"))
        .isInstanceOf(CallbackAddresses.Refused.class).hasMessageContaining("localhost (")
        .hasMessageContaining("loopback");
  }

  @Test
  void aNameWithOnePrivateAddressAmongPublicOnesIsRefused() {
    CallbackAddresses policy = new CallbackAddresses(false, List.of(), resolving(Map.of("mixed.example",
        List.of("93.184.216.34", "10.0.0.7"))));

    assertThatThrownBy(() -> policy.check("https://mixed.example/"))
        .hasMessageContaining("mixed.example (10.0.0.7) is private");
  }

  @Test
  void theTargetIsTheAddressThatWasChecked() throws Exception {
    CallbackAddresses policy = new CallbackAddresses(false, List.of(), resolving(Map.of("hooks.example",
        List.of("93.184.216.34"))));

    CallbackAddresses.Target target = policy.resolve("https://hooks.example/a/b?c=d");

    assertThat(target.address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThat(target.host()).isEqualTo("hooks.example");
    assertThat(target.port()).isEqualTo(443);
    assertThat(target.https()).isTrue();
    assertThat(target.pathAndQuery()).isEqualTo("/a/b?c=d");
  }

  @Test
  void aNameThatDoesNotResolveIsRefusedAsUnresolved() {
    CallbackAddresses policy = new CallbackAddresses(false, List.of(), resolving(Map.of()));

    assertThatThrownBy(() -> policy.check("https://nowhere.example/"))
        .isInstanceOf(CallbackAddresses.Unresolved.class).hasMessageContaining("does not resolve");
  }

  @Test
  void plainHttpOnlyWhereAllowed() throws Exception {
    assertThatThrownBy(() -> strict.check("http://93.184.216.34/")).hasMessageContaining("must use https");
    assertThat(new CallbackAddresses(true, List.of()).check("http://93.184.216.34/")).isNotNull();
  }

  @Test
  void anAllowedNetworkLetsItsAddressesThrough() throws Exception {
    CallbackAddresses local = new CallbackAddresses(true, List.of("127.0.0.0/8", "fd00:1::/32"));

    assertThat(local.check("http://127.0.0.1:9000/hook")).isNotNull();
    assertThat(local.check("http://localhost:9000/hook")).isNotNull();
    assertThat(local.check("https://[fd00:1::5]/")).isNotNull();
    assertThatThrownBy(() -> local.check("http://10.0.0.1/")).hasMessageContaining("private");
  }

  @Test
  void malformedOrUnsafeUrlsAreRefused() {
    for (String url : List.of("", "hooks.example/x", "/relative", "ftp://93.184.216.34/", "https:///nohost",
        "https://user:pw@93.184.216.34/", "https://93.184.216.34/" + "x".repeat(CallbackAddresses.MAX_URL_LENGTH),
        "https://exa mple.com/")) {
      assertThatThrownBy(() -> strict.check(url)).as(url).isInstanceOf(CallbackAddresses.Refused.class);
    }
  }

  /** Found by the api's hostile-input run: a label URI takes but IDN refuses threw instead of being refused. */
  @Test
  void aHostNameNoResolverCouldAskForIsRefusedNotThrown() {
    for (String host : List.of("a".repeat(64) + ".example", ("a".repeat(63) + ".").repeat(4) + "example",
        "xn--a.example.")) {
      assertThatThrownBy(() -> strict.check("https://" + host + "/hook")).as(host)
          .isInstanceOf(CallbackAddresses.Refused.class);
    }
  }

  /**
   * Found by the api's hostile-input run: 0177.0.0.1 passed as the public 177.0.0.1, while browsers and curl read it
   * as octal, 127.0.0.1; every IPv4 form but four decimal numbers is refused.
   */
  @Test
  void anIpv4AddressInAnyFormButFourDecimalNumbersIsRefused() throws Exception {
    for (String host : List.of("0177.0.0.1", "0177.0.0.01", "93.184.216.034", "0x7f000001", "0x7f.0.0.1",
        "2130706433", "1572395042", "127.1", "93.1", "0", "1.2.3.4.5", "a.0x10", "a.b.9", "256.1.1.1")) {
      assertThatThrownBy(() -> strict.check("https://" + host + "/hook")).as(host)
          .isInstanceOf(CallbackAddresses.Refused.class);
    }
    assertThat(strict.check("https://93.184.216.34/hook")).isNotNull();
  }

  /** Found by the api's hostile-input run: URI takes any int as a port, so 0 and 99999 passed the checks. */
  @Test
  void aPortOutOfRangeIsRefused() throws Exception {
    for (String port : List.of("0", "00", "65536", "99999", "2147483647")) {
      assertThatThrownBy(() -> strict.check("https://93.184.216.34:" + port + "/hook")).as(port)
          .isInstanceOf(CallbackAddresses.Refused.class).hasMessageContaining("out of range");
    }
    assertThat(strict.resolve("https://93.184.216.34:65535/hook").port()).isEqualTo(65535);
    assertThat(strict.resolve("https://93.184.216.34:1/hook").port()).isEqualTo(1);
  }

  @Test
  void allowedNetworksMustBeAddressBlocksNotNames() {
    assertThatThrownBy(() -> new CallbackAddresses(false, List.of("intranet.example/8")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CallbackAddresses(false, List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static java.util.function.Function<String, InetAddress[]> resolving(Map<String, List<String>> names) {
    return host -> names.getOrDefault(host, List.of()).stream().map(a -> {
      try {
        return InetAddress.getByName(a);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }).toArray(InetAddress[]::new);
  }
}
