package dev.quench.api.batches;

import dev.quench.api.ApiProperties;
import dev.quench.api.auth.Caller;
import dev.quench.api.log.BatchLog;
import dev.quench.api.log.BatchStore;
import dev.quench.api.log.BrokerWatch;
import dev.quench.api.log.RequestLog;
import dev.quench.api.log.TaskSummary;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.tasks.TaskRequests;
import dev.quench.api.web.ApiException;
import dev.quench.events.BatchAbortRequested;
import dev.quench.events.BatchAccepted;
import dev.quench.events.BatchSelection;
import dev.quench.events.BatchTargets;
import dev.quench.events.Envelope;
import dev.quench.events.TaskEvent;
import dev.quench.events.Uuids;
import dev.quench.kafka.TopicLayout;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.common.KafkaException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What the batch endpoints do: resolve a batch's targets against the read model, after the read barrier so every
 * acknowledged create counts, and fix them by recording the batch in the log in one transaction ({@link BatchLog}):
 * its header in the batch's home partition, and per partition its targets there, in chunks of at most
 * {@link BatchTargets#MAX_TASKS}, each partition paced at its share of the batch's rate. Another tenant's task, or a
 * task that does not exist, is reported {@code not_found} and never requested. {@code Idempotency-Key} works as for
 * tasks: the batch's id derives from it.
 */
@Component
public class BatchCommands {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BatchCommands.class);

  /** What a dry run would cancel now: the exact count, and the first of the ids. */
  public record Preview(List<String> targets, List<String> notFound) {
  }

  /** The targets of a batch: the tasks it hands on, and the ids it names that are no task the caller can see. */
  private record Targets(List<String> found, List<String> notFound) {
  }

  private final TaskViewReplica replica;
  private final BatchLog batchLog;
  private final BrokerWatch broker;
  private final ApiProperties settings;
  private final Clock clock;
  private final int partitions;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  BatchCommands(TaskViewReplica replica, BatchLog log, BrokerWatch broker, ApiProperties settings, Clock clock,
                TopicLayout layout) {
    this.replica = replica;
    this.batchLog = log;
    this.broker = broker;
    this.settings = settings;
    this.clock = clock;
    this.partitions = layout.partitions();
  }

  /** The targets a batch would have now, recording nothing. */
  public Preview preview(Caller caller, BatchRequests.BatchRequest request) {
    caller.require(Caller.CANCEL);
    awaitEveryAcknowledged();
    Targets targets = resolve(caller, request);
    return new Preview(targets.found(), targets.notFound());
  }

  /** Accepts a batch: its targets fixed and recorded, or, for a retry of an accepted one, that batch again. */
  public BatchStore.Snapshot accept(Caller caller, BatchRequests.BatchRequest request, String idempotencyKey,
                                    String fingerprint, String requestId) {
    caller.require(Caller.CANCEL);
    BatchSelection selection = request.taskIds() != null ? BatchSelection.IDS : BatchSelection.FILTER;
    return once(caller, idempotencyKey, fingerprint, batchId -> {
      Targets targets = resolve(caller, request);
      return record(caller, batchId, selection, request.filterEcho(), null, targets, request.reason(),
          request.maxPerSecond(), fingerprint, requestId);
    });
  }

  /**
   * Cancels a task and its whole tree as one batch: the tree as the read model knows it, and, in each partition,
   * every descendant its owner knows or is given later.
   */
  public BatchStore.Snapshot cascade(Caller caller, String rootTaskId, TaskRequests.Cancel cancel,
                                     String idempotencyKey, String fingerprint, String requestId) {
    caller.require(Caller.CANCEL);
    return once(caller, idempotencyKey, fingerprint, batchId -> {
      List<String> tree = scan(caller, summary -> summary.inTreeOf(rootTaskId));
      return record(caller, batchId, BatchSelection.CASCADE, null, rootTaskId, new Targets(tree, List.of()),
          cancel.reason(), null, fingerprint, requestId);
    });
  }

  /**
   * Asks the batch to stop: the targets not yet handed on never will be. A batch whose targets are all settled
   * is left as it is.
   *
   * @return the batch as it stands after the request, and whether an abort was recorded
   */
  public Aborted abort(Caller caller, String batchId, String requestId) {
    caller.require(Caller.CANCEL);
    BatchStore.Snapshot batch = visible(caller, batchId);
    if (batch.header().abortRequestedAt() != null || BatchProgress.of(batch).settled()) {
      return new Aborted(batch, false);
    }
    UUID id = batch.header().batchId();
    Set<Integer> touched = new TreeSet<>();
    touched.add(home(id));
    batch.chunks().forEach(chunk -> touched.add(chunk.partition()));
    for (int p = 0; p < partitions && batch.header().accepted().selection() == BatchSelection.CASCADE; p++) {
      touched.add(p);
    }
    Instant now = now();
    List<BatchLog.Placed> records = new ArrayList<>();
    for (int partition : touched) {
      // One id per partition: the records are distinct events in the log, and an event id appears there once.
      UUID eventId = Uuids.derive(id, "abort", partition);
      records.add(new BatchLog.Placed(partition, event(id, caller, now, requestId, eventId,
          new BatchAbortRequested(caller.keyId()))));
    }
    append(records);
    return new Aborted(replica.batches().get(id), true);
  }

  /** A batch after an abort request, and whether this request recorded one. */
  public record Aborted(BatchStore.Snapshot batch, boolean recorded) {
  }

  /** The caller's batch, or 404: another tenant's batch is indistinguishable from a missing one. */
  public BatchStore.Snapshot visible(Caller caller, String batchId) {
    caller.require(Caller.READ);
    UUID id = parse(batchId);
    BatchStore.Snapshot batch = id == null ? null : read(id);
    if (batch == null || !batch.header().tenant().equals(caller.tenant())) {
      throw ApiException.notFound("batch_not_found", "no cancellation batch with id '"
          + batchId.replaceAll("[^\\x20-\\x7e]", "?") + "'");
    }
    return batch;
  }

  /** One page of the caller's batches, newest first. */
  public List<BatchStore.Snapshot> list(Caller caller, BatchStore.Listed after, int limit) {
    caller.require(Caller.READ);
    awaitAll();
    return replica.batches().list(caller.tenant(), after, limit, listed -> true).stream()
        .map(listed -> replica.batches().get(listed.batchId())).filter(b -> b != null).toList();
  }

  private BatchStore.Snapshot read(UUID batchId) {
    awaitAll();
    return replica.batches().get(batchId);
  }

  /** The targets as the replica has them; after {@link #awaitEveryAcknowledged}, like {@link #scan}. */
  private Targets resolve(Caller caller, BatchRequests.BatchRequest request) {
    if (request.taskIds() == null) {
      return new Targets(scan(caller, request.filter()::matches), List.of());
    }
    List<String> found = new ArrayList<>();
    List<String> notFound = new ArrayList<>();
    for (String taskId : request.taskIds()) {
      TaskSummary task = TaskRequests.plausibleTaskId(taskId) ? replica.summary(taskId) : null;
      (task != null && caller.tenant().equals(task.tenant()) ? found : notFound).add(taskId);
    }
    return new Targets(found, notFound);
  }

  private List<String> scan(Caller caller, Predicate<TaskSummary> filter) {
    List<String> found = replica.scan(caller.tenant(), filter, BatchRequests.MAX_TARGETS + 1);
    if (found.size() > BatchRequests.MAX_TARGETS) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "too_many_targets", "the filter matches more than "
          + BatchRequests.MAX_TARGETS + " tasks; narrow it (created_before, say) and send several batches", "filter",
          false);
    }
    return found;
  }

  private BatchStore.Snapshot record(Caller caller, UUID batchId, BatchSelection selection, JsonNode filter,
                                     String root, Targets targets, String reason, Integer rate, String fingerprint,
                                     String requestId) {
    Instant now = now();
    Map<Integer, List<String>> byPartition = new TreeMap<>();
    if (selection == BatchSelection.CASCADE) {
      // Every partition hears of the cascade: a descendant can be submitted to any of them later.
      for (int p = 0; p < partitions; p++) {
        byPartition.put(p, new ArrayList<>());
      }
    }
    targets.found().forEach(t -> byPartition.computeIfAbsent(RequestLog.partitionFor(t, partitions),
        p -> new ArrayList<>()).add(t));
    List<BatchLog.Placed> chunks = new ArrayList<>();
    int chunk = 0;
    int total = targets.found().size();
    for (Map.Entry<Integer, List<String>> share : byPartition.entrySet()) {
      List<String> ids = share.getValue();
      Double perSecond = rate == null || total == 0 ? null : rate * (double) ids.size() / total;
      int from = 0;
      do {
        List<String> part = ids.subList(from, Math.min(ids.size(), from + BatchTargets.MAX_TASKS));
        chunks.add(new BatchLog.Placed(share.getKey(), event(batchId, caller, now, requestId,
            Uuids.derive(batchId, "targets", chunk), new BatchTargets(chunk, List.copyOf(part), false, now,
                perSecond, from, reason, caller.keyId(), root))));
        chunk++;
        from += part.size();
      } while (from < ids.size());
    }
    int home = home(batchId);
    for (int from = 0; from < targets.notFound().size(); from += BatchTargets.MAX_TASKS) {
      List<String> part = targets.notFound().subList(from,
          Math.min(targets.notFound().size(), from + BatchTargets.MAX_TASKS));
      chunks.add(new BatchLog.Placed(home, event(batchId, caller, now, requestId,
          Uuids.derive(batchId, "targets", chunk), new BatchTargets(chunk, List.copyOf(part), true, now, null, 0,
              reason, caller.keyId(), null))));
      chunk++;
    }
    List<BatchLog.Placed> records = new ArrayList<>();
    records.add(new BatchLog.Placed(home, event(batchId, caller, now, requestId, Uuids.derive(batchId, "accepted"),
        new BatchAccepted(caller.keyId(), reason, rate, selection, filter, root, total, targets.notFound().size(),
            chunk, fingerprint))));
    records.addAll(chunks);
    append(records);
    return replica.batches().get(batchId);
  }

  private Envelope event(UUID batchId, Caller caller, Instant now, String requestId, UUID eventId,
                         TaskEvent event) {
    return Envelope.of(eventId, batchId.toString(), caller.tenant(), now, settings.producer(), null, requestId, event);
  }

  /** Records a batch's records in one transaction, then makes them readable here at once. */
  private void append(List<BatchLog.Placed> records) {
    if (!broker.reachable()) {
      throw ApiException.unavailable("the task log is unreachable right now; nothing was recorded: retry it");
    }
    try {
      batchLog.append(records);
    } catch (KafkaException e) {
      log.warn("a batch could not be recorded", e);
      throw ApiException.unavailable("the batch could not be recorded (" + e.getClass().getSimpleName() + "); "
          + "nothing of it was: retry it, with the same Idempotency-Key to be safe");
    }
    records.forEach(placed -> replica.batches().applyRequest(placed.event(), placed.partition()));
  }

  /**
   * Runs {@code work} for a new batch id, after the strict read barrier, or answers the batch an earlier request with
   * the same key made (422 if its body differed); a retry while the first is in flight here gets 409. One barrier
   * serves both the key's lookup and the targets' resolution.
   */
  private BatchStore.Snapshot once(Caller caller, String idempotencyKey, String fingerprint,
                                   java.util.function.Function<UUID, BatchStore.Snapshot> work) {
    Instant now = now();
    if (idempotencyKey == null) {
      awaitEveryAcknowledged();
      return work.apply(Uuids.v7(now.toEpochMilli()));
    }
    String slot = caller.keyId() + "\u0000batch\u0000" + idempotencyKey;
    if (!inFlight.add(slot)) {
      throw new ApiException(HttpStatus.CONFLICT, "idempotency_key_in_flight",
          "a request with this Idempotency-Key is still in progress; retry it in a moment", "Idempotency-Key", true);
    }
    try {
      // Strict: a retry that another instance accepted first must be found, not accepted a second time.
      awaitEveryAcknowledged();
      for (int generation = 0; ; generation++) {
        UUID batchId = Uuids.derive("batch", caller.keyId(), idempotencyKey, generation);
        BatchStore.Snapshot earlier = replica.batches().get(batchId);
        if (earlier != null
            && earlier.header().createdAt().plus(settings.idempotencyRetention()).isBefore(now)) {
          continue;
        }
        if (earlier == null) {
          return work.apply(batchId);
        }
        String recorded = earlier.header().accepted().fingerprint();
        if (recorded != null && !recorded.equals(fingerprint)) {
          throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
              "this Idempotency-Key was used for a different request; use a new key for a new request",
              "Idempotency-Key", false);
        }
        return earlier;
      }
    } finally {
      inFlight.remove(slot);
    }
  }

  private void awaitAll() {
    try {
      replica.awaitAllRequests(settings.catchUpTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while reading the tasks");
    }
  }

  /**
   * The read barrier a batch's targets are resolved after, or a 503: a target set, or a dry run's exact count, read
   * from a replica that may be missing acknowledged creates (the broker unreachable, or the barrier not reached in
   * time on a loaded machine) would silently leave tasks out; a retry a moment later gets the whole set.
   */
  private void awaitEveryAcknowledged() {
    boolean read;
    try {
      read = replica.awaitAllRequests(settings.catchUpTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while reading the tasks");
    }
    if (!read) {
      throw ApiException.unavailable("the tasks could not be read up to every acknowledged request within "
          + settings.catchUpTimeout().toMillis() + " ms, so the batch's targets would not be exact; retry");
    }
  }

  private int home(UUID batchId) {
    return RequestLog.partitionFor(batchId.toString(), partitions);
  }

  private static UUID parse(String batchId) {
    try {
      return batchId != null && batchId.length() == 36 ? UUID.fromString(batchId) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
