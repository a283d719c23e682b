package dev.quench.worker.ownership;

import java.time.Duration;

/**
 * When the owner commits what it decided. A transaction costs the broker about the same whether it carries one
 * decision or a hundred (its coordinator writes its state twice and a marker to every partition it touched), and
 * one with consumed offsets cannot begin before the last one's markers are written. So after a quiet spell the owner
 * commits at once, and under load at most once per interval, each transaction carrying everything decided since the
 * last: the latency a decision waits is at most the interval, and the cost per decision falls as the rate rises.
 * A transaction that has grown large commits at once.
 */
final class CommitPacer {

  private final long intervalNanos;
  private final int maxRecords;
  private long lastCommitStart = Long.MIN_VALUE / 2;

  /**
   * @param interval   the least time between the starts of two commits; zero commits every turn
   * @param maxRecords a transaction with this many records commits without waiting for the interval
   */
  CommitPacer(Duration interval, int maxRecords) {
    this.intervalNanos = interval.toNanos();
    this.maxRecords = maxRecords;
  }

  /** Whether a transaction holding {@code records} records (and some work) should commit now. */
  boolean due(int records, long nowNanos) {
    return records >= maxRecords || nowNanos - lastCommitStart >= intervalNanos;
  }

  /** How long until a waiting transaction is due, in nanoseconds; 0 if it is due now. */
  long untilDue(long nowNanos) {
    return Math.max(0, lastCommitStart + intervalNanos - nowNanos);
  }

  /** A commit started at {@code nowNanos}. */
  void committing(long nowNanos) {
    lastCommitStart = nowNanos;
  }
}
