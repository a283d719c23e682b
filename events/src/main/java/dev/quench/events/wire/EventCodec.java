package dev.quench.events.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quench.events.BatchChunkView;
import dev.quench.events.BatchView;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskEvent;
import dev.quench.events.TaskView;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for events and views. An event is one flat object, the envelope's members in snake case beside a
 * {@code data} member holding the event, named by its short {@code type}:
 *
 * <pre>{"event_id":"…","type":"task.cancelled","schema_version":1,"task_id":"…","tenant":"acme",
 *  "occurred_at":"2026-11-23T14:00:00.123Z","producer":"worker-1","causation_id":"…","correlation_id":"…",
 *  "data":{"was":"running","forced":false}}</pre>
 *
 * Members that are null are left out; a reader takes an absent member for null.
 *
 * Thread-safe; share one.
 */
public final class EventCodec {

  private final JsonMapper mapper;

  public EventCodec() {
    this.mapper = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // An absent member reads back as null: writing nulls would only make every event and view longer.
        .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
        .build();
  }

  /** The mapper behind the codec: snake case, ISO-8601 instants. */
  public JsonMapper mapper() {
    return mapper;
  }

  public byte[] encode(Envelope e) {
    return mapper.writeValueAsBytes(new Wire(e.eventId(), e.type().wire(), e.schemaVersion(), e.taskId(),
        e.tenant(), e.occurredAt(), e.producer(), e.causationId(), e.correlationId(), mapper.valueToTree(e.event())));
  }

  /** @throws UndecodableRecordException with a stable reason when the bytes are not an event this build reads */
  public Envelope decode(byte[] bytes) {
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
    if (wire == null || wire.type() == null || wire.data() == null || wire.eventId() == null
        || wire.taskId() == null || wire.occurredAt() == null) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID,
          "an event needs event_id, type, task_id, occurred_at and data", null);
    }
    EventType type = EventType.fromWire(wire.type()).orElseThrow(() -> new UndecodableRecordException(
        UndecodableRecordException.UNKNOWN_TYPE, "unknown event type '" + wire.type() + "'", null));
    if (wire.schemaVersion() > EventType.SCHEMA_VERSION || wire.schemaVersion() < 1) {
      throw new UndecodableRecordException(UndecodableRecordException.NEWER_SCHEMA, "schema_version "
          + wire.schemaVersion() + " of " + wire.type() + " (this build reads up to " + EventType.SCHEMA_VERSION
          + ")", null);
    }
    TaskEvent event;
    try {
      event = mapper.treeToValue(wire.data(), type.javaType());
    } catch (JacksonException | IllegalArgumentException e) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID,
          "data of " + wire.type() + ": " + e.getMessage(), e);
    }
    return new Envelope(wire.eventId(), wire.schemaVersion(), wire.taskId(), wire.tenant(), wire.occurredAt(),
        wire.producer(), wire.causationId(), wire.correlationId(), event);
  }

  public byte[] encodeView(TaskView view) {
    return mapper.writeValueAsBytes(view);
  }

  /** @throws UndecodableRecordException when the bytes are not a view this build reads */
  public TaskView decodeView(byte[] bytes) {
    return decodeView(bytes, 0, bytes.length);
  }

  /** The view in {@code length} bytes from {@code offset}, as {@link #decodeView(byte[])}. */
  public TaskView decodeView(byte[] bytes, int offset, int length) {
    try {
      TaskView view = mapper.readValue(bytes, offset, length, TaskView.class);
      if (view == null || view.task() == null || view.task().taskId() == null) {
        throw new UndecodableRecordException(UndecodableRecordException.INVALID, "a view needs a task", null);
      }
      return view;
    } catch (StreamReadException e) {
      throw new UndecodableRecordException(UndecodableRecordException.MALFORMED, e.getOriginalMessage(), e);
    } catch (JacksonException | IllegalArgumentException e) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID, e.getMessage(), e);
    }
  }

  /** A record of the batches topic: a batch's header, or a chunk of its report (see {@link #isChunkKey}). */
  public byte[] encodeBatchRecord(Object record) {
    if (!(record instanceof BatchView) && !(record instanceof BatchChunkView)) {
      throw new IllegalArgumentException("not a record of the batches topic: " + record.getClass());
    }
    return mapper.writeValueAsBytes(record);
  }

  /** Whether a key of the batches topic names a chunk of a report ({@code <batch>/...}) rather than a header. */
  public static boolean isChunkKey(String key) {
    return key.indexOf('/') >= 0;
  }

  /** @throws UndecodableRecordException when the bytes are not a header this build reads */
  public BatchView decodeBatchView(byte[] bytes) {
    return decodeBatchRecord(bytes, BatchView.class);
  }

  /** @throws UndecodableRecordException when the bytes are not a chunk this build reads */
  public BatchChunkView decodeChunkView(byte[] bytes) {
    return decodeBatchRecord(bytes, BatchChunkView.class);
  }

  private <T> T decodeBatchRecord(byte[] bytes, Class<T> type) {
    try {
      T record = mapper.readValue(bytes, type);
      if (record == null) {
        throw new UndecodableRecordException(UndecodableRecordException.INVALID, "an empty batch record", null);
      }
      return record;
    } catch (StreamReadException e) {
      throw new UndecodableRecordException(UndecodableRecordException.MALFORMED, e.getOriginalMessage(), e);
    } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID, e.getMessage(), e);
    }
  }

  /** The envelope as it sits on the wire. */
  private record Wire(UUID eventId, String type, int schemaVersion, String taskId, String tenant,
                      Instant occurredAt, String producer, UUID causationId, String correlationId, JsonNode data) {
  }
}
