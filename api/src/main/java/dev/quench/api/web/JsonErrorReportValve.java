package dev.quench.api.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last word on a request it refused before any application code ran (a malformed path, an encoded slash):
 * the api's JSON error shape instead of Tomcat's HTML page. Tomcat creates it by class name, hence public.
 */
public class JsonErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // sendError marks an error to report; an error status set without a body (an actuator 404, say) gets one too.
    if (status < 400 || response.getContentWritten() > 0 || response.isCommitted()
        || response.isError() && !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    if (status == 501 || status == 505) {
      // Tomcat's refusal of a transfer coding or an HTTP version it does not implement: the request is at fault, not
      // the service, and a 5xx would count against the service (and page someone) for what any client can send.
      status = 400;
      response.setStatus(status);
    }
    String requestId = response.getHeader(RequestIds.HEADER);
    if (requestId == null) {
      requestId = RequestIds.assign(request.getRequest());
    }
    String code = status == 404 ? "not_found" : status >= 500 ? "internal_error" : "invalid_request";
    String message = status >= 500 ? "the request failed on our side"
        : status == 404 ? "no such endpoint" : "the request could not be understood";
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      response.setHeader(RequestIds.HEADER, requestId);
      if ("HEAD".equals(request.getMethod())) {
        // A request refused while it was parsed never reached the code that drops a HEAD's body: the status and the
        // headers say it all, and a body here would be read as the start of the client's next response.
        response.setContentLength(0);
        response.finishResponse();
        return;
      }
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"retryable\":"
            + (status >= 500) + ",\"request_id\":\"" + jsonEscaped(requestId) + "\"}}");
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // The client is gone or the response is closed: nothing left to tell it.
    }
  }

  /** A client's request id may hold {@code "} or {@code \}: escaped, it cannot break out of its JSON string. */
  private static String jsonEscaped(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        s.append('\\').append(c);
      } else if (c < 0x20) {
        s.append(String.format("\\u%04x", (int) c));
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }
}
