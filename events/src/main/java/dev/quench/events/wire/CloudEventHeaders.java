package dev.quench.events.wire;

import dev.quench.events.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudEvents 1.0 Kafka protocol binding headers for an event, so any CloudEvents consumer can read the audit log.
 * The record value stays quench's whole JSON envelope (the event's {@code data} in CloudEvents terms).
 */
public final class CloudEventHeaders {

  /** The header naming the event's type by its wire name ({@code task.submitted}, ...): readable without decoding. */
  public static final String TYPE = "ce_type";

  private CloudEventHeaders() {
  }

  /** Header name to UTF-8 value, in a stable order. */
  public static Map<String, byte[]> of(Envelope e) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    put(headers, "ce_specversion", "1.0");
    put(headers, "ce_id", e.eventId().toString());
    put(headers, "ce_source", "/quench/" + (e.producer() == null ? "unknown" : e.producer()));
    put(headers, TYPE, e.type().wire());
    put(headers, "ce_time", e.occurredAt().toString());
    put(headers, "ce_subject", e.taskId());
    put(headers, "content-type", "application/json");
    return headers;
  }

  private static void put(Map<String, byte[]> headers, String name, String value) {
    headers.put(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
