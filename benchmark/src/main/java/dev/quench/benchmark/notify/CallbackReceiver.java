package dev.quench.benchmark.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quench.benchmark.http.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver as a caller would run one, on loopback in this JVM (the JDK's HTTP server, a free port): it
 * notes the wall-clock time each callback arrived (the worker that stamped the terminal event runs on the same
 * clock), keyed by its {@code webhook-id}, counts any second arrival of one as a duplicate, and answers 204 at once.
 * It does not verify signatures: the callbacks module's tests do, with an independent verifier; here it would only
 * add the receiver's CPU to the figure.
 */
final class CallbackReceiver implements AutoCloseable {

  /** The first arrival of one delivery. */
  record Arrival(String taskId, long atMillis) {
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final Map<String, Arrival> byWebhookId = new ConcurrentHashMap<>();
  private final Map<String, Arrival> byTask = new ConcurrentHashMap<>();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong unsigned = new AtomicLong();

  CallbackReceiver() {
    AtomicInteger n = new AtomicInteger();
    threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-receiver-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the callback receiver", e);
    }
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The URL a task's callback names: plain http on 127.0.0.1, which the benchmark's standalone allows. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/bench/notify";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      long at = System.currentTimeMillis();
      received.incrementAndGet();
      String id = exchange.getRequestHeaders().getFirst("webhook-id");
      if (exchange.getRequestHeaders().getFirst("webhook-signature") == null) {
        unsigned.incrementAndGet();
      }
      // The first task_id of the body is its data's: {"type":..., "timestamp":..., "data":{"object":"task",...}}.
      Arrival arrival = new Arrival(ApiClient.taskId(new String(body, StandardCharsets.UTF_8)), at);
      if (id == null || byWebhookId.putIfAbsent(id, arrival) != null) {
        duplicates.incrementAndGet();
      } else if (arrival.taskId() != null) {
        byTask.putIfAbsent(arrival.taskId(), arrival);
      }
      exchange.sendResponseHeaders(204, -1);
    }
  }

  /** The first callback received for this task, or null. */
  Arrival of(String taskId) {
    return byTask.get(taskId);
  }

  long received() {
    return received.get();
  }

  /** Requests whose {@code webhook-id} had arrived before (or that had none). */
  long duplicates() {
    return duplicates.get();
  }

  long unsigned() {
    return unsigned.get();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
