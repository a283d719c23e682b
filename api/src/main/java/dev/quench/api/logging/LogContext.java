package dev.quench.api.logging;

import org.slf4j.MDC;

/**
 * The log context (SLF4J's MDC) of a request's thread: what every line logged while handling the request carries,
 * beside its message. Set piece by piece as the request is understood, cleared once when it is answered.
 */
public final class LogContext {

  public static final String REQUEST_ID = "request_id";
  public static final String TENANT = "tenant";
  /** The public id of the API key: never the key itself. */
  public static final String API_KEY_ID = "api_key_id";
  public static final String TASK_ID = "task_id";

  private LogContext() {
  }

  public static void put(String key, String value) {
    if (value != null) {
      MDC.put(key, value);
    }
  }

  /** Names the task unless the request named one already; only on a request's thread. */
  public static void taskIfAbsent(String taskId) {
    if (MDC.get(REQUEST_ID) != null && MDC.get(TASK_ID) == null) {
      put(TASK_ID, taskId);
    }
  }

  /** Ends the request's context: the thread goes back to its pool with nothing of it. */
  public static void clear() {
    MDC.clear();
  }
}
