package dev.quench.events.capabilities;

import dev.quench.events.wire.UndecodableRecordException;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for capability announcements: one flat object with a schema version,
 *
 * <pre>{"schema_version":1,"capability":"sleep","input_schema":{"type":"object",…},"worker":"worker-1",
 *  "announced_at":"2026-11-23T14:00:00.123Z"}</pre>
 *
 * Thread-safe; share one.
 */
public final class CapabilityCodec {

  /** The version written by this build, and the newest it reads. */
  public static final int SCHEMA_VERSION = 1;

  private final JsonMapper mapper = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .build();

  public byte[] encode(CapabilityAnnouncement announcement) {
    return mapper.writeValueAsBytes(new Wire(SCHEMA_VERSION, announcement.capability(), announcement.inputSchema(),
        announcement.worker(), announcement.announcedAt()));
  }

  /** @throws UndecodableRecordException with a stable reason when the bytes are not an announcement this build reads */
  public CapabilityAnnouncement decode(byte[] bytes) {
    if (bytes == null) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID, "empty record value", null);
    }
    Wire wire;
    try {
      wire = mapper.readValue(bytes, Wire.class);
    } catch (StreamReadException e) {
      throw new UndecodableRecordException(UndecodableRecordException.MALFORMED, e.getOriginalMessage(), e);
    } catch (JacksonException e) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID, e.getOriginalMessage(), e);
    }
    if (wire == null || wire.capability() == null || wire.inputSchema() == null || !wire.inputSchema().isObject()) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID,
          "an announcement needs a capability and an input_schema object", null);
    }
    if (wire.schemaVersion() > SCHEMA_VERSION || wire.schemaVersion() < 1) {
      throw new UndecodableRecordException(UndecodableRecordException.NEWER_SCHEMA, "schema_version "
          + wire.schemaVersion() + " of a capability announcement (this build reads up to " + SCHEMA_VERSION + ")",
          null);
    }
    return new CapabilityAnnouncement(wire.capability(), wire.inputSchema(), wire.worker(), wire.announcedAt());
  }

  private record Wire(int schemaVersion, String capability, JsonNode inputSchema, String worker,
                      Instant announcedAt) {
  }
}
