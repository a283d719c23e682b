package dev.quench.api.web;

import org.springframework.http.HttpStatus;

/** A request the api refuses, with the status and error code the client gets. */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String code;
  private final String field;
  private final boolean retryable;

  public ApiException(HttpStatus status, String code, String message, String field, boolean retryable) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryable = retryable;
  }

  public static ApiException invalid(String field, String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request", message, field, false);
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(HttpStatus.NOT_FOUND, code, message, null, false);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable", message, null, true);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String field() {
    return field;
  }

  public boolean retryable() {
    return retryable;
  }
}
