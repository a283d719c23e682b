package dev.quench.api.log;

import java.time.Instant;

/** How far the api's replica has read the view topic, and whether its reading loop works: for staleness and health. */
public interface ReplicaProgress {

  /**
   * Why the loop is not reading.
   *
   * @param error what failed last
   * @param since when the failing began
   */
  record Failure(String error, Instant since) {
  }

  int partitions();

  /** Whether the replica read the view topic to the end it had at start. */
  boolean isCaughtUp();

  /** The next offset of the view partition the replica will read, or -1 before it started reading. */
  long viewPosition(int partition);

  /** The record timestamp (epoch millis) of the newest view applied from the partition, or -1 before any. */
  long newestViewTimestamp(int partition);

  /** Why the loop is failing (it retries every second), or null while it reads. */
  Failure failure();
}
