package dev.quench.worker.builtin;

import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskFailure;
import dev.quench.worker.spi.TaskHandler;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code sleep}: waits {@code duration_ms} (0 to 24 h), reporting progress about ten times, and stops the moment its
 * token fires. Metered in seconds slept: it reserves its whole duration and, cancelled, is charged only the part it
 * slept. Output: {@code {"slept_ms": N}}.
 */
@Component
class SleepHandler implements TaskHandler {

  static final long MAX_DURATION_MS = Duration.ofHours(24).toMillis();
  private static final long MIN_STEP_MS = 100;
  private static final JsonNode INPUT_SCHEMA = JsonMapper.shared().readTree("""
      {
        "type": "object",
        "required": ["duration_ms"],
        "properties": {
          "duration_ms": {
            "description": "how long to sleep, in milliseconds (at most 24 h)",
            "type": "integer",
            "minimum": 0,
            "maximum": %d
          }
        },
        "additionalProperties": false
      }""".formatted(MAX_DURATION_MS));

  @Override
  public String capability() {
    return "sleep";
  }

  @Override
  public JsonNode inputSchema() {
    return INPUT_SCHEMA;
  }

  @Override
  public BigDecimal expectedUsage(JsonNode input) {
    return seconds(durationMs(input));
  }

  @Override
  public JsonNode run(TaskContext context) throws InterruptedException {
    long duration = durationMs(context.input());
    long step = Math.max(MIN_STEP_MS, duration / 10);
    long start = System.nanoTime();
    long elapsed = 0;
    while (elapsed < duration) {
      boolean cancelled = context.cancellation().await(Duration.ofMillis(Math.min(step, duration - elapsed)));
      elapsed = Math.min(duration, (System.nanoTime() - start) / 1_000_000);
      context.usage(seconds(elapsed), Map.of());
      if (cancelled) {
        throw new CancellationException("cancelled after " + elapsed + " ms of " + duration);
      }
      context.progress((int) (elapsed * 100 / Math.max(1, duration)), "sleeping", elapsed + " of " + duration + " ms");
    }
    context.usage(seconds(duration), Map.of());
    return JsonNodeFactory.instance.objectNode().put("slept_ms", duration);
  }

  private static BigDecimal seconds(long millis) {
    return BigDecimal.valueOf(millis, 3);
  }

  static long durationMs(JsonNode input) {
    JsonNode value = input == null ? null : input.get("duration_ms");
    // What the schema calls an integer: any number without a fractional part, 30000.0 as well as 30000.
    if (value == null || !value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw TaskFailure.invalidInput("sleep needs input {\"duration_ms\": <integer>}");
    }
    long duration = value.asLong();
    if (duration < 0 || duration > MAX_DURATION_MS) {
      throw TaskFailure.invalidInput("duration_ms must be within 0.." + MAX_DURATION_MS + ", was " + duration);
    }
    return duration;
  }
}
