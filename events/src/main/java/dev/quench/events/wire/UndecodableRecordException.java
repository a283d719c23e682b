package dev.quench.events.wire;

/** A record that cannot become an event or a view; {@link #reason()} is a stable code for the dead-letter topic. */
public class UndecodableRecordException extends RuntimeException {

  /** The JSON could not be parsed at all. */
  public static final String MALFORMED = "malformed_json";
  /** The JSON parsed but lacks a required member or has one of the wrong type. */
  public static final String INVALID = "invalid_event";
  /** The {@code type} is not one this build knows. */
  public static final String UNKNOWN_TYPE = "unknown_type";
  /** The {@code schema_version} is newer than this build reads. */
  public static final String NEWER_SCHEMA = "unsupported_schema_version";

  private final String reason;

  public UndecodableRecordException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
