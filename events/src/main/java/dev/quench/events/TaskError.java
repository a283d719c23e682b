package dev.quench.events;

/**
 * Why a task failed.
 *
 * @param code      stable, machine-friendly, e.g. {@code worker_lost}, {@code invalid_input}
 * @param message   for humans
 * @param retryable whether submitting the same task again may succeed
 */
public record TaskError(String code, String message, boolean retryable) {

  public static final String WORKER_LOST = "worker_lost";
  public static final String UNSUPPORTED_CAPABILITY = "unsupported_capability";
  public static final String HANDLER_ERROR = "handler_error";
}
