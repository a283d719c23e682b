package dev.quench.callbacks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP receiver on loopback (HTTPS with {@link #https}) that answers each request with the next scripted
 * answer (the last one once the script runs out) and keeps every request it got.
 */
public final class Receiver implements AutoCloseable {

  /** One request as received. */
  public record Request(Instant at, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** An answer: a status, headers, a body, and a latch to wait on first (an answer that does not come in time). */
  public record Answer(int status, Map<String, String> headers, String body, CountDownLatch holdUntil) {
    public static Answer status(int status) {
      return new Answer(status, Map.of(), "", null);
    }

    public static Answer status(int status, Map<String, String> headers) {
      return new Answer(status, headers, "", null);
    }

    /** Answers 200 only once {@code latch} is released: to a sender with a shorter timeout, no answer at all. */
    public static Answer heldUntil(CountDownLatch latch) {
      return new Answer(200, Map.of(), "", latch);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final BlockingQueue<Answer> script = new LinkedBlockingQueue<>();
  private volatile Answer last = Answer.status(204);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<CountDownLatch> held = new CopyOnWriteArrayList<>();

  public Receiver(Answer... answers) {
    this(null, answers);
  }

  private Receiver(SSLContext tls, Answer... answers) {
    script.addAll(List.of(answers));
    try {
      InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      if (tls == null) {
        server = HttpServer.create(loopback, 50);
      } else {
        HttpsServer https = HttpsServer.create(loopback, 50);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A receiver over TLS, presenting the certificate of {@code tls}'s key manager. */
  public static Receiver https(SSLContext tls, Answer... answers) {
    return new Receiver(tls, answers);
  }

  public String url(String path) {
    return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort()
        + path;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Adds {@code answers} to the script; the last one answers from then on. */
  public void script(Answer... answers) {
    script.addAll(List.of(answers));
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    requests.add(new Request(Instant.now(), exchange.getRequestURI().toString(), exchange.getRequestHeaders(),
        new String(body, StandardCharsets.UTF_8)));
    Answer answer = script.poll();
    if (answer == null) {
      answer = last;
    } else if (script.isEmpty()) {
      last = answer.holdUntil() == null ? answer : Answer.status(answer.status());
    }
    if (answer.holdUntil() != null) {
      held.add(answer.holdUntil());
      try {
        answer.holdUntil().await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    try {
      exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
    } catch (IOException e) {
      // The sender gave up waiting and closed the connection: nothing to answer.
    } finally {
      exchange.close();
    }
  }

  /** Answers by {@code route} instead of the script: for receivers whose answer depends on the path. */
  public static Receiver routing(Function<String, Answer> route) {
    Receiver receiver = new Receiver();
    receiver.server.removeContext("/");
    receiver.server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      receiver.requests.add(new Request(Instant.now(), exchange.getRequestURI().toString(),
          exchange.getRequestHeaders(), new String(body, StandardCharsets.UTF_8)));
      Answer answer = route.apply(exchange.getRequestURI().getPath());
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(out);
        }
      }
      exchange.close();
    });
    return receiver;
  }

  @Override
  public void close() {
    held.forEach(CountDownLatch::countDown);
    server.stop(0);
    threads.shutdownNow();
  }
}
