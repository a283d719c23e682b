package dev.quench.benchmark.stop;

import dev.quench.worker.spi.TaskContext;
import dev.quench.worker.spi.TaskHandler;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code bench-stop}: runs until its token fires, like a well-behaved long task, and records when the token fired
 * and when its own thread saw it. Gives up after ten minutes so a lost cancel cannot hold a slot for good.
 */
public final class StopProbeHandler implements TaskHandler {

  private static final Duration GIVE_UP = Duration.ofMinutes(10);

  @Override
  public String capability() {
    return StopProbes.CAPABILITY;
  }

  @Override
  public JsonNode run(TaskContext context) throws InterruptedException {
    StopProbes.Probe probe = StopProbes.of(context.taskId());
    // Registered before announcing the start: a cancel sent right after it cannot fire unseen.
    context.cancellation().onCancellationRequested(() -> probe.fired(System.nanoTime()));
    probe.started(System.nanoTime());
    boolean cancelled = context.cancellation().await(GIVE_UP);
    probe.observed(System.nanoTime());
    if (cancelled) {
      throw new CancellationException("stopped on the token");
    }
    return JsonNodeFactory.instance.objectNode().put("cancelled", false);
  }
}
