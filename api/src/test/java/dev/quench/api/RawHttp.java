package dev.quench.api;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP/1.1 spoken byte by byte over a plain socket. {@code java.net.http.HttpClient} refuses what a hostile client
 * sends anyway (CR/LF or raw bytes in headers, broken framing, any method, any request target), so tests of what the
 * api does with such input need a client that sends exactly the bytes it is given. One instance is one keep-alive
 * connection, reopened whenever the server closes it. A live stream (a 2xx {@code text/event-stream} answer) never ends
 * on its own: only its head and its first bytes are read, and the connection is closed after them.
 */
final class RawHttp implements Closeable {

  private static final int TIMEOUT_MS = 20_000;
  /** Bodies larger than this are written on another thread, so an early answer (a 413) is read while writing. */
  private static final int WRITE_ASIDE = 64 * 1024;
  private static final int MAX_LINE = 64 * 1024;
  private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "raw-http-writer");
    t.setDaemon(true);
    return t;
  });

  /** A header as sent or received; each char of a value is one byte on the wire (ISO-8859-1). */
  record Header(String name, String value) {
    @Override
    public String toString() {
      return visible(name) + ": " + visible(value);
    }
  }

  /** How a request's body is delimited. */
  enum Framing { NONE, LENGTH, CHUNKED }

  /**
   * A request as it goes on the wire. Method, target and header values are byte strings (one char, one byte), so a
   * test can put any byte anywhere; use {@link #utf8} for text. A {@code Host} header is added unless one is given;
   * {@code Content-Length} or {@code Transfer-Encoding} follow {@code framing} unless given.
   */
  record Request(String method, String target, List<Header> headers, byte[] body, Framing framing) {

    static Request of(String method, String target, List<Header> headers, String body) {
      return new Request(method, target, headers, body == null ? null : body.getBytes(UTF_8),
          body == null ? Framing.NONE : Framing.LENGTH);
    }

    boolean isHead() {
      return method.equals("HEAD");
    }

    boolean hasHeader(String name) {
      return headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(name));
    }

    byte[] bytes(int port) {
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      if (!hasHeader("Host")) {
        head.append("Host: localhost:").append(port).append("\r\n");
      }
      for (Header h : headers) {
        head.append(h.name()).append(": ").append(h.value()).append("\r\n");
      }
      byte[] payload = body == null ? new byte[0] : body;
      if (framing == Framing.LENGTH && !hasHeader("Content-Length")) {
        head.append("Content-Length: ").append(payload.length).append("\r\n");
      }
      if (framing == Framing.CHUNKED && !hasHeader("Transfer-Encoding")) {
        head.append("Transfer-Encoding: chunked\r\n");
      }
      head.append("\r\n");
      ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + head.length() + 64);
      out.writeBytes(head.toString().getBytes(ISO_8859_1));
      if (framing == Framing.CHUNKED) {
        // Uneven chunks, so a reader cannot rely on chunk boundaries lining up with anything.
        int chunk = 7919;
        for (int at = 0; at < payload.length; at += chunk) {
          int n = Math.min(chunk, payload.length - at);
          out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
          out.write(payload, at, n);
          out.writeBytes("\r\n".getBytes(ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
      } else if (framing == Framing.LENGTH) {
        out.writeBytes(payload);
      }
      return out.toByteArray();
    }

    /** What jqwik prints for a failing or shrunk request: readable, escaped, long bodies elided. */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(visible(method)).append(' ').append(visible(target));
      headers.forEach(h -> s.append("\n  ").append(h));
      if (body != null) {
        s.append("\n  [").append(framing).append(", ").append(body.length).append(" bytes] ").append(preview(body));
      }
      return s.toString();
    }
  }

  /**
   * A response: status, headers in order (names as sent), and the body; of a live stream ({@code live}) only the
   * first bytes the server sent, the stream left unread after them.
   */
  record Response(int status, List<Header> headers, byte[] body, boolean live) {

    Response(int status, List<Header> headers, byte[] body) {
      this(status, headers, body, false);
    }

    List<String> values(String name) {
      return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
    }

    String header(String name) {
      List<String> values = values(name);
      return values.isEmpty() ? null : values.get(0);
    }

    String text() {
      return new String(body, UTF_8);
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder().append(status).append(live ? " (live stream, first bytes)" : "");
      headers.forEach(h -> s.append("\n  ").append(h));
      return s.append("\n  ").append(preview(body)).toString();
    }
  }

  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawHttp(int port) {
    this.port = port;
  }

  /**
   * Sends the request on the kept-alive connection and reads the answer. A connection the server closed while idle
   * is reopened once, as any client does; a fresh connection closed without an answer is an error.
   */
  Response send(Request request) throws IOException {
    byte[] bytes = request.bytes(port);
    for (int attempt = 0; ; attempt++) {
      boolean reused = socket != null;
      if (socket == null) {
        open();
      }
      try {
        return exchange(bytes, request.isHead(), request.hasHeader("Connection"));
      } catch (StaleConnection e) {
        close();
        if (!reused || attempt > 0) {
          throw new IOException("the server closed the connection without answering", e.getCause());
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }
  }

  private Response exchange(byte[] bytes, boolean head, boolean mayClose) throws IOException {
    Future<?> writing = null;
    IOException writeFailure = null;
    try {
      if (bytes.length <= WRITE_ASIDE) {
        out.write(bytes);
        out.flush();
      } else {
        OutputStream o = out;
        writing = WRITERS.submit(() -> {
          o.write(bytes);
          o.flush();
          return null;
        });
      }
    } catch (IOException e) {
      // The server may have answered and closed already; what it answered is still to be read.
      writeFailure = e;
    }
    Response response;
    try {
      response = read(in, head, false);
    } catch (EOFException | SocketException e) {
      if (e instanceof EOFException && "before".equals(e.getMessage()) || e instanceof SocketException) {
        throw new StaleConnection(writeFailure != null ? writeFailure : e);
      }
      throw e;
    }
    boolean keep = !response.live() && !mayClose && writeFailure == null && !"close".equalsIgnoreCase(response.header("Connection"))
        && (response.header("Content-Length") != null || response.header("Transfer-Encoding") != null || head
        || response.status() == 204 || response.status() == 304);
    if (writing != null) {
      try {
        writing.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        keep = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        keep = false;
      } catch (TimeoutException e) {
        writing.cancel(true);
        keep = false;
      }
    }
    if (!keep) {
      close();
    }
    return response;
  }

  private void open() throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("localhost", port), TIMEOUT_MS);
    socket.setSoTimeout(TIMEOUT_MS);
    socket.setTcpNoDelay(true);
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    out = socket.getOutputStream();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a socket the server already closed: nothing to do.
      }
      socket = null;
    }
  }

  /**
   * Sends {@code bytes} on a connection of their own, half-closes it (so the server never waits for more) and reads
   * every answer until the server closes. An empty list means the server closed without answering.
   */
  static List<Response> oneShot(int port, byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("localhost", port), TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      InputStream in = new BufferedInputStream(s.getInputStream());
      try {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        s.shutdownOutput();
      } catch (IOException e) {
        // The server refused the rest of the bytes and closed: read what it said before.
      }
      List<Response> responses = new ArrayList<>();
      while (true) {
        try {
          Response response = read(in, false, true);
          responses.add(response);
          if (response.live()) {
            return responses;
          }
        } catch (EOFException e) {
          if ("before".equals(e.getMessage())) {
            return responses;
          }
          throw e;
        } catch (SocketException e) {
          // A reset after the answers were read (unread request bytes on the server's side): the answers count.
          if (responses.isEmpty()) {
            throw e;
          }
          return responses;
        }
      }
    }
  }

  /**
   * Reads one response, skipping interim 1xx ones. EOF before its first byte is {@code EOFException("before")}. With
   * {@code http09}, an answer without a status line (the server took the request for HTTP/0.9, having found no
   * version in it) is read as status 0, no headers, and everything up to the close as the body.
   */
  static Response read(InputStream in, boolean head, boolean http09) throws IOException {
    while (true) {
      in.mark(5);
      byte[] start = in.readNBytes(5);
      in.reset();
      if (start.length == 0) {
        throw new EOFException("before");
      }
      if (http09 && !new String(start, ISO_8859_1).equals("HTTP/")) {
        return new Response(0, List.of(), in.readAllBytes());
      }
      String statusLine = line(in, true);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP response: " + visible(statusLine));
      }
      int status = Integer.parseInt(parts[1]);
      List<Header> headers = new ArrayList<>();
      for (String l = line(in, false); !l.isEmpty(); l = line(in, false)) {
        int colon = l.indexOf(':');
        if (colon <= 0) {
          throw new IOException("malformed response header: " + visible(l));
        }
        headers.add(new Header(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
      }
      if (status / 100 == 1) {
        continue;
      }
      Response bodiless = new Response(status, headers, new byte[0]);
      if (head || status == 204 || status == 304) {
        return bodiless;
      }
      String te = bodiless.header("Transfer-Encoding");
      String cl = bodiless.header("Content-Length");
      boolean chunked = te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
      if (status / 100 == 2 && isLive(bodiless.header("Content-Type"))) {
        return new Response(status, headers, chunked ? firstChunk(in) : firstBytes(in), true);
      }
      byte[] body;
      if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
        body = chunked(in);
      } else if (cl != null) {
        body = exactly(in, Integer.parseInt(cl.trim()));
      } else {
        body = in.readAllBytes();
      }
      return new Response(status, headers, body);
    }
  }

  private static boolean isLive(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
  }

  /** The first chunk of a chunked live stream (empty if it ended at once); blocks until the server sends one. */
  private static byte[] firstChunk(InputStream in) throws IOException {
    String size = line(in, false);
    int semicolon = size.indexOf(';');
    int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
    return n == 0 ? new byte[0] : exactly(in, n);
  }

  /** What one read of a close-delimited live stream returns (an HTTP/1.0 answer is not chunked). */
  private static byte[] firstBytes(InputStream in) throws IOException {
    byte[] buffer = new byte[8 * 1024];
    int n = in.read(buffer);
    return n < 0 ? new byte[0] : Arrays.copyOf(buffer, n);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in, false);
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        while (!line(in, false).isEmpty()) {
          // trailers: not needed
        }
        return body.toByteArray();
      }
      body.writeBytes(exactly(in, n));
      line(in, false);
    }
  }

  private static byte[] exactly(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new EOFException("body ended after " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }

  private static String line(InputStream in, boolean first) throws IOException {
    StringBuilder s = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(first && s.length() == 0 ? "before" : "in the middle of a line: " + visible(s));
      }
      if (b == '\n') {
        int end = s.length();
        return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
      }
      if (s.length() > MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE);
      }
      s.append((char) b);
    }
  }

  /** UTF-8 text as a byte string (one char, one byte), for targets and header values. */
  static String utf8(String text) {
    return new String(text.getBytes(UTF_8), ISO_8859_1);
  }

  /** A byte string with everything but printable ASCII escaped. */
  static String visible(CharSequence bytes) {
    StringBuilder s = new StringBuilder();
    int shown = Math.min(bytes.length(), 200);
    for (int i = 0; i < shown; i++) {
      char c = bytes.charAt(i);
      if (c == '\r') {
        s.append("\\r");
      } else if (c == '\n') {
        s.append("\\n");
      } else if (c == '\\') {
        s.append("\\\\");
      } else if (c >= 0x20 && c < 0x7f) {
        s.append(c);
      } else if (c <= 0xff) {
        s.append(String.format("\\x%02x", (int) c));
      } else {
        s.append(String.format("\\u%04x", (int) c));
      }
    }
    if (bytes.length() > shown) {
      s.append("…(").append(bytes.length()).append(" chars)");
    }
    return s.toString();
  }

  static String preview(byte[] body) {
    String bytes = new String(body, ISO_8859_1);
    if (bytes.length() <= 240) {
      return visible(bytes);
    }
    return visible(bytes.substring(0, 160)) + "…(" + body.length + " bytes)…"
        + visible(bytes.substring(bytes.length() - 60));
  }

  /** The kept-alive connection had been closed by the server before this request: reopen and send again. */
  private static final class StaleConnection extends IOException {
    StaleConnection(IOException cause) {
      super(cause);
    }
  }
}
