package dev.quench.api.console;

import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The console's entry: {@code /console} redirects to {@code /console/}, where its relative links resolve, and that
 * answers {@code index.html}. A handler of its own rather than a forward to the file: a wrong method then gets the
 * api's 405 like every endpoint, and the redirect keeps its {@code Location} relative (right behind a proxy that
 * terminates TLS too). Not part of the API's description.
 */
@Controller
@Hidden
@ConditionalOnBooleanProperty(name = ConsoleConfiguration.ENABLED, matchIfMissing = true)
class ConsolePage {

  /**
   * The page's bytes, not a {@code Resource}: Spring MVC serves a resource body in ranges when asked, and answered a
   * {@code Range} it could not satisfy with a 416 carrying the whole page as HTML. Half a kilobyte has no use for
   * ranges, and RFC 9110 lets a server ignore them: every GET gets the page, 200.
   */
  private final byte[] index = read(new ClassPathResource(ConsoleConfiguration.FOLDER + "index.html"));

  @GetMapping(ConsoleConfiguration.PATH)
  ResponseEntity<Void> redirect() {
    return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, ConsoleConfiguration.PATH + "/")
        .build();
  }

  /** Half a kilobyte, sent whole every time (no validator): a new api's page is never mistaken for an old one. */
  @GetMapping(ConsoleConfiguration.PATH + "/")
  ResponseEntity<byte[]> page() {
    return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).cacheControl(CacheControl.noStore()).body(index);
  }

  private static byte[] read(Resource resource) {
    try (InputStream in = resource.getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("the console's page is missing from the api's resources", e);
    }
  }
}
