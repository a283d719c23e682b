package dev.quench.worker.builtin;

import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** {@code echo}: completes at once with its input as output. */
@Component
class EchoHandler implements TaskHandler {

  @Override
  public String capability() {
    return "echo";
  }

  @Override
  public JsonNode run(TaskContext context) {
    context.cancellation().throwIfCancellationRequested();
    return context.input();
  }
}
