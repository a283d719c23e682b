package dev.quench.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every exception a request can end in into the api's error shape, with a stable code. */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  private final ErrorResponses errors;

  ApiExceptionHandler(ErrorResponses errors) {
    this.errors = errors;
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ApiError.Body> refused(ApiException e, HttpServletRequest request) {
    return errors.entity(request, e.status(), e.code(), e.getMessage(), e.field(), e.retryable());
  }

  /** A multipart body the container could not parse: no endpoint takes multipart, so say what they do take. */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ApiError.Body> multipart(MultipartException e, HttpServletRequest request) {
    return errors.entity(request, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
        "send the body as application/json, not multipart", null, false);
  }

  /**
   * A query string Tomcat could not parse (a broken percent-encoding, say): it throws once an endpoint reads its
   * parameters. The client's mistake, with the status Tomcat gives it; its message is not echoed, as it quotes the
   * bytes that failed.
   */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ApiError.Body> unreadableParameters(InvalidParameterException e, HttpServletRequest request) {
    HttpStatus status = HttpStatus.resolve(e.getErrorCode());
    return errors.entity(request, status != null && status.is4xxClientError() ? status : HttpStatus.BAD_REQUEST,
        "invalid_request", "the query string could not be read: percent-encode its names and values as UTF-8",
        null, false);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ApiError.Body> unexpected(Exception e, HttpServletRequest request) {
    log.error("request {} {} failed", request.getMethod(), request.getRequestURI(), e);
    return errors.entity(request, HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
        "the request failed on our side; it has been logged with this request id", null, true);
  }

  /** Spring MVC's own refusals: wrong method, media type, unreadable body, unknown path... */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
                                                           HttpStatusCode statusCode, WebRequest webRequest) {
    HttpServletRequest request = ((NativeWebRequest) webRequest).getNativeRequest(HttpServletRequest.class);
    HttpStatus status = HttpStatus.valueOf(statusCode.value());
    String code;
    String message;
    if (e instanceof HttpMessageNotReadableException unreadable && BodySizeLimitFilter.tooLarge(e)) {
      status = HttpStatus.CONTENT_TOO_LARGE;
      code = "body_too_large";
      message = unreadable.getMostSpecificCause().getMessage();
    } else if (e instanceof HttpMessageNotReadableException) {
      code = "malformed_json";
      message = "the request body is not valid JSON";
    } else if (e instanceof HttpRequestMethodNotSupportedException m) {
      code = "method_not_allowed";
      message = m.getMethod() + " is not allowed here; allowed: " + m.getSupportedHttpMethods();
    } else if (e instanceof HttpMediaTypeNotSupportedException m) {
      code = "unsupported_media_type";
      message = "send the body as application/json" + (m.getContentType() == null ? ""
          : ", not " + m.getContentType());
    } else if (e instanceof HttpMediaTypeNotAcceptableException m) {
      code = "not_acceptable";
      message = "this endpoint answers " + (m.getSupportedMediaTypes().isEmpty() ? "application/json"
          : m.getSupportedMediaTypes().stream().map(Object::toString).collect(Collectors.joining(" or ")))
          + "; ask for it in Accept";
    } else if (e instanceof NoResourceFoundException || e instanceof NoHandlerFoundException) {
      code = "not_found";
      message = "no such endpoint: " + request.getMethod() + " " + request.getRequestURI();
    } else {
      code = status.is4xxClientError() ? "invalid_request" : "internal_error";
      message = status.is4xxClientError() ? e.getMessage() : "the request failed on our side";
    }
    ResponseEntity<ApiError.Body> error = errors.entity(request, status, code, message, null,
        status.is5xxServerError());
    return ResponseEntity.status(error.getStatusCode()).headers(headers)
        .contentType(error.getHeaders().getContentType()).body(error.getBody());
  }
}
