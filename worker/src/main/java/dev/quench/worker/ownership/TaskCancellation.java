package dev.quench.worker.ownership;

import dev.quench.worker.spi.CancellationToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CancellationToken} fired the moment a cancel for its task reaches the worker (its cancel watch, or the
 * owner thread). It notes the first time the handler sees it fired, whichever way it looks (a check, a wait, a
 * callback), which is when the cancel really reached the task.
 */
final class TaskCancellation implements CancellationToken {

  private static final Logger log = LoggerFactory.getLogger(TaskCancellation.class);

  private final CountDownLatch fired = new CountDownLatch(1);
  private final List<Runnable> callbacks = new ArrayList<>();
  private final Consumer<Instant> observed;
  private volatile boolean seen;

  /** @param observed told, once, when the handler first saw the token fired */
  TaskCancellation(Consumer<Instant> observed) {
    this.observed = observed;
  }

  /** Fires the token; true the first time only. */
  boolean fire() {
    List<Runnable> toRun;
    synchronized (callbacks) {
      if (fired.getCount() == 0) {
        return false;
      }
      fired.countDown();
      toRun = List.copyOf(callbacks);
      callbacks.clear();
    }
    if (!toRun.isEmpty()) {
      seen();
    }
    toRun.forEach(TaskCancellation::runQuietly);
    return true;
  }

  /** Whether it fired, without counting as the handler looking. */
  boolean isFired() {
    return fired.getCount() == 0;
  }

  @Override
  public boolean isCancellationRequested() {
    if (fired.getCount() != 0) {
      return false;
    }
    seen();
    return true;
  }

  @Override
  public void throwIfCancellationRequested() {
    if (isCancellationRequested()) {
      throw new CancellationException("the task was cancelled");
    }
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    boolean cancelled = fired.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (cancelled) {
      seen();
    }
    return cancelled;
  }

  @Override
  public void onCancellationRequested(Runnable callback) {
    synchronized (callbacks) {
      if (fired.getCount() != 0) {
        callbacks.add(callback);
        return;
      }
    }
    seen();
    runQuietly(callback);
  }

  private void seen() {
    if (!seen) {
      seen = true;
      observed.accept(Instant.now());
    }
  }

  private static void runQuietly(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      // A handler's callback must not stop the owner from firing the next token.
      log.warn("a cancellation callback failed", e);
    }
  }
}
