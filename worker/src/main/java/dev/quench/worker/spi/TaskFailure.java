package dev.quench.worker.spi;

/** Thrown by a handler to fail its task with a stable code the client can act on. */
public class TaskFailure extends RuntimeException {

  private final String code;
  private final boolean retryable;

  public TaskFailure(String code, String message, boolean retryable) {
    super(message);
    this.code = code;
    this.retryable = retryable;
  }

  /** A failure the same input would hit again. */
  public static TaskFailure invalidInput(String message) {
    return new TaskFailure("invalid_input", message, false);
  }

  public String code() {
    return code;
  }

  public boolean retryable() {
    return retryable;
  }
}
