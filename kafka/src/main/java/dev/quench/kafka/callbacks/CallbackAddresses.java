package dev.quench.kafka.callbacks;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where a callback may be sent, so a task cannot make quench call into its own network (SSRF): an absolute
 * {@code https} URL ({@code http} only when allowed), without credentials, with a port from 1 to 65535 if any,
 * whose host resolves only to public addresses. Loopback, link-local, private (10/8, 172.16/12, 192.168/16,
 * fc00::/7, site-local fec0::/10), carrier-grade NAT (100.64/10), multicast, unspecified, reserved and cloud
 * metadata (169.254.169.254, fd00:ec2::254) addresses, and IPv6 forms carrying an IPv4 address (IPv4-compatible,
 * SIIT, NAT64, 6to4), are refused unless inside one of the allowed networks.
 *
 * <p>The api checks a URL when a task asks for it ({@link #check}); the deliverer checks it again when it sends
 * ({@link #resolve}) and connects to the address it checked, never resolving the name a second time, so a name that
 * resolves elsewhere by then (DNS rebinding) gains nothing. Every address a name resolves to must pass: a name with
 * one private address among public ones is refused, whichever one a client would pick.
 *
 * <p>Immutable and thread-safe.
 */
public final class CallbackAddresses {

  /** The longest URL a task may ask for. */
  public static final int MAX_URL_LENGTH = 2048;

  /** Refused address blocks, most specific first, so a refusal names the narrowest class. */
  private static final List<Denied> DENIED = List.of(
      new Denied("169.254.169.254/32", "a cloud metadata address"),
      new Denied("fd00:ec2::254/128", "a cloud metadata address"),
      new Denied("0.0.0.0/8", "unspecified"),
      new Denied("::/128", "unspecified"),
      new Denied("127.0.0.0/8", "loopback"),
      new Denied("::1/128", "loopback"),
      new Denied("169.254.0.0/16", "link-local"),
      new Denied("fe80::/10", "link-local"),
      new Denied("10.0.0.0/8", "private"),
      new Denied("172.16.0.0/12", "private"),
      new Denied("192.168.0.0/16", "private"),
      new Denied("fc00::/7", "private"),
      new Denied("100.64.0.0/10", "carrier-grade NAT"),
      new Denied("224.0.0.0/4", "multicast"),
      new Denied("ff00::/8", "multicast"),
      new Denied("240.0.0.0/4", "reserved"),
      // IPv6 forms that carry an IPv4 address a gateway would reach: judged as what they embed would be, by refusal.
      new Denied("64:ff9b::/96", "an IPv4 translation (NAT64) address"),
      new Denied("64:ff9b:1::/48", "an IPv4 translation (NAT64) address"),
      new Denied("::ffff:0:0:0/96", "an IPv4 translation (SIIT) address"),
      new Denied("::/96", "an IPv4-compatible address"),
      new Denied("2002::/16", "an IPv4 tunnel (6to4) address"),
      new Denied("fec0::/10", "site-local"));

  private record Denied(Cidr block, String what) {
    Denied(String cidr, String what) {
      this(Cidr.parse(cidr), what);
    }
  }

  /** Why a URL or an address is refused; the message is fit for the client. */
  public static class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /**
   * A URL that passed, with the address to connect to.
   *
   * @param uri     the URL
   * @param host    its host as written, for the {@code Host} header and TLS (SNI, certificate check)
   * @param address the checked address: connect to this one, never to a fresh resolution of {@code host}
   * @param port    the port, the scheme's default when the URL names none
   * @param https   whether to speak TLS
   */
  public record Target(URI uri, String host, InetAddress address, int port, boolean https) {

    /** The request target: path and query, {@code /} when empty. */
    public String pathAndQuery() {
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
  }

  /** A label WHATWG URL parsing takes for a number: decimal digits, or 0x and hex digits. */
  private static final Pattern NUMBER = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
  private static final Pattern DOTTED_QUAD = Pattern.compile(
      "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  private final boolean allowHttp;
  private final List<Cidr> allowed;
  private final Function<String, InetAddress[]> resolver;

  /**
   * @param allowHttp       whether plain {@code http} URLs are accepted (a local receiver in development)
   * @param allowedNetworks CIDR blocks (or single addresses) that are accepted even where a class above is refused
   */
  public CallbackAddresses(boolean allowHttp, List<String> allowedNetworks) {
    this(allowHttp, allowedNetworks, CallbackAddresses::lookUp);
  }

  /** With {@code resolver} in place of DNS: for tests, which must not depend on what a name resolves to today. */
  CallbackAddresses(boolean allowHttp, List<String> allowedNetworks, Function<String, InetAddress[]> resolver) {
    this.allowHttp = allowHttp;
    this.allowed = allowedNetworks == null ? List.of()
        : allowedNetworks.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    this.resolver = resolver;
  }

  public boolean allowHttp() {
    return allowHttp;
  }

  /** Checks {@code url} as a task asks for it: its form, and every address its host resolves to now. */
  public URI check(String url) throws Refused {
    return resolve(url).uri();
  }

  /**
   * Checks {@code url} and resolves its host once: the target holds the address to connect to. A name that does not
   * resolve is refused too ({@link Unresolved}), which a caller may take as worth retrying later.
   */
  public Target resolve(String url) throws Refused {
    URI uri = parse(url);
    boolean https = uri.getScheme().equalsIgnoreCase("https");
    String host = uri.getHost();
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses = resolver.apply(literal);
    if (addresses == null || addresses.length == 0) {
      throw new Unresolved("callback.url: host '" + host + "' does not resolve");
    }
    for (InetAddress address : addresses) {
      refuseIfDenied(host, address);
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    return new Target(uri, literal, addresses[0], port, https);
  }

  /** A host that did not resolve: refused now, but it may resolve later. */
  public static final class Unresolved extends Refused {
    Unresolved(String message) {
      super(message);
    }
  }

  /** Refuses {@code address} unless it is public or inside an allowed network. */
  public void requireAllowed(InetAddress address) throws Refused {
    refuseIfDenied(address.getHostAddress(), address);
  }

  private void refuseIfDenied(String host, InetAddress address) throws Refused {
    for (Cidr block : allowed) {
      if (block.contains(address)) {
        return;
      }
    }
    for (Denied denied : DENIED) {
      if (denied.block().contains(address)) {
        String shown = host.equals(address.getHostAddress()) ? host : host + " (" + address.getHostAddress() + ")";
        throw new Refused("callback.url: " + shown + " is " + denied.what() + "; callbacks go to public addresses "
            + "only (quench.callbacks.allowed-networks lists exceptions)");
      }
    }
  }

  private URI parse(String url) throws Refused {
    if (url == null || url.isBlank()) {
      throw new Refused("callback.url is required");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw new Refused("callback.url may have at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Refused("callback.url is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new Refused("callback.url must be an absolute https URL");
    }
    if (scheme.equals("http") && !allowHttp) {
      throw new Refused("callback.url must use https (plain http is allowed only where "
          + "quench.callbacks.allow-http is set)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new Refused("callback.url must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      // Credentials in a URL would be written to the log and shown in every view of the task.
      throw new Refused("callback.url must not carry credentials; callbacks are signed instead");
    }
    // URI takes any port number that fits an int, and 0; neither is a port anything listens on.
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      throw new Refused("callback.url: port " + uri.getPort() + " is out of range (1 to 65535)");
    }
    requireDnsName(uri.getHost());
    return uri;
  }

  /**
   * A name the resolver can be asked for: labels of 1 to 63 characters, 253 in all (RFC 1035). URI takes longer
   * ones, which IDN refuses with an unchecked exception (and a resolver would never find).
   */
  private static void requireDnsName(String host) throws Refused {
    if (host.startsWith("[")) {
      return; // an IPv6 literal, which URI has checked
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String last = name.substring(name.lastIndexOf('.') + 1);
    if (NUMBER.matcher(last).matches() && !DOTTED_QUAD.matcher(name).matches()) {
      // A URL whose host ends in a number is an IPv4 address to browsers, curl and WHATWG URL parsers, which read
      // 0177.0.0.1 as octal (127.0.0.1), 0x7f.1 as hex, 127.1 as 127.0.0.1; Java reads some of them as decimal or as
      // names. Only the one form everyone reads alike is taken.
      throw new Refused("callback.url: host '" + host + "' is an IPv4 address in a form other software reads "
          + "differently (octal, hex, or fewer than four parts); write it as four decimal numbers");
    }
    if (name.length() > 253) {
      throw new Refused("callback.url: the host name is longer than 253 characters");
    }
    try {
      if (!IDN.toASCII(name).equals(name)) {
        throw new Refused("callback.url must name its host in ASCII (punycode)");
      }
    } catch (IllegalArgumentException e) {
      throw new Refused("callback.url: the host name is not a DNS name (each label 1 to 63 characters)");
    }
  }

  private static InetAddress[] lookUp(String host) {
    try {
      return InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return new InetAddress[0];
    }
  }
}
