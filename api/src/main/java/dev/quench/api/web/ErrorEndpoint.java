package dev.quench.api.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the servlet container sends errors raised outside Spring MVC (a filter, the connector): they get the same
 * JSON error shape as everything else, never a whitelabel page or a stack trace.
 */
@Hidden
@RestController
class ErrorEndpoint implements ErrorController {

  private final ErrorResponses errors;

  ErrorEndpoint(ErrorResponses errors) {
    this.errors = errors;
  }

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ApiError.Body> error(HttpServletRequest request, HttpServletResponse response) {
    // An error Tomcat raised before any filter ran (a request for /WEB-INF, say) has no X-Request-Id yet.
    response.setHeader(RequestIds.HEADER, RequestIds.of(request));
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (code == null) {
      // Not an error dispatch: a client asked for the error path itself, which is no endpoint of the api.
      return errors.entity(request, HttpStatus.NOT_FOUND, "not_found", "no such endpoint", null, false);
    }
    HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null ? HttpStatus.valueOf(c)
        : HttpStatus.INTERNAL_SERVER_ERROR;
    if (status == HttpStatus.NOT_FOUND) {
      return errors.entity(request, status, "not_found", "no such endpoint", null, false);
    }
    if (status.is4xxClientError()) {
      return errors.entity(request, status, "invalid_request", "the request could not be understood", null, false);
    }
    return errors.entity(request, status, "internal_error", "the request failed on our side", null, true);
  }
}
