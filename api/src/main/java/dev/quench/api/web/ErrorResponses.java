package dev.quench.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes the api's error shape, from a controller advice or straight onto the response from a filter. */
@Component
public class ErrorResponses {

  private final JsonMapper json;

  ErrorResponses(JsonMapper json) {
    this.json = json;
  }

  public ResponseEntity<ApiError.Body> entity(HttpServletRequest request, HttpStatus status, String code,
                                               String message, String field, boolean retryable) {
    HttpStatus answered = statusFor(request, status);
    return ResponseEntity.status(answered).contentType(MediaType.APPLICATION_JSON)
        .body(body(request, answered, code, message, field, retryable));
  }

  public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
                    String message) throws IOException {
    write(request, response, status, code, message, statusFor(request, status).is5xxServerError());
  }

  /** Like {@link #write(HttpServletRequest, HttpServletResponse, HttpStatus, String, String)}, saying if retryable. */
  public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
                    String message, boolean retryable) throws IOException {
    HttpStatus answered = statusFor(request, status);
    response.setStatus(answered.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setHeader(RequestIds.HEADER, RequestIds.of(request));
    json.writeValue(response.getOutputStream(), body(request, answered, code, message, null, retryable));
  }

  /** Scout answers a request it cannot understand or validate with 422, where /v1 answers 400. */
  private static HttpStatus statusFor(HttpServletRequest request, HttpStatus status) {
    return scout(request) && status == HttpStatus.BAD_REQUEST ? HttpStatus.UNPROCESSABLE_CONTENT : status;
  }

  private static ApiError.Body body(HttpServletRequest request, HttpStatus status, String code, String message,
                                    String field, boolean retryable) {
    ApiError error = new ApiError(code, message, field, retryable, RequestIds.of(request));
    if (!scout(request)) {
      return new ApiError.Body(error, null);
    }
    if (status != HttpStatus.UNPROCESSABLE_CONTENT) {
      return new ApiError.Body(error, message);
    }
    List<String> location = field == null ? List.of("body") : field.equals("Idempotency-Key")
        ? List.of("header", field) : List.of("body", field);
    return new ApiError.Body(error, List.of(Map.of("loc", location, "msg", message, "type", code)));
  }

  /** By the path as routed (decoded, normalized), like the key filter: the raw URI can be dressed up. */
  private static boolean scout(HttpServletRequest request) {
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    return path.startsWith("/scout/");
  }
}
