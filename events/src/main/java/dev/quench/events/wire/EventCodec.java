package dev.quench.events.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quench.events.BatchChunkView;
import dev.quench.events.BatchView;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskEvent;
import dev.quench.events.TaskView;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
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
  /** Readers of each event's data, from within the envelope: the parser goes on after the value. */
  private final Map<EventType, ObjectReader> dataReaders = new EnumMap<>(EventType.class);
  private final ObjectReader treeReader;

  public EventCodec() {
    this.mapper = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // An absent member reads back as null: writing nulls would only make every event and view longer.
        .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
        // Amounts are kept without trailing zeros (Decimals): 10 is written 10, not 1E+1.
        .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        .build();
    for (EventType type : EventType.values()) {
      dataReaders.put(type, mapper.readerFor(type.javaType())
          .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS));
    }
    this.treeReader = mapper.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The mapper behind the codec: snake case, ISO-8601 instants. */
  public JsonMapper mapper() {
    return mapper;
  }

  public byte[] encode(Envelope e) {
    // One pass: the event is written as the envelope's data member directly, never through a tree.
    return mapper.writeValueAsBytes(new Wire(e.eventId(), e.type().wire(), e.schemaVersion(), e.taskId(),
        e.tenant(), e.occurredAt(), e.producer(), e.causationId(), e.correlationId(), e.event()));
  }

  /**
   * Reads an event in one pass over its bytes: the envelope's members as they come, and {@code data} straight into
   * the record its {@code type} names. Only when {@code data} comes before {@code type} (a writer other than this
   * codec) is it read into a tree first. Numbers reach the event as written: a decimal keeps its scale.
   *
   * @throws UndecodableRecordException with a stable reason when the bytes are not an event this build reads
   */
  public Envelope decode(byte[] bytes) {
    if (bytes == null) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID, "empty record value", null);
    }
    UUID eventId = null;
    String typeName = null;
    EventType type = null;
    int schemaVersion = 0;
    String taskId = null;
    String tenant = null;
    Instant occurredAt = null;
    String producer = null;
    UUID causationId = null;
    String correlationId = null;
    TaskEvent event = null;
    JsonNode earlyData = null;
    try (JsonParser parser = mapper.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new UndecodableRecordException(UndecodableRecordException.INVALID, "an event is a JSON object", null);
      }
      while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        boolean isNull = value == JsonToken.VALUE_NULL;
        switch (name) {
          case "event_id" -> eventId = isNull ? null : UUID.fromString(text(parser, name));
          case "type" -> {
            typeName = isNull ? null : text(parser, name);
            type = typeName == null ? null : knownType(typeName);
          }
          case "schema_version" -> schemaVersion = isNull ? 0 : parser.getValueAsInt(-1);
          case "task_id" -> taskId = isNull ? null : text(parser, name);
          case "tenant" -> tenant = isNull ? null : text(parser, name);
          case "occurred_at" -> occurredAt = isNull ? null : Instant.parse(text(parser, name));
          case "producer" -> producer = isNull ? null : text(parser, name);
          case "causation_id" -> causationId = isNull ? null : UUID.fromString(text(parser, name));
          case "correlation_id" -> correlationId = isNull ? null : text(parser, name);
          case "data" -> {
            if (isNull) {
              break;
            }
            if (type != null) {
              requireReadable(typeName, schemaVersion);
              event = dataReaders.get(type).readValue(parser);
            } else {
              earlyData = treeReader.readValue(parser);
            }
          }
          default -> parser.skipChildren();
        }
      }
      if (event == null && earlyData != null && type != null) {
        requireReadable(typeName, schemaVersion);
        event = mapper.treeToValue(earlyData, type.javaType());
      }
    } catch (UndecodableRecordException e) {
      throw e;
    } catch (StreamReadException e) {
      throw new UndecodableRecordException(UndecodableRecordException.MALFORMED, e.getOriginalMessage(), e);
    } catch (JacksonException e) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID, e.getOriginalMessage(), e);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID, e.getMessage(), e);
    }
    if (typeName == null || (event == null && earlyData == null) || eventId == null || taskId == null
        || occurredAt == null) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID,
          "an event needs event_id, type, task_id, occurred_at and data", null);
    }
    if (event == null) {
      // data came first and its type is unknown to this build
      throw new UndecodableRecordException(UndecodableRecordException.UNKNOWN_TYPE, "unknown event type '"
          + typeName + "'", null);
    }
    return new Envelope(eventId, schemaVersion, taskId, tenant, occurredAt, producer, causationId, correlationId,
        event);
  }

  private static String text(JsonParser parser, String member) {
    if (!parser.currentToken().isScalarValue()) {
      throw new UndecodableRecordException(UndecodableRecordException.INVALID, member + " must be a string", null);
    }
    return parser.getString();
  }

  private static EventType knownType(String wire) {
    return EventType.fromWire(wire).orElseThrow(() -> new UndecodableRecordException(
        UndecodableRecordException.UNKNOWN_TYPE, "unknown event type '" + wire + "'", null));
  }

  private static void requireReadable(String type, int schemaVersion) {
    if (schemaVersion > EventType.SCHEMA_VERSION || schemaVersion < 1) {
      throw new UndecodableRecordException(UndecodableRecordException.NEWER_SCHEMA, "schema_version "
          + schemaVersion + " of " + type + " (this build reads up to " + EventType.SCHEMA_VERSION + ")", null);
    }
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

  /** The envelope as it is written: the event itself as {@code data}. */
  private record Wire(UUID eventId, String type, int schemaVersion, String taskId, String tenant,
                      Instant occurredAt, String producer, UUID causationId, String correlationId, TaskEvent data) {
  }
}
