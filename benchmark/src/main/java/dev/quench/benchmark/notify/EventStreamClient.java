package dev.quench.benchmark.notify;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many Server-Sent Events streams open at once from one client: the JDK's HTTP client, one HTTP/1.1 connection per
 * stream (as a browser's {@code EventSource} opens them), each read by an asynchronous line subscriber, so a thousand
 * mostly idle streams cost a few threads rather than a thousand. A client of its own: the api client's pool of
 * connections is sized for its requests, and these connections never go back to a pool.
 */
final class EventStreamClient implements AutoCloseable {

  private static final Set<String> TERMINAL = Set.of("task.completed", "task.failed", "task.cancelled");

  /** One open stream, as its client saw it. */
  static final class Stream implements Flow.Subscriber<String> {

    private volatile Flow.Subscription subscription;
    /** The HTTP status, 0 until the stream ended (the client hands the answer over with its body). */
    volatile int status;
    /** Whether the stream sent its first event: the replay of what the task did so far, so it is following. */
    volatile boolean live;
    /** When it went live, by {@link System#nanoTime()}. */
    volatile long liveAtNanos;
    /** When this client read the terminal event's {@code event:} line, by the wall clock; 0 for not yet. */
    volatile long terminalAtMillis;
    /** Whether the stream ended (the server closed it, or it failed). */
    volatile boolean ended;
    volatile Throwable failure;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (!line.startsWith("event:")) {
        return;
      }
      if (!live) {
        liveAtNanos = System.nanoTime();
        live = true;
      }
      if (terminalAtMillis == 0 && TERMINAL.contains(line.substring("event:".length()).trim())) {
        terminalAtMillis = System.currentTimeMillis();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      failure = throwable;
      ended = true;
    }

    @Override
    public void onComplete() {
      ended = true;
    }

    void cancel() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }

  private final ExecutorService executor;
  private final HttpClient http;
  private final List<Stream> streams = new CopyOnWriteArrayList<>();

  EventStreamClient() {
    AtomicInteger threads = new AtomicInteger();
    executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "bench-sse-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Opens a stream; its lines arrive as they come. */
  Stream open(HttpRequest request) {
    Stream stream = new Stream();
    streams.add(stream);
    http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(stream))
        .whenComplete((response, error) -> {
          if (error != null) {
            stream.onError(error);
          } else {
            stream.status = response.statusCode();
          }
        });
    return stream;
  }

  @Override
  public void close() {
    streams.forEach(Stream::cancel);
    executor.shutdownNow();
  }
}
