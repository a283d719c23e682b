package dev.quench.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quench.events.capabilities.CapabilityAnnouncement;
import dev.quench.events.capabilities.CapabilityCodec;
import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskHandler;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A worker that starts announces what it serves, with each input schema, before its start returns. */
class CapabilityAnnouncementIntegrationTests {

  private final WorkerFixture fixture = new WorkerFixture();

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void aStartedWorkerHasAnnouncedEveryCapabilityItServesWithItsInputSchema() {
    fixture.startWorker("announcer-1", Map.of());

    Map<String, CapabilityAnnouncement> announced = announced();

    assertThat(announced).containsKeys("sleep", "echo", "fail");
    assertThat(announced.get("sleep").inputSchema().at("/properties/duration_ms/maximum").asLong())
        .isEqualTo(86_400_000L);
    assertThat(announced.get("sleep").inputSchema().at("/required/0").asString()).isEqualTo("duration_ms");
    assertThat(announced.get("echo").inputSchema().get("type").asString()).isEqualTo("object");
    assertThat(announced.get("fail").worker()).isEqualTo("announcer-1");
    assertThat(announced.get("fail").announcedAt()).isNotNull();
  }

  @Test
  void aWorkerWhoseHandlerDeclaresAnInvalidSchemaDoesNotStart() {
    assertThatThrownBy(() -> fixture.startWorker("announcer-2", Map.of(), BrokenSchema.class))
        .hasStackTraceContaining("capability 'broken'").hasStackTraceContaining("not a valid JSON Schema");
    assertThat(announced()).doesNotContainKey("broken");
  }

  private Map<String, CapabilityAnnouncement> announced() {
    CapabilityCodec codec = new CapabilityCodec();
    Map<String, CapabilityAnnouncement> latest = new HashMap<>();
    fixture.reader.records(fixture.topics.capabilities())
        .forEach(r -> latest.put(r.key(), codec.decode(r.value())));
    return latest;
  }

  @TestConfiguration(proxyBeanMethods = false)
  static class BrokenSchema {
    @Bean
    TaskHandler broken() {
      return new TaskHandler() {
        @Override
        public String capability() {
          return "broken";
        }

        @Override
        public JsonNode inputSchema() {
          return JsonMapper.shared().readTree("{\"type\":\"object\",\"minProperties\":\"two\"}");
        }

        @Override
        public JsonNode run(TaskContext context) {
          return null;
        }
      };
    }
  }
}
