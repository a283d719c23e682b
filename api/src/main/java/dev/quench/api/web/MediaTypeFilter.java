package dev.quench.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Media type headers Spring MVC would turn into a 500:
 * <ul>
 *   <li>a wildcard {@code Content-Type} ({@code *}{@code /*}, {@code application/*}) makes reading any body fail with
 *   an exception no handler expects: refused here with 415;</li>
 *   <li>an {@code Accept} charset no converter writes ({@code application/json; charset=iso-8859-1}) still matches an
 *   endpoint, which runs, and only then fails to write its answer: a 500 after the request took effect (a task
 *   created, a cancel recorded). The api answers JSON in UTF-8 (RFC 8259) whatever the charset asked for, so the
 *   parameter is dropped, disregarding it as RFC 9110 (12.5.1) allows in place of a 406.</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class MediaTypeFilter extends OncePerRequestFilter {

  private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*(\"[^\"]*\"|[^;,]*)");

  private final ErrorResponses errors;

  MediaTypeFilter(ErrorResponses errors) {
    this.errors = errors;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (wildcard(request.getContentType())) {
      errors.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "send the body as application/json, not a wildcard media type");
      return;
    }
    String accept = request.getHeader(HttpHeaders.ACCEPT);
    if (accept == null || !accept.toLowerCase(Locale.ROOT).contains("charset")) {
      chain.doFilter(request, response);
      return;
    }
    chain.doFilter(new HttpServletRequestWrapper(request) {
      @Override
      public String getHeader(String name) {
        String value = super.getHeader(name);
        return HttpHeaders.ACCEPT.equalsIgnoreCase(name) && value != null ? withoutCharset(value) : value;
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        if (!HttpHeaders.ACCEPT.equalsIgnoreCase(name)) {
          return super.getHeaders(name);
        }
        return Collections.enumeration(Collections.list(super.getHeaders(name)).stream()
            .map(MediaTypeFilter::withoutCharset).toList());
      }
    }, response);
  }

  private static boolean wildcard(String contentType) {
    if (contentType == null) {
      return false;
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return type.isWildcardType() || type.isWildcardSubtype();
    } catch (InvalidMediaTypeException e) {
      return false; // Spring MVC answers an unparseable one with 415 itself
    }
  }

  private static String withoutCharset(String accept) {
    return CHARSET.matcher(accept).replaceAll("");
  }
}
