package dev.quench.worker.spi;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/** Tells a running handler that its task was cancelled. Fires at most once, and never un-fires. */
public interface CancellationToken {

  boolean isCancellationRequested();

  /** @throws CancellationException if cancellation was requested */
  void throwIfCancellationRequested();

  /**
   * Waits until cancellation is requested or {@code timeout} passes: a cancellable sleep.
   *
   * @return true if cancellation was requested
   */
  boolean await(Duration timeout) throws InterruptedException;

  /**
   * Runs {@code callback} once when cancellation is requested, on the worker's thread that received the cancel (at
   * once, on the caller's thread, if it already was). Keep it short: close a socket, cancel a future.
   */
  void onCancellationRequested(Runnable callback);
}
