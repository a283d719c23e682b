package dev.quench.benchmark.cancel;

/**
 * One cancel of the open-loop schedule and the moments it reached each stage, by {@link System#nanoTime()}; 0 until
 * it did. Each moment is written once, by one thread, and read after the step.
 */
final class CancelProbe {

  final String taskId;
  final long due;
  volatile long sent;
  volatile long answered;
  volatile int status;
  volatile long inRequests;
  volatile long inLog;
  volatile long inView;

  CancelProbe(String taskId, long due) {
    this.taskId = taskId;
    this.due = due;
  }

  boolean acknowledged() {
    return status / 100 == 2;
  }

  /** Answered, and either refused or shown cancelled: nothing more will happen to it. */
  boolean settled() {
    return answered != 0 && (!acknowledged() || inView != 0);
  }
}
