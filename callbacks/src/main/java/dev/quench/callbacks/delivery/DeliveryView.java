package dev.quench.callbacks.delivery;

/** Delivery as health sees it, read-only: whether it was started, whether its thread lives, what it is doing. */
interface DeliveryView {

  /** Whether delivery was started and not stopped. */
  boolean isRunning();

  /** Whether the delivery thread exists and has not ended. */
  boolean threadAlive();

  /** What delivery is doing now. */
  DeliveryStatus.Snapshot status();
}
