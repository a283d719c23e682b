package dev.quench.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The api follows what workers announce on the capabilities topic while it runs: a new capability is taken from its
 * announcement on, a new schema replaces the old, a tombstone retires it, and what it cannot read or use is never
 * taken for a usable announcement.
 */
class CapabilityIntegrationTests {

  private static ApiFixture fixture;
  private static ApiClient api;

  @BeforeAll
  static void start() {
    fixture = new ApiFixture();
    api = fixture.startApi("api-capabilities");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Response create(String capability, String input) {
    return api.post("/v1/tasks", "{\"capability\":\"" + capability + "\",\"input\":" + input + "}");
  }

  @Test
  void whatWorkersAnnouncedBeforeTheApiStartedIsKnownFromItsFirstRequest() {
    assertThat(create("sleep", "{\"duration_ms\":10}").status()).isEqualTo(202);
    assertThat(create("fail", "{\"message\":\"m\"}").status()).isEqualTo(202);
  }

  @Test
  void aCapabilityAnnouncedWhileTheApiRunsIsTakenFromThenOn() {
    Response before = create("translate", "{\"text\":\"hallo\"}");
    assertThat(before.status()).isEqualTo(422);
    assertThat(before.at("/error/code")).isEqualTo("unknown_capability");
    assertThat(before.at("/error/field")).isEqualTo("capability");

    fixture.workers.announce("translate", "{\"type\":\"object\",\"required\":[\"text\"],"
        + "\"properties\":{\"text\":{\"type\":\"string\"}}}");

    await().atMost(10, SECONDS).until(() -> create("translate", "{\"text\":\"hallo\"}").status() == 202);
    Response bad = create("translate", "{\"text\":7}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.at("/error/field")).isEqualTo("input.text");
  }

  @Test
  void aNewAnnouncementsSchemaReplacesTheOldOne() {
    fixture.workers.announce("resize", "{\"type\":\"object\",\"properties\":{\"width\":{\"type\":\"integer\"}}}");
    await().atMost(10, SECONDS).until(() -> create("resize", "{\"width\":5}").status() == 202);

    fixture.workers.announce("resize", "{\"type\":\"object\",\"required\":[\"height\"]}");

    await().atMost(10, SECONDS).until(() -> "input.height".equals(create("resize", "{\"width\":5}")
        .at("/error/field")));
  }

  @Test
  void aTombstoneRetiresACapability() {
    fixture.workers.announce("retired", "{\"type\":\"object\"}");
    await().atMost(10, SECONDS).until(() -> create("retired", "{}").status() == 202);

    fixture.workers.send("retired", null);

    await().atMost(10, SECONDS).until(() -> "unknown_capability".equals(create("retired", "{}").at("/error/code")));
  }

  @Test
  void anAnnouncementThatCannotBeReadOrUsedIsNoUsableCapability() {
    fixture.workers.send("garbled", "not json".getBytes(StandardCharsets.UTF_8));
    fixture.workers.announce("remote", "{\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:9/a.json\"}}}");
    fixture.workers.announce("marker", "{\"type\":\"object\"}");
    // Announcements are read in order per partition, but these may sit in different ones: wait for each.
    await().atMost(10, SECONDS).until(() -> create("marker", "{}").status() == 202);
    await().atMost(10, SECONDS).until(() -> create("remote", "{}").status() == 503);

    Response remote = create("remote", "{\"a\":1}");
    assertThat(remote.at("/error/code")).isEqualTo("capability_unavailable");
    assertThat(remote.json().at("/error/retryable").asBoolean()).isTrue();
    assertThat(create("garbled", "{}").at("/error/code")).isEqualTo("unknown_capability");
  }
}
