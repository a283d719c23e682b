package dev.quench.worker.ownership;

import dev.quench.worker.spi.CancellationToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link CancellationToken} fired by the owner thread the moment a cancel for its task is polled. */
final class TaskCancellation implements CancellationToken {

  private static final Logger log = LoggerFactory.getLogger(TaskCancellation.class);

  private final CountDownLatch fired = new CountDownLatch(1);
  private final List<Runnable> callbacks = new ArrayList<>();

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
    toRun.forEach(TaskCancellation::runQuietly);
    return true;
  }

  @Override
  public boolean isCancellationRequested() {
    return fired.getCount() == 0;
  }

  @Override
  public void throwIfCancellationRequested() {
    if (isCancellationRequested()) {
      throw new CancellationException("the task was cancelled");
    }
  }

  @Override
  public boolean await(Duration timeout) throws InterruptedException {
    return fired.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void onCancellationRequested(Runnable callback) {
    synchronized (callbacks) {
      if (fired.getCount() != 0) {
        callbacks.add(callback);
        return;
      }
    }
    runQuietly(callback);
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
