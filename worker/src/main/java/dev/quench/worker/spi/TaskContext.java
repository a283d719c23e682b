package dev.quench.worker.spi;

import java.math.BigDecimal;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What a handler knows about the task it runs, and how it talks back. Safe to use from any thread. */
public interface TaskContext {

  String taskId();

  String tenant();

  /** 1 for the first run; more when the task runs again after its worker was lost. */
  int attempt();

  /** The input the client submitted. */
  JsonNode input();

  /** The model the client asked for, or null. */
  String model();

  Map<String, String> metadata();

  /** Fires when a cancel request for this task reaches the worker. */
  CancellationToken cancellation();

  /**
   * Reports how far the task got. Cheap to call often: the worker records at most a few reports a second per task,
   * always the latest.
   *
   * @param percent 0 to 100, or null
   * @param stage   a short stage name, or null
   * @param message a sentence for humans, or null
   */
  void progress(Integer percent, String stage, String message);

  /**
   * Reports what the run used so far, cumulatively (each report replaces the one before): the quantity of this
   * capability's meter, which is what the run is charged for, and any plain counters (e.g. {@code input_tokens},
   * {@code tool_calls}). The last report before the handler returns is the run's final usage.
   */
  void usage(BigDecimal meterQuantity, Map<String, Long> counters);
}
