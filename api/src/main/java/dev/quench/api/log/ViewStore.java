package dev.quench.api.log;

import dev.quench.api.log.TaskViewReplica.IndexKey;
import dev.quench.events.TaskView;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Where the replica keeps views, the listing index and the index of cancels' idempotency keys: in the heap ({@link MemoryViewStore}, the default), or on
 * disk ({@link RocksViewStore}) for read models larger than the heap. Written by the replica's thread only, except
 * index entries, which request threads add for tasks they just submitted.
 */
public interface ViewStore extends AutoCloseable {

  TaskView get(String taskId);

  /** What filters look at of a task, or null; a store that keeps no summaries decodes the view. */
  default TaskSummary summary(String taskId) {
    TaskView view = get(taskId);
    return view == null ? null : TaskSummary.of(view.task());
  }

  /**
   * Stores the view unless the stored one reflects a later log offset; true if {@code view} is stored now.
   * {@code encoded} is the view as the view topic carried it, for a store that keeps bytes, or null to encode.
   */
  boolean merge(TaskView view, byte[] encoded);

  void remove(String taskId);

  /** How many views, exactly or as estimated. */
  long size();

  void index(IndexKey key);

  void unindex(IndexKey key);

  /**
   * Visits the index entries after {@code from} (exclusive), in listing order (by tenant, newest first), until
   * {@code visitor} answers false.
   */
  void forEachAfter(IndexKey from, Predicate<IndexKey> visitor);

  /** How far the view topic had been read into this store, per partition, when last saved; empty if never. */
  Map<Integer, Long> viewPositions();

  /** Records how far the view topic has been read into this store. */
  void saveViewPositions(Map<Integer, Long> positions);

  /**
   * Records that a cancel with the {@code Idempotency-Key} of this id
   * ({@link dev.quench.events.CancelRequested#idempotencyKeyId()}) was made on the task at {@code at}.
   */
  void indexCancelKey(UUID keyId, String taskId, Instant at);

  /** A task other than {@code taskId} that a cancel with this key id was made on at or after {@code since}, or null. */
  String otherTaskOfCancelKey(UUID keyId, String taskId, Instant since);

  /** Forgets the cancel keys used before {@code cutoff}, which may start new requests now. */
  void forgetCancelKeysBefore(Instant cutoff);

  @Override
  void close();
}
