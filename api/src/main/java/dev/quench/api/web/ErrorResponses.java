package dev.quench.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
        .body(new ApiError.Body(new ApiError(code, message, field, retryable, RequestIds.of(request))));
  }

  public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
                    String message) throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setHeader(RequestIds.HEADER, RequestIds.of(request));
    json.writeValue(response.getOutputStream(),
        new ApiError.Body(new ApiError(code, message, null, status.is5xxServerError(), RequestIds.of(request))));
  }
}
