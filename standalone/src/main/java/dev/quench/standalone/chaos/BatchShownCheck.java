package dev.quench.standalone.chaos;

import dev.quench.events.TargetOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last of {@link BatchCheck}'s checks: what the api shows of each batch once the system is quiet, its state and
 * counts ({@code GET /v1/cancellation_batches/{id}}) and its report target by target ({@code GET .../tasks}), held
 * to what the log says. Adds what disagrees to the run's violations.
 */
final class BatchShownCheck {

  private final List<String> violations;

  BatchShownCheck(List<String> violations) {
    this.violations = violations;
  }

  /** The api's answer for a batch, after the quiet, against the log's state and counts. */
  void judgeShown(String batchId, String state, Map<String, Integer> counts, TaskApi.BatchAnswer shown) {
    if (shown.status() != 200) {
      violations.add("the api answers " + shown.outcome() + " for batch " + batchId + ", which the log has");
      return;
    }
    Map<String, Integer> apiCounts = new TreeMap<>();
    for (TargetOutcome outcome : TargetOutcome.values()) {
      int n = shown.number("/counts/" + outcome.wire());
      int expected = counts.getOrDefault(outcome.wire(), 0);
      if (n != expected) {
        apiCounts.put(outcome.wire(), n);
      }
    }
    if (!state.equals(shown.text("/status")) || !apiCounts.isEmpty()) {
      violations.add("the api shows batch " + batchId + " " + shown.text("/status") + " with counts "
          + shown.body().path("counts") + ", the log says " + state + " with " + counts);
    }
  }

  /**
   * The api's report of a batch, target by target, after the quiet: every target once, none twice and nothing else,
   * each with the outcome the log has for it ({@code byTarget}); and its lines by outcome equal to the counts the
   * api shows for the batch ({@code shown}, if it answered), which {@link #judgeShown} holds to the log's.
   */
  void judgeReport(String batchId, Map<String, String> byTarget, TaskApi.TargetReport report,
                           TaskApi.BatchAnswer shown) {
    String named = "the report of batch " + batchId;
    if (report.status() != 200) {
      violations.add("the api answers " + report.outcome() + " for " + named + ", which the log has");
      return;
    }
    Map<String, String> listed = new HashMap<>();
    Map<String, Integer> lines = new TreeMap<>();
    for (TaskApi.Target target : report.targets()) {
      lines.merge(target.outcome(), 1, Integer::sum);
      if (listed.putIfAbsent(target.taskId(), target.outcome()) != null) {
        violations.add(named + " lists task " + target.taskId() + " twice");
        continue;
      }
      String logged = byTarget.get(target.taskId());
      if (logged == null) {
        violations.add(named + " lists task " + target.taskId() + ", which is none of its targets in the log");
      } else if (!logged.equals(target.outcome())) {
        violations.add(named + " says target " + target.taskId() + " is " + target.outcome() + ", the log says "
            + logged);
      }
    }
    byTarget.keySet().stream().filter(t -> !listed.containsKey(t)).forEach(t -> violations.add(
        named + " leaves out target " + t));
    if (shown == null || shown.status() != 200) {
      return;
    }
    Map<String, Integer> counts = new TreeMap<>();
    for (TargetOutcome outcome : TargetOutcome.values()) {
      int n = shown.number("/counts/" + outcome.wire());
      if (n > 0) {
        counts.put(outcome.wire(), n);
      }
    }
    if (!counts.equals(lines)) {
      violations.add("the api shows batch " + batchId + " with counts " + counts + ", its report's lines add up to "
          + lines);
    }
  }
}
