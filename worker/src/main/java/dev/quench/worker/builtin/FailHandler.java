package dev.quench.worker.builtin;

import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskFailure;
import dev.quench.worker.spi.TaskHandler;
import java.math.BigDecimal;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code fail}: fails at once. Input {@code {"message": "...", "code": "...", "retryable": false}}, all optional;
 * the code defaults to {@code task_failed}.
 */
@Component
class FailHandler implements TaskHandler {

  private static final JsonNode INPUT_SCHEMA = JsonMapper.shared().readTree("""
      {
        "type": "object",
        "properties": {
          "message": {"description": "the error message the task fails with", "type": "string", "maxLength": 1000},
          "code": {"description": "the error code, task_failed if none", "type": "string", "minLength": 1,
                   "maxLength": 64},
          "retryable": {"description": "whether the error says a retry may succeed", "type": "boolean"}
        },
        "additionalProperties": false
      }""");

  @Override
  public String capability() {
    return "fail";
  }

  @Override
  public JsonNode inputSchema() {
    return INPUT_SCHEMA;
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
