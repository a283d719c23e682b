package dev.quench.worker;

import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskHandler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Handlers that misbehave on purpose, to show what the worker does about it. */
@TestConfiguration(proxyBeanMethods = false)
class TestHandlers {

  /** Released by tests; until then {@code spin}, {@code gated} and heard {@code finisher} tasks keep running. */
  static volatile CountDownLatch release = new CountDownLatch(1);

  /** Ignores its token, stops only when interrupted. */
  @Bean
  TaskHandler deaf() {
    return handler("deaf", context -> {
      // Waits on a latch nobody counts down: only an interrupt ends it, the token is never looked at.
      new CountDownLatch(1).await(5, TimeUnit.MINUTES);
      return null;
    });
  }

  /** Ignores token and interrupts: only abandoning frees its slot. */
  @Bean
  TaskHandler spin() {
    return handler("spin", context -> {
      while (release.getCount() > 0) {
        Thread.onSpinWait();
        Thread.yield();
      }
      return null;
    });
  }

  /**
   * Hears its token, then finishes its work anyway once released, returning a result: held between the two, it lets a
   * test decide that the cancel is recorded before the result, so the cancel loses the race every time.
   */
  @Bean
  TaskHandler finisher() {
    return handler("finisher", context -> {
      context.cancellation().await(Duration.ofMinutes(5));
      release.await(5, TimeUnit.MINUTES);
      return JsonNodeFactory.instance.stringNode("finished anyway");
    });
  }

  /** Ignores its token and interrupts, and returns a result when released: a run that finishes late. */
  @Bean
  TaskHandler gated() {
    return handler("gated", context -> {
      boolean released = false;
      while (!released) {
        try {
          released = release.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          // finishes when released, whatever happened meanwhile
        }
      }
      return JsonNodeFactory.instance.stringNode("late result");
    });
  }

  interface Body {
    JsonNode run(TaskContext context) throws Exception;
  }

  private static TaskHandler handler(String capability, Body body) {
    return new TaskHandler() {
      @Override
      public String capability() {
        return capability;
      }

      @Override
      public JsonNode run(TaskContext context) throws Exception {
        return body.run(context);
      }
    };
  }
}
