package dev.quench.events.wire;

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
}
