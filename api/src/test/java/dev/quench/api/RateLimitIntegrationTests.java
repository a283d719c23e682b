package dev.quench.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.auth.ApiKeys;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.events.testing.MovableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Rate limits over real HTTP, per key, with the api's clock moved by the test: a burst past the quota gets 429 with
 * the headers, a client within its quota never does, reads and writes are counted apart, and a request without a
 * valid key is charged to nobody.
 */
class RateLimitIntegrationTests {

  static final String LIMITED_KEY = "key-with-a-small-quota";
  static final MovableClock CLOCK = new MovableClock(Instant.now());

  private static ApiFixture fixture;
  private static ApiClient limited;
  private static ApiClient demo;

  /** The api's clock, which only this test moves. */
  @Configuration(proxyBeanMethods = false)
  static class TestClock {
    @Bean
    @Primary
    Clock movableClock() {
      return CLOCK;
    }
  }

  @BeforeAll
  static void startApi() {
    fixture = new ApiFixture();
    demo = fixture.startApi("limits",
        "--spring.main.sources=" + TestClock.class.getName(),
        "--quench.api.keys[2].id=limited",
        "--quench.api.keys[2].sha256=" + ApiKeys.sha256(LIMITED_KEY),
        "--quench.api.keys[2].tenant=demo",
        "--quench.api.keys[2].rate-limit.writes.quota=5",
        "--quench.api.keys[2].rate-limit.reads.quota=3",
        "--quench.api.keys[2].rate-limit.reads.window=10s");
    limited = demo.withKey(LIMITED_KEY);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aBurstPastTheQuotaIsRefusedWith429AndTheHeadersAndResumesAtTheQuotasPace() {
    String taskId = null;
    for (int remaining = 4; remaining >= 0; remaining--) {
      Response created = limited.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}");
      assertThat(created.status()).as(created.body()).isEqualTo(202);
      assertThat(created.header("RateLimit-Policy")).isEqualTo("\"writes\";q=5;w=60");
      assertThat(created.header("RateLimit")).startsWith("\"writes\";r=" + remaining + ";t=");
      taskId = created.at("/task_id");
    }

    Response refused = limited.post("/v1/tasks/" + taskId + "/cancel", "{}");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.at("/error/code")).isEqualTo("rate_limited");
    assertThat(refused.json().at("/error/retryable").asBoolean()).isTrue();
    assertThat(refused.at("/error/request_id")).isEqualTo(refused.header("X-Request-Id"));
    assertThat(refused.header("Retry-After")).isEqualTo("12");
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"writes\";q=5;w=60");
    assertThat(refused.header("RateLimit")).isEqualTo("\"writes\";r=0;t=60");
    // Nothing of the refused request reached the log.
    assertThat(fixture.requests(taskId)).hasSize(1);
    // Another key, and this key's reads, are not touched by its writes.
    assertThat(demo.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}").status()).isEqualTo(202);
    Response read = limited.get("/v1/tasks/" + taskId);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("RateLimit-Policy")).isEqualTo("\"reads\";q=3;w=10");

    // At the quota's pace (a token every 12 s), every request goes through.
    for (int i = 0; i < 20; i++) {
      CLOCK.advance(Duration.ofSeconds(12));
      Response paced = limited.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}");
      assertThat(paced.status()).as("paced write %d: %s", i, paced.body()).isEqualTo(202);
    }
    assertThat(limited.post("/v1/tasks", "{\"capability\":\"echo\",\"input\":{}}").status()).isEqualTo(429);
    // The Scout paths share the key's buckets, and answer 429 too (not Scout's 422 for client errors).
    assertThat(limited.post("/scout/v1/tasks", "{\"task\":\"x\"}").status()).isEqualTo(429);
  }

  @Test
  void requestsWithoutAValidKeyAreChargedToNobody() {
    CLOCK.advance(Duration.ofMinutes(10));
    for (int i = 0; i < 10; i++) {
      assertThat(limited.withKey(null).get("/v1/tasks").status()).isEqualTo(401);
      assertThat(limited.withKey("not-a-key").get("/v1/tasks").status()).isEqualTo(401);
    }

    Response read = limited.get("/v1/tasks");

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header("RateLimit")).startsWith("\"reads\";r=2;");
    assertThat(limited.withKey(null).get("/actuator/health").header("RateLimit")).isNull();
  }
}
