package dev.quench.events.capabilities;

import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A worker serves a capability, whose input must satisfy {@code inputSchema}.
 *
 * <p>Written by every worker when it starts, one record per capability it serves, to the compacted capabilities
 * topic. Key: the capability, so the topic keeps the latest announcement of each; workers of one fleet announce the
 * same schema, and during a rolling upgrade the last one written counts. Read by every api instance from the start of
 * the topic: a create of a capability never announced, or whose input breaks the announced schema, is refused.
 *
 * @param capability  what clients submit, e.g. {@code sleep}
 * @param inputSchema a JSON Schema (draft 2020-12) of the task's input, an object
 * @param worker      the worker instance that announced it
 * @param announcedAt when, by the worker's clock
 */
public record CapabilityAnnouncement(String capability, JsonNode inputSchema, String worker, Instant announcedAt) {

  public CapabilityAnnouncement {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(inputSchema, "inputSchema");
  }
}
