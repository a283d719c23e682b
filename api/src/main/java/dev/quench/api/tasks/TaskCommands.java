package dev.quench.api.tasks;

import dev.quench.api.ApiProperties;
import dev.quench.api.auth.Caller;
import dev.quench.api.capabilities.CapabilityCatalog;
import dev.quench.api.log.BrokerWatch;
import dev.quench.api.log.RequestLog;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.web.ApiException;
import dev.quench.kafka.callbacks.CallbackAddresses;
import dev.quench.events.CallbackRequest;
import dev.quench.events.CancelRecord;
import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.Uuids;
import dev.quench.events.Warning;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What the task endpoints of both contracts do, whatever shape they answer in: submit, cancel, read and list, with
 * {@code Idempotency-Key} semantics (IETF httpapi draft) and without a store of their own.
 *
 * <p>Idempotency follows from ids derived from the key. A create with key k from API key a is task
 * {@code UUIDv5(a, k, generation)}; a cancel is event {@code UUIDv5(a, k, task)}. A retry names the same task or
 * event, which the read model knows: the same body (by fingerprint) gets the first answer again, another body 422.
 * Two racing first requests both append; the log's order decides which counts, and this instance's replica, folded
 * in log order, sees the same winner the worker does. A key is remembered for the retention; after it, the next
 * generation's id starts a new task. A cancel also records the id {@code UUIDv5(a, k)} of its key, which the
 * replica indexes: the same key on another task's cancel within the retention is 422 as well (two such first requests
 * racing on two instances both count, the tasks sitting in different partitions). A retry while the first is still in
 * flight on this instance gets 409; across instances the log order decides, as above.
 */
@Component
public class TaskCommands {

  /** What a request gets: a status and the task as it stands after it. */
  public record Answer(HttpStatus status, TaskState task) {
  }

  /**
   * A submission whose fields are valid, whichever contract it came through; its capability and input are checked
   * against what workers announced only when it is about to be recorded.
   *
   * @param capabilityField the request field that chose the capability, for a refusal to name
   * @param inputField      the request field holding the input, or {@code ""} when the input's members are the
   *                        request's own fields
   * @param callback        where to POST the task's end, not yet checked against the address rules; or null
   */
  public record Submission(String capability, String model, Map<String, String> metadata, JsonNode input,
                           List<Warning> warnings, String capabilityField, String inputField,
                           String parentTaskId, CallbackRequest callback) {

    public Submission(String capability, String model, Map<String, String> metadata, JsonNode input,
                      List<Warning> warnings, String capabilityField, String inputField) {
      this(capability, model, metadata, input, warnings, capabilityField, inputField, null, null);
    }
  }

  private final RequestLog requests;
  private final TaskViewReplica replica;
  private final SubmissionCheck admission;
  private final BrokerWatch broker;
  private final ApiProperties settings;
  private final Clock clock;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  TaskCommands(RequestLog requests, TaskViewReplica replica, CapabilityCatalog capabilities, BrokerWatch broker,
               ApiProperties settings, Clock clock, CallbackAddresses callbacks) {
    this.requests = requests;
    this.replica = replica;
    this.admission = new SubmissionCheck(capabilities, callbacks);
    this.broker = broker;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Submits a task: 202 with it queued, or for a retry of a recorded submission the first answer again.
   *
   * @param fingerprint what identifies this request's content, to tell a retry from a different request
   */
  public Answer submit(Caller caller, Submission submission, String idempotencyKey, String fingerprint,
                       String requestId) {
    caller.require(Caller.WRITE);
    Instant now = now();
    List<String> ancestors = ancestors(caller, submission.parentTaskId());
    if (idempotencyKey == null) {
      admission.admit(submission);
      String taskId = Uuids.v7(now.toEpochMilli()).toString();
      append(submitted(caller, submission, ancestors, taskId, fingerprint, requestId, now));
      return new Answer(HttpStatus.ACCEPTED, replica.find(taskId));
    }
    return once(caller, "create", idempotencyKey, () -> {
      for (int generation = 0; ; generation++) {
        String taskId = Uuids.derive("create", caller.keyId(), idempotencyKey, generation).toString();
        TaskState earlier = read(taskId);
        if (earlier != null && expired(earlier, now)) {
          continue;
        }
        if (earlier == null) {
          admission.admit(submission);
          append(submitted(caller, submission, ancestors, taskId, fingerprint, requestId, now));
          // Read again, to the end of the log: if another request with this key got there first, it counts.
          earlier = read(taskId);
        }
        requireSameRequest(fingerprint, earlier.fingerprint());
        return new Answer(HttpStatus.ACCEPTED, earlier);
      }
    });
  }

  /**
   * Records a cancel request, whatever the task's state: every request is audited and gets its own outcome. 202
   * while the task still has to stop (it shows {@code cancel_requested_at}); 200 with the final state when it already
   * ended. The status always matches the task the answer shows, which is read after the request was recorded: a
   * task that ended meanwhile is a 200 with its final state, never a 202 showing a terminal status. A retry of a
   * recorded request has no second effect and is answered by the same rule.
   */
  public Answer cancel(Caller caller, String taskId, String reason, List<Warning> warnings, String idempotencyKey,
                       String fingerprint, String requestId) {
    caller.require(Caller.CANCEL);
    TaskState task = visibleForCancel(caller, taskId);
    if (idempotencyKey == null) {
      return cancel(caller, task, UUID.randomUUID(), null, reason, warnings, fingerprint, requestId);
    }
    UUID eventId = Uuids.derive("cancel", caller.keyId(), idempotencyKey, taskId);
    UUID keyId = Uuids.derive("cancel-key", caller.keyId(), idempotencyKey);
    return once(caller, "cancel", idempotencyKey, () -> {
      CancelRecord earlier = task.cancelRecord(eventId);
      if (earlier != null) {
        requireSameRequest(fingerprint, earlier.fingerprint());
        return answerShowing(task);
      }
      if (replica.otherTaskOfCancelKey(keyId, taskId) != null) {
        // The same key, another task: another request (IETF httpapi draft), even though the body may be the same.
        throw keyReused();
      }
      cancel(caller, task, eventId, keyId, reason, warnings, fingerprint, requestId);
      // Another instance may have recorded this very request first (a retry that raced, or one this replica had not
      // read yet): the log's first copy is the one that counts, so the answer is read after all of them.
      TaskState after = read(taskId);
      CancelRecord counted = after.cancelRecord(eventId);
      requireSameRequest(fingerprint, counted == null ? fingerprint : counted.fingerprint());
      return answerShowing(after);
    });
  }

  /**
   * The task once it has ended, waiting at most {@code timeout} for this replica to show it so; after that, the task as
   * it stands then.
   */
  public TaskState awaitEnd(TaskState task, Duration timeout) {
    try {
      return whenEnded(task, timeout).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return task;
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for a task failed", e.getCause());
    }
  }

  /**
   * Completes with the task once this replica shows it ended, or after {@code wait} with the task as it stands then.
   * No thread waits meanwhile: the replica completes it as it reads the terminal view (on its own thread: attach
   * only cheap continuations).
   */
  public CompletableFuture<TaskState> whenEnded(TaskState task, Duration wait) {
    if (task.status().terminal() || wait.isZero()) {
      return CompletableFuture.completedFuture(task);
    }
    return replica.when(task.taskId(), t -> t.status().terminal())
        .completeOnTimeout(null, wait.toNanos(), TimeUnit.NANOSECONDS)
        .thenApply(ended -> {
          if (ended != null) {
            return ended;
          }
          TaskState now = replica.find(task.taskId());
          return now == null ? task : now;
        });
  }

  /** The caller's task, or 404: another tenant's task is indistinguishable from a missing one. */
  public TaskState visible(Caller caller, String taskId) {
    caller.require(Caller.READ);
    TaskState task = TaskRequests.plausibleTaskId(taskId) ? read(taskId) : null;
    if (task == null || !task.tenant().equals(caller.tenant())) {
      throw ApiException.notFound("task_not_found", "no task with id '" + abbreviate(taskId) + "'");
    }
    return task;
  }

  /**
   * The task a cancel is for. A task this instance already knows needs no end-offset lookup first: a cancel is
   * recorded whatever the task's state, and what other instances appended meanwhile can only be cancels too. Only an
   * unknown task is looked for to the end of the log, as a read would.
   */
  private TaskState visibleForCancel(Caller caller, String taskId) {
    TaskState known = TaskRequests.plausibleTaskId(taskId) ? replica.find(taskId) : null;
    return known != null && known.tenant().equals(caller.tenant()) ? known : visible(caller, taskId);
  }

  /** One page of the caller's tasks, newest first. */
  public TaskViewReplica.Page list(Caller caller, TaskListQuery query) {
    caller.require(Caller.READ);
    try {
      return replica.list(caller.tenant(), query.after(), query::matches, query.limit(), TaskListQuery.SCAN_LIMIT,
          settings.catchUpTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while listing tasks");
    }
  }

  private Answer cancel(Caller caller, TaskState task, UUID eventId, UUID keyId, String reason,
                        List<Warning> warnings, String fingerprint, String requestId) {
    TaskStatus found = task.status();
    append(Envelope.of(eventId, task.taskId(), caller.tenant(), now(), settings.producer(), null, requestId,
        new CancelRequested(reason, caller.keyId(), found, fingerprint, warnings, keyId)));
    return answerShowing(replica.find(task.taskId()));
  }

  /** The task as it stands, with the status a cancel of it answers: 202 while it still has to stop, else 200. */
  public Answer current(Caller caller, String taskId) {
    return answerShowing(visible(caller, taskId));
  }

  private static Answer answerShowing(TaskState task) {
    return new Answer(task.status().terminal() ? HttpStatus.OK : HttpStatus.ACCEPTED, task);
  }

  private Envelope submitted(Caller caller, Submission s, List<String> ancestors, String taskId, String fingerprint,
                             String requestId, Instant now) {
    return Envelope.of(UUID.randomUUID(), taskId, caller.tenant(), now, settings.producer(), null, requestId,
        new TaskSubmitted(s.capability(), s.model(), s.metadata(), s.input(), caller.keyId(), fingerprint,
            s.warnings(), s.parentTaskId(), ancestors, s.callback()));
  }

  /**
   * A subtask's ancestors, root first, from its parent, which must be one of the caller's tasks; none without a
   * parent. A tree may grow {@link TaskSubmitted#MAX_DEPTH} deep.
   */
  private List<String> ancestors(Caller caller, String parentTaskId) {
    if (parentTaskId == null) {
      return List.of();
    }
    TaskState parent = read(parentTaskId);
    if (parent == null || !parent.tenant().equals(caller.tenant())) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "parent_not_found",
          "no task with id '" + abbreviate(parentTaskId) + "' to be the parent", "parent_task_id", false);
    }
    if (parent.ancestors().size() + 1 > TaskSubmitted.MAX_DEPTH) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "tree_too_deep", "a task tree may be at most "
          + TaskSubmitted.MAX_DEPTH + " levels deep below its root", "parent_task_id", false);
    }
    List<String> ancestors = new java.util.ArrayList<>(parent.ancestors());
    ancestors.add(parent.taskId());
    return ancestors;
  }

  private boolean expired(TaskState task, Instant now) {
    return task.createdAt().plus(settings.idempotencyRetention()).isBefore(now);
  }

  private static void requireSameRequest(String fingerprint, String recorded) {
    if (recorded != null && !recorded.equals(fingerprint)) {
      throw keyReused();
    }
  }

  private static ApiException keyReused() {
    return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused",
        "this Idempotency-Key was used for a different request; use a new key for a new request",
        "Idempotency-Key", false);
  }

  /** Runs {@code work} unless a request with the same key is still in flight here: that one gets 409. */
  private Answer once(Caller caller, String kind, String idempotencyKey, java.util.function.Supplier<Answer> work) {
    String slot = caller.keyId() + "\u0000" + kind + "\u0000" + idempotencyKey;
    if (!inFlight.add(slot)) {
      throw new ApiException(HttpStatus.CONFLICT, "idempotency_key_in_flight",
          "a request with this Idempotency-Key is still in progress; retry it in a moment", "Idempotency-Key",
          true);
    }
    try {
      return work.get();
    } finally {
      inFlight.remove(slot);
    }
  }

  /**
   * The task after the read barrier; a 503 rather than "no such task" when the barrier fell short and the task is
   * not known here: another instance may have acknowledged it (a 404 for it, or a second create under the same
   * idempotency key, would be wrong, and a retry a moment later is right).
   */
  private TaskState read(String taskId) {
    try {
      TaskViewReplica.Lookup lookup = replica.lookUp(taskId, settings.catchUpTimeout());
      if (lookup.task() == null && !lookup.upToDate()) {
        throw ApiException.unavailable("the task could not be looked up against every acknowledged request within "
            + settings.catchUpTimeout().toMillis() + " ms; retry");
      }
      return lookup.task();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while reading the task");
    }
  }

  /** Waits until the request is durably in the log, then makes it readable on this instance at once. */
  private void append(Envelope request) {
    if (!broker.reachable()) {
      throw ApiException.unavailable("the task log is unreachable right now; nothing was recorded: retry it");
    }
    RecordMetadata appended;
    try {
      appended = requests.append(request).get(settings.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted before the request was recorded; retry it");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RecordTooLargeException) {
        // Not the log's fault, and no retry will fix it: say so, rather than invite retries forever.
        throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "body_too_large",
            "the request is too large to record; send a smaller input", null, false);
      }
      throw ApiException.unavailable("the task log did not confirm the request in time; it may not be recorded:"
          + " retry it (with the same Idempotency-Key to be safe)");
    } catch (TimeoutException e) {
      throw ApiException.unavailable("the task log did not confirm the request in time; it may not be recorded:"
          + " retry it (with the same Idempotency-Key to be safe)");
    }
    replica.recordPending(request, appended.offset());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String abbreviate(String id) {
    String safe = id.replaceAll("[^\\x20-\\x7e]", "?");
    return safe.length() > 80 ? safe.substring(0, 80) + "…" : safe;
  }
}
