package dev.quench.callbacks.delivery;

import dev.quench.events.CallbackSchedule.Result;
import dev.quench.kafka.callbacks.CallbackAddresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * POSTs one callback over HTTP/1.1 and reports what came of it, written on a plain socket so that the address
 * connected to is the one {@link CallbackAddresses} checked: the URL's host is resolved once, by the check, and the
 * name is used after that only for the {@code Host} header and TLS (SNI and the certificate's name). Redirects are
 * never followed (there is nothing here that could follow one). At most {@code maxResponse} bytes of the answer are
 * read, status line and headers included; its body is never kept beyond a short excerpt for the error.
 *
 * <p>Thread-safe: every send has its own connection ({@code Connection: close}).
 */
final class WebhookSender {

  private static final int ERROR_EXCERPT = 200;

  private final CallbackAddresses addresses;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxResponse;
  private final SSLSocketFactory tls;

  WebhookSender(CallbackAddresses addresses, Duration connectTimeout, Duration readTimeout, int maxResponse,
                SSLSocketFactory tls) {
    this.addresses = addresses;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.maxResponse = maxResponse;
    this.tls = tls;
  }

  Result send(String url, Map<String, String> headers, byte[] body) {
    CallbackAddresses.Target target;
    try {
      target = addresses.resolve(url);
    } catch (CallbackAddresses.Unresolved e) {
      return Result.transientError(e.getMessage());
    } catch (CallbackAddresses.Refused e) {
      return Result.permanentError(e.getMessage());
    }
    long deadline = System.nanoTime() + readTimeout.toNanos();
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress(target.address(), target.port()), (int) connectTimeout.toMillis());
      } catch (SocketTimeoutException e) {
        return Result.transientError("connect timed out after " + connectTimeout.toMillis() + " ms");
      } catch (ConnectException e) {
        return Result.transientError("connection refused");
      }
      socket.setSoTimeout((int) Math.max(1, readTimeout.toMillis()));
      Socket channel = target.https() ? handshake(socket, target) : socket;
      OutputStream out = channel.getOutputStream();
      out.write(head(target, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(channel, deadline);
    } catch (SocketTimeoutException e) {
      return Result.transientError("no answer within " + readTimeout.toMillis() + " ms");
    } catch (SSLException e) {
      return Result.transientError("TLS failed: " + e.getMessage());
    } catch (IOException e) {
      return Result.transientError("connection failed: " + e.getMessage());
    }
  }

  private Socket handshake(Socket socket, CallbackAddresses.Target target) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.createSocket(socket, target.host(), target.port(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    // The certificate must name the host of the URL, though the connection went to the checked address.
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (!target.host().matches("[0-9.]+") && !target.host().contains(":")) {
      parameters.setServerNames(List.of(new SNIHostName(target.host())));
    }
    ssl.setSSLParameters(parameters);
    ssl.startHandshake();
    return ssl;
  }

  private static String head(CallbackAddresses.Target target, Map<String, String> headers, int length) {
    String host = target.address() instanceof Inet6Address && target.host().contains(":") ? "[" + target.host() + "]"
        : target.host();
    boolean defaultPort = target.port() == (target.https() ? 443 : 80);
    StringBuilder head = new StringBuilder("POST ").append(target.pathAndQuery()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(defaultPort ? "" : ":" + target.port()).append("\r\n")
        .append("User-Agent: quench-callbacks\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Content-Length: ").append(length).append("\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    return head.append("\r\n").toString();
  }

  /** The status and {@code Retry-After} of the answer, from at most {@code maxResponse} bytes of it. */
  private Result read(Socket channel, long deadline) throws IOException {
    InputStream in = channel.getInputStream();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    int headEnd = -1;
    while (seen.size() < maxResponse) {
      if (System.nanoTime() > deadline) {
        // A receiver that trickles bytes must not hold a sender past the timeout either.
        throw new SocketTimeoutException();
      }
      int n = in.read(buffer, 0, Math.min(buffer.length, maxResponse - seen.size()));
      if (n < 0) {
        break;
      }
      seen.write(buffer, 0, n);
      headEnd = indexOf(seen.toByteArray(), "\r\n\r\n");
      if (headEnd >= 0 && seen.size() - headEnd - 4 >= ERROR_EXCERPT) {
        break;
      }
    }
    String text = seen.toString(StandardCharsets.ISO_8859_1);
    int lineEnd = text.indexOf("\r\n");
    String statusLine = lineEnd < 0 ? text : text.substring(0, lineEnd);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
      return Result.transientError("not an HTTP answer" + (headEnd < 0 && seen.size() >= maxResponse
          ? " within " + maxResponse + " bytes" : ""));
    }
    int status = Integer.parseInt(parts[1]);
    String headers = headEnd < 0 ? text.substring(Math.max(0, lineEnd)) : text.substring(lineEnd, headEnd);
    Duration retryAfter = retryAfter(headers);
    Result result = Result.status(status, retryAfter);
    if (status >= 300 && headEnd >= 0) {
      String excerpt = text.substring(headEnd + 4).replaceAll("[^\\x20-\\x7e]", " ").strip();
      if (!excerpt.isEmpty()) {
        return new Result(status, excerpt.length() > ERROR_EXCERPT ? excerpt.substring(0, ERROR_EXCERPT) + "…"
            : excerpt, retryAfter, false);
      }
    }
    return result;
  }

  /** {@code Retry-After} in seconds or as an HTTP date, or null. */
  static Duration retryAfter(String headers) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0 || !line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("retry-after")) {
        continue;
      }
      String value = line.substring(colon + 1).trim();
      if (value.matches("[0-9]{1,9}")) {
        return Duration.ofSeconds(Long.parseLong(value));
      }
      try {
        Duration until = Duration.between(Instant.now(),
            ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  private static int indexOf(byte[] bytes, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
    outer:
    for (int i = 0; i + n.length <= bytes.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (bytes[i + j] != n[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
