package dev.quench.worker.builtin;

import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskFailure;
import dev.quench.worker.spi.TaskHandler;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code sleep}: waits {@code duration_ms} (0 to 24 h), reporting progress about ten times, and stops the moment its
 * token fires. Output: {@code {"slept_ms": N}}.
 */
@Component
class SleepHandler implements TaskHandler {

  static final long MAX_DURATION_MS = Duration.ofHours(24).toMillis();
  private static final long MIN_STEP_MS = 100;

  @Override
  public String capability() {
    return "sleep";
  }

  @Override
  public JsonNode run(TaskContext context) throws InterruptedException {
    long duration = durationMs(context.input());
    long step = Math.max(MIN_STEP_MS, duration / 10);
    long start = System.nanoTime();
    long elapsed = 0;
    while (elapsed < duration) {
      if (context.cancellation().await(Duration.ofMillis(Math.min(step, duration - elapsed)))) {
        throw new CancellationException("cancelled after " + elapsed + " ms of " + duration);
      }
      elapsed = Math.min(duration, (System.nanoTime() - start) / 1_000_000);
      context.progress((int) (elapsed * 100 / Math.max(1, duration)), "sleeping", elapsed + " of " + duration + " ms");
    }
    return JsonNodeFactory.instance.objectNode().put("slept_ms", duration);
  }

  static long durationMs(JsonNode input) {
    JsonNode value = input == null ? null : input.get("duration_ms");
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw TaskFailure.invalidInput("sleep needs input {\"duration_ms\": <integer>}");
    }
    long duration = value.asLong();
    if (duration < 0 || duration > MAX_DURATION_MS) {
      throw TaskFailure.invalidInput("duration_ms must be within 0.." + MAX_DURATION_MS + ", was " + duration);
    }
    return duration;
  }
}
