package dev.quench.worker.builtin;

import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskFailure;
import dev.quench.worker.spi.TaskHandler;
import java.math.BigDecimal;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * {@code fail}: fails at once. Input {@code {"message": "...", "code": "...", "retryable": false}}, all optional;
 * the code defaults to {@code task_failed}.
 */
@Component
class FailHandler implements TaskHandler {

  @Override
  public String capability() {
    return "fail";
  }

  @Override
  public JsonNode run(TaskContext context) {
    JsonNode input = context.input();
    context.usage(BigDecimal.ONE, Map.of());
    throw new TaskFailure(text(input, "code", "task_failed"), text(input, "message", "failed as asked"),
        input != null && input.path("retryable").asBoolean(false));
  }

  private static String text(JsonNode input, String field, String otherwise) {
    JsonNode value = input == null ? null : input.get(field);
    return value != null && value.isString() ? value.asString() : otherwise;
  }
}
