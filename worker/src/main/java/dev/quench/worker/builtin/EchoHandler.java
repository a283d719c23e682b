package dev.quench.worker.builtin;

import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskHandler;
import java.math.BigDecimal;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code echo}: completes at once with its input, any object, as output. One call, and the characters of its input,
 * metered.
 */
@Component
class EchoHandler implements TaskHandler {

  @Override
  public String capability() {
    return "echo";
  }

  @Override
  public JsonNode run(TaskContext context) {
    context.cancellation().throwIfCancellationRequested();
    JsonNode input = context.input();
    context.usage(BigDecimal.ONE, Map.of("characters", (long) (input == null ? 0 : input.toString().length())));
    return input;
  }
}
