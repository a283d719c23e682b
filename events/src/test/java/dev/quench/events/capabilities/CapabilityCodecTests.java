package dev.quench.events.capabilities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quench.events.wire.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CapabilityCodecTests {

  private final CapabilityCodec codec = new CapabilityCodec();

  @Test
  void anAnnouncementSurvivesTheWireAsSnakeCaseWithItsSchemaVersion() {
    CapabilityAnnouncement sleep = new CapabilityAnnouncement("sleep", JsonMapper.builder().build().readTree(
        "{\"type\":\"object\",\"required\":[\"duration_ms\"]}"), "worker-1", Instant.parse("2026-11-23T14:00:00Z"));

    byte[] wire = codec.encode(sleep);

    assertThat(new String(wire, StandardCharsets.UTF_8)).contains("\"schema_version\":1", "\"input_schema\":{",
        "\"announced_at\":\"2026-11-23T14:00:00Z\"");
    assertThat(codec.decode(wire)).isEqualTo(sleep);
  }

  @Test
  void aSchemaRefersToNothingOutsideItself() {
    JsonMapper json = JsonMapper.builder().build();

    assertThat(CapabilityAnnouncement.externalReferences(json.readTree("{\"$defs\":{\"n\":{\"type\":\"integer\"}},"
        + "\"properties\":{\"a\":{\"$ref\":\"#/$defs/n\"}}}"))).isEmpty();
    assertThat(CapabilityAnnouncement.externalReferences(json.readTree("{\"properties\":{\"a\":{\"items\":"
        + "[{\"$ref\":\"https://example.org/s.json\"}]},\"b\":{\"$dynamicRef\":\"other.json#x\"}}}")))
        .containsExactlyInAnyOrder("https://example.org/s.json", "other.json#x");
  }

  @Test
  void whatIsNoAnnouncementOfThisBuildIsUndecodableWithAStableReason() {
    assertThatThrownBy(() -> codec.decode("{\"capability\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(UndecodableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(UndecodableRecordException.MALFORMED));
    assertThatThrownBy(() -> codec.decode("{\"schema_version\":1,\"capability\":\"x\",\"input_schema\":true}"
        .getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(UndecodableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(UndecodableRecordException.INVALID));
    assertThatThrownBy(() -> codec.decode("{\"schema_version\":2,\"capability\":\"x\",\"input_schema\":{}}"
        .getBytes(StandardCharsets.UTF_8))).isInstanceOfSatisfying(UndecodableRecordException.class,
            e -> assertThat(e.reason()).isEqualTo(UndecodableRecordException.NEWER_SCHEMA));
  }
}
