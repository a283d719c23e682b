package dev.quench.api.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
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

  /**
   * Writes the answer itself rather than returning it for Spring MVC's converters: those look at the originating
   * request's path to guard against reflected file downloads, and a path Tomcat refused for its broken escapes
   * ({@code TRACE /console/;%}) made them throw here, turning the refusal into a 500.
   */
  @RequestMapping("${server.error.path:/error}")
  void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
    // An error Tomcat raised before any filter ran (a request for /WEB-INF, say) has no X-Request-Id yet.
    response.setHeader(RequestIds.HEADER, RequestIds.of(request));
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (code == null) {
      // Not an error dispatch: a client asked for the error path itself, which is no endpoint of the api.
      errors.write(request, response, HttpStatus.NOT_FOUND, "not_found", "no such endpoint", false);
      return;
    }
    HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null ? HttpStatus.valueOf(c)
        : HttpStatus.INTERNAL_SERVER_ERROR;
    if (status == HttpStatus.NOT_FOUND) {
      errors.write(request, response, status, "not_found", "no such endpoint", false);
    } else if (status == HttpStatus.METHOD_NOT_ALLOWED) {
      // Tomcat refuses TRACE itself and names what is allowed in Allow.
      errors.write(request, response, status, "method_not_allowed", request.getMethod() + " is not allowed here",
          false);
    } else if (status.is4xxClientError()) {
      errors.write(request, response, status, "invalid_request", "the request could not be understood", false);
    } else {
      errors.write(request, response, status, "internal_error", "the request failed on our side", true);
    }
  }
}
