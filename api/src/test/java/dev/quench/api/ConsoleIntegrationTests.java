package dev.quench.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator console's files at {@code /console}: served without a key, with the page's security headers, and
 * nothing else; errors in the api's shape. The page itself is tested in a browser by the standalone's
 * {@code ConsoleBrowserIntegrationTests}.
 */
class ConsoleIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient api;
  private static ApiClient anonymous;
  private static int port;

  @BeforeAll
  static void start() {
    fixture = new ApiFixture();
    api = fixture.startApi("api-console");
    anonymous = api.withKey(null);
    port = api.get("/console/").raw().uri().getPort();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static void assertSecurityHeaders(Response response) {
    String policy = response.header("Content-Security-Policy");
    assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
        "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'").doesNotContain("unsafe");
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
  }

  @Test
  void theConsoleIsServedWithoutAKeyWithHeadersThatLetOnlyItsOwnScriptsRun() {
    Response redirect = anonymous.get("/console");
    Response page = anonymous.get("/console/");

    assertThat(redirect.status()).isEqualTo(302);
    assertThat(redirect.header("Location")).isEqualTo("/console/");
    assertSecurityHeaders(redirect);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    assertThat(page.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>")
        .doesNotContain("<script>", "style=");
    assertSecurityHeaders(page);
    assertThat(page.header("RateLimit")).as("no key, nothing charged").isNull();
  }

  @Test
  void everyFileThePageLoadsIsServedWithItsMediaType() {
    List<String> files = new ArrayList<>(List.of("js/app.js", "console.css", "icon.svg"));
    // The modules app.js imports, and theirs: a module served as anything but JavaScript is refused by browsers.
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i);
      Response served = anonymous.get("/console/" + file);
      assertThat(served.status()).as(file).isEqualTo(200);
      assertSecurityHeaders(served);
      if (file.endsWith(".js")) {
        assertThat(served.header("Content-Type")).as(file).startsWith("text/javascript");
        String dir = file.substring(0, file.lastIndexOf('/') + 1);
        served.body().lines().map(String::trim).filter(line -> line.startsWith("import ") && line.contains("'"))
            .map(line -> line.substring(line.indexOf('\'') + 1, line.lastIndexOf('\'')))
            .map(target -> URI.create("/" + dir).resolve(target).getPath().substring(1))
            .filter(target -> !files.contains(target)).forEach(files::add);
      }
    }
    assertThat(anonymous.get("/console/console.css").header("Content-Type")).startsWith("text/css");
    assertThat(anonymous.get("/console/icon.svg").header("Content-Type")).startsWith("image/svg+xml");
    assertThat(files).contains("js/views/task.js", "js/timeline-source.js", "js/api.js");
  }

  @Test
  void whatTheConsoleDoesNotHaveIsRefusedInTheApisErrorShape() throws IOException {
    Response missing = anonymous.get("/console/nope.js");
    Response folder = anonymous.get("/console/js/");
    Response post = anonymous.post("/console/", "{}");
    Response postFile = anonymous.post("/console/index.html", "{}");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.at("/error/code")).isEqualTo("not_found");
    assertThat(missing.at("/error/request_id")).isEqualTo(missing.header("X-Request-Id"));
    assertSecurityHeaders(missing);
    assertThat(folder.status()).isEqualTo(404);
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.at("/error/code")).isEqualTo("method_not_allowed");
    assertThat(postFile.status()).isEqualTo(405);
    assertThat(postFile.at("/error/code")).isEqualTo("method_not_allowed");
    try (RawHttp http = new RawHttp(port)) {
      // Out of the console's folder: never the api's own configuration, or anything else on the classpath.
      for (String target : List.of("/console/../quench-api.properties", "/console/%2e%2e/quench-api.properties",
          "/console/..%2fquench-api.properties", "/console/js/../../quench-api.properties",
          "/console/META-INF/spring.factories", "/quench-api.properties", "/static/console/index.html")) {
        RawHttp.Response answer = http.send(RawHttp.Request.of("GET", target, List.of(), null));
        assertThat(answer.status()).as(target).isIn(400, 404);
        assertThat(answer.text()).as(target).doesNotContain("spring.application.name", "scout-processors")
            .contains("\"error\"");
      }
    }
  }

  /** Found by the hostile-input run: a Range the page could not satisfy was a 416 carrying the page as HTML. */
  @Test
  void thePageIgnoresARangeAndIsServedWhole() {
    for (String range : List.of("bytes=999999-", "bytes=0-10", "bytes=5-1", "chars=0-1")) {
      Response page = anonymous.get("/console/", "Range", range);

      assertThat(page.status()).as(range).isEqualTo(200);
      assertThat(page.body()).as(range).contains("<html").contains("</html>");
    }
  }

  /**
   * Found by the hostile-input run: Tomcat refuses TRACE itself, and the error answer for a path with a broken
   * escape in a path parameter failed while it was written, a 500.
   */
  @Test
  void traceIsA405InTheApisErrorShapeWhateverThePath() throws IOException {
    try (RawHttp http = new RawHttp(port)) {
      for (String target : List.of("/console/", "/console/;%", "/console/index.html;a=%", "/v1/tasks/;%", "/;%")) {
        RawHttp.Response answer = http.send(RawHttp.Request.of("TRACE", target, List.of(), null));
        assertThat(answer.status()).as(target).isEqualTo(405);
        assertThat(answer.text()).as(target).contains("\"code\":\"method_not_allowed\"");
      }
    }
  }

  @Test
  void aPathThroughTheConsoleToTheApiStillNeedsAKey() throws IOException {
    try (RawHttp http = new RawHttp(port)) {
      RawHttp.Response answer = http.send(RawHttp.Request.of("GET", "/console/../v1/tasks", List.of(), null));
      assertThat(answer.status()).isIn(400, 401);
      assertThat(answer.text()).doesNotContain("\"data\"");
    }
  }

  @Test
  void theConsoleCanBeTurnedOff() {
    ApiClient off = fixture.startApi("api-console-off", "--quench.api.console.enabled=false").withKey(null);

    Response page = off.get("/console/");

    assertThat(page.status()).isEqualTo(404);
    assertThat(page.at("/error/code")).isEqualTo("not_found");
    assertThat(page.header("Content-Security-Policy")).isNull();
    fixture.stopApi("api-console-off");
  }
}
