package dev.quench.events.wire;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Headers a dead-lettered record carries beside its untouched key, value and original headers. */
public final class DeadLetterHeaders {

  /** A stable code, see {@link UndecodableRecordException}. */
  public static final String REASON = "quench_dlt_reason";
  /** For humans: what exactly was wrong. */
  public static final String MESSAGE = "quench_dlt_message";
  public static final String SOURCE_TOPIC = "quench_dlt_source_topic";
  public static final String SOURCE_PARTITION = "quench_dlt_source_partition";
  public static final String SOURCE_OFFSET = "quench_dlt_source_offset";
  /** Which process gave up on it. */
  public static final String REJECTED_BY = "quench_dlt_rejected_by";

  private DeadLetterHeaders() {
  }

  /** The headers to add to a dead-lettered record, by name, as UTF-8. */
  public static Map<String, byte[]> of(String reason, String message, String sourceTopic, int sourcePartition,
                                       long sourceOffset, String rejectedBy) {
    Map<String, byte[]> headers = new LinkedHashMap<>();
    headers.put(REASON, utf8(reason));
    headers.put(MESSAGE, utf8(message == null ? "" : message));
    headers.put(SOURCE_TOPIC, utf8(sourceTopic));
    headers.put(SOURCE_PARTITION, utf8(String.valueOf(sourcePartition)));
    headers.put(SOURCE_OFFSET, utf8(String.valueOf(sourceOffset)));
    headers.put(REJECTED_BY, utf8(rejectedBy));
    return headers;
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
