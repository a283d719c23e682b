package dev.quench.worker.ownership;

import dev.quench.worker.spi.TaskHandler;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The handlers this worker serves, by capability. */
final class HandlerRegistry {

  private final Map<String, TaskHandler> byCapability = new TreeMap<>();

  HandlerRegistry(List<TaskHandler> handlers) {
    for (TaskHandler handler : handlers) {
      TaskHandler clash = byCapability.putIfAbsent(handler.capability(), handler);
      if (clash != null) {
        throw new IllegalStateException("two handlers serve capability '" + handler.capability() + "': "
            + clash.getClass().getName() + " and " + handler.getClass().getName());
      }
    }
  }

  TaskHandler find(String capability) {
    return byCapability.get(capability);
  }

  List<String> capabilities() {
    return List.copyOf(byCapability.keySet());
  }
}
