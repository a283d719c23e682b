package dev.quench.events.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for tests, reading a stream as the WHATWG spec says a browser does: fields {@code id},
 * {@code event}, {@code data} (several lines joined), comments, an event dispatched at each blank line. It reads on a
 * thread of its own; tests take what it read from {@link #next} and {@link #comments}.
 */
public final class EventStreamClient implements AutoCloseable {

  /** One event as dispatched: its id (null if none was sent), its type and its data. */
  public record Event(String id, String type, String data) {
  }

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final HttpResponse<InputStream> response;
  private final Thread reader;

  private EventStreamClient(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    if (response.statusCode() == 200) {
      reader.start();
    } else {
      ended.countDown();
    }
  }

  /** Opens {@code path} of the api with {@code Accept: text/event-stream} and the extra headers given (pairs). */
  public static EventStreamClient open(ApiClient api, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
        .header("Accept", "text/event-stream").GET();
    if (api.apiKey() != null) {
      request.header("Authorization", "Bearer " + api.apiKey());
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      return new EventStreamClient(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String header(String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  /** The body of a refused stream (not 200). */
  public String errorBody() {
    try {
      return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next event, waiting at most {@code timeout}; null if none came. */
  public Event next(Duration timeout) throws InterruptedException {
    return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next {@code n} events, each waited for at most {@code timeout}; fewer if the stream stopped giving them. */
  public List<Event> next(int n, Duration timeout) throws InterruptedException {
    List<Event> got = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Event event = next(timeout);
      if (event == null) {
        break;
      }
      got.add(event);
    }
    return got;
  }

  /** The comment lines read so far, first first, without the leading colon and space. */
  public BlockingQueue<String> comments() {
    return comments;
  }

  /** Whether the server ended the stream within {@code timeout}. */
  public boolean endsWithin(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(id, type == null ? "message" : type, data.toString()));
          }
          type = null;
          data = null;
          continue;
        }
        if (line.startsWith(":")) {
          comments.add(line.substring(1).strip());
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> type = value;
          case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> { }
        }
      }
    } catch (IOException e) {
      // closed by the test, or the server went away: the stream has ended either way
    } finally {
      ended.countDown();
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // closing anyway
    }
    reader.interrupt();
  }
}
