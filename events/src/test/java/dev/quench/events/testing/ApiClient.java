package dev.quench.events.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for tests of the api, the way any client of the service talks to it. */
public final class ApiClient {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final String apiKey;

  public ApiClient(String baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
  }

  public ApiClient withKey(String otherKey) {
    return new ApiClient(baseUrl, otherKey);
  }

  /** Where the api is, e.g. {@code http://localhost:8080}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The API key it sends, or null. */
  public String apiKey() {
    return apiKey;
  }

  /** An answer: status, headers and body, the body parsed as JSON when it is JSON. */
  public record Response(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String body() {
      return raw.body();
    }

    /** A text member of the JSON body by JSON Pointer, e.g. {@code /status}, or null. */
    public String at(String pointer) {
      JsonNode node = json == null ? null : json.at(pointer);
      return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
    }
  }

  public Response get(String path, String... headers) {
    return send(builder(path, headers).GET());
  }

  public Response post(String path, String jsonBody, String... headers) {
    HttpRequest.Builder builder = builder(path, headers);
    if (jsonBody == null) {
      return send(builder.POST(HttpRequest.BodyPublishers.noBody()));
    }
    return send(builder.header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
  }

  /** Any method, body and headers exactly as given: for tests of what the api refuses. */
  public Response send(String method, String path, String body, String... headers) {
    return send(builder(path, headers).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder builder(String path, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    List<String> all = new ArrayList<>();
    if (apiKey != null) {
      all.add("Authorization");
      all.add("Bearer " + apiKey);
    }
    all.addAll(List.of(headers));
    for (int i = 0; i + 1 < all.size(); i += 2) {
      builder.header(all.get(i), all.get(i + 1));
    }
    return builder;
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.contains("json") && !type.contains("ndjson") && !response.body().isEmpty()) {
        json = JSON.readTree(response.body());
      }
      return new Response(response.statusCode(), response, json);
    } catch (IOException e) {
      throw new IllegalStateException("request failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
