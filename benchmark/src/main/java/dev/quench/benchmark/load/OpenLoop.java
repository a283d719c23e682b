package dev.quench.benchmark.load;

import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop schedule: send {@code i} is due at {@code start + i / rate}, whether or not earlier answers came back.
 * Latency is then measured from the due time, not from when the client got round to sending, so a client or server
 * that falls behind shows up in the figures instead of silently slowing the load (coordinated omission).
 */
public final class OpenLoop {

  private final long start;
  private final double intervalNanos;

  /** @param start the due time of the first send, in {@link System#nanoTime()} */
  public OpenLoop(long start, double ratePerSecond) {
    this.start = start;
    this.intervalNanos = 1e9 / ratePerSecond;
  }

  public long dueAt(long i) {
    return start + Math.round(i * intervalNanos);
  }

  /** Waits until send {@code i} is due; returns at once if it is overdue. */
  public void awaitDue(long i) {
    long due = dueAt(i);
    for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
