package dev.quench.benchmark.synthetic;

import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.Progress;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskError;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.Usage;
import dev.quench.events.UsageLine;
import dev.quench.events.Uuids;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Task histories as the api and a worker write them: requests as the api appends them, and everything else decided
 * by {@link TaskDecider}, the worker's own decision function, so every history is one a real worker could have
 * written. Deterministic in the task number, except for the event ids the api draws at random.
 *
 * <p>The mix, by task number: 6 in 10 complete after two progress reports (5 events), 2 are cancelled while queued
 * (3), 1 is cancelled while running (5), 1 fails (3): 4.4 events per task.
 */
public final class SyntheticTasks {

  public static final String TENANT = "bench";
  static final String WORKER = "worker-bench";
  static final String API = "api/bench";
  static final String KEY = "bench-key";
  static final double EVENTS_PER_TASK = 4.4;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Instant epoch;

  /** @param epoch when the first task was submitted; task n comes n milliseconds later */
  public SyntheticTasks(Instant epoch) {
    // Whole milliseconds, as the api and the worker stamp events.
    this.epoch = epoch.truncatedTo(ChronoUnit.MILLIS);
  }

  /** A task id like the api's, distinct per task number. */
  public static String taskId(long n) {
    return Uuids.derive("benchmark-task", n).toString();
  }

  /** Task {@code n}'s events, oldest first. */
  public List<Envelope> history(long n) {
    String taskId = taskId(n);
    Instant at = epoch.plusMillis(n);
    History history = new History();
    history.accept(submitted(taskId, at, n, 1000 + n % 9000));
    int kind = (int) (n % 10);
    if (kind == 6 || kind == 7) {
      history.accept(cancelRequested(history.state, at.plusMillis(5), "not needed any more"));
      return history.events;
    }
    history.decide(new TaskCommand.Start(taskId, WORKER, at.plusMillis(10), null, new BigDecimal("0.05")));
    if (kind == 9) {
      history.decide(new TaskCommand.Finish(taskId, 1, new Outcome.Failed(new TaskError("upstream_unavailable",
          "the upstream model did not answer in time", true)), WORKER, at.plusMillis(400)));
      return history.events;
    }
    history.decide(new TaskCommand.ReportProgress(taskId, 1, new Progress(50, "sleeping", "500 of 1000 ms"),
        usage(0.5), WORKER, at.plusMillis(510)));
    if (kind == 8) {
      history.accept(cancelRequested(history.state, at.plusMillis(600), "user pressed stop"));
      history.decide(new TaskCommand.Finish(taskId, 1, new Outcome.Cancelled(false, usage(0.6)), WORKER,
          at.plusMillis(601)));
      return history.events;
    }
    history.decide(new TaskCommand.ReportProgress(taskId, 1, new Progress(90, "sleeping", "900 of 1000 ms"),
        usage(0.9), WORKER, at.plusMillis(910)));
    ObjectNode output = JSON.objectNode().put("slept_ms", 1000);
    history.decide(new TaskCommand.Finish(taskId, 1, new Outcome.Completed(output, usage(1.0)), WORKER,
        at.plusMillis(1011)));
    return history.events;
  }

  /**
   * The records of one cancel as the cancel section makes them: an hour-long {@code sleep} queued, then cancelled.
   *
   * @param request   the {@code CancelRequested} the api appends to the requests topic
   * @param outcome   the {@code TaskCancelled} the worker appends to the log (with a copy of the request)
   * @param cancelled the task's state after both, as the projector writes its view
   */
  public record Cancel(Envelope request, Envelope outcome, TaskState cancelled) {
  }

  public Cancel cancelOfQueued(String taskId) {
    History history = new History();
    ObjectNode input = JSON.objectNode().put("duration_ms", 3_600_000);
    history.accept(Envelope.of(UUID.randomUUID(), taskId, "demo", epoch, "api/api-1", null,
        UUID.randomUUID().toString(), new TaskSubmitted("sleep", null, Map.of("team", "benchmark"), input, "demo",
            fingerprint(taskId), List.of())));
    Envelope request = Envelope.of(UUID.randomUUID(), taskId, "demo", epoch.plusMillis(1), "api/api-1", null,
        UUID.randomUUID().toString(), new CancelRequested("benchmark", "demo", TaskStatus.QUEUED,
            fingerprint(taskId + "/cancel"), List.of()));
    history.accept(request);
    return new Cancel(request, history.events.get(history.events.size() - 1), history.state);
  }

  /**
   * A {@code POST /v1/tasks} as the api appends it to the requests topic, for the caller {@code keyId} of
   * {@code tenant}: the worker sequences it into the log and queues or starts it like any other create. Stamped now
   * and by {@code api/bench}, so the log says it was the benchmark's writer, not an api instance, that wrote it.
   */
  public static Envelope submission(String taskId, String tenant, String keyId, String capability,
                                    Map<String, String> metadata, ObjectNode input) {
    return Envelope.of(UUID.randomUUID(), taskId, tenant, Instant.now().truncatedTo(ChronoUnit.MILLIS), API, null,
        "req-" + taskId, new TaskSubmitted(capability, null, metadata, input, keyId, fingerprint(taskId), List.of()));
  }

  private static Envelope submitted(String taskId, Instant at, long n, long durationMs) {
    ObjectNode input = JSON.objectNode().put("duration_ms", durationMs);
    return Envelope.of(UUID.randomUUID(), taskId, TENANT, at, API, null, "req-" + n,
        new TaskSubmitted("sleep", null, Map.of("team", "search", "batch", "b" + n % 100), input, KEY,
            fingerprint(taskId), List.of()));
  }

  private static Envelope cancelRequested(TaskState state, Instant at, String reason) {
    return Envelope.of(UUID.randomUUID(), state.taskId(), TENANT, at, API, null, "req-cancel-" + state.taskId(),
        new CancelRequested(reason, KEY, state.status(), fingerprint(state.taskId() + at), List.of()));
  }

  /** As long as the api's (a SHA-256 in hex), so records have the size of real ones. */
  private static String fingerprint(String of) {
    return (Uuids.derive("fingerprint", of).toString() + Uuids.derive("fingerprint-2", of)).replace("-", "");
  }

  private static Usage usage(double seconds) {
    BigDecimal quantity = BigDecimal.valueOf(seconds).setScale(3);
    return new Usage(Map.of(), List.of(new UsageLine("sleep_time", quantity, "second",
        quantity.multiply(new BigDecimal("0.01")))));
  }

  /** One task's log as it grows: each decision folded in at once, as the worker's ledger does. */
  private static final class History {
    final List<Envelope> events = new ArrayList<>();
    TaskState state;

    /** A request the worker accepts into the log, with whatever outcome it decides at once. */
    void accept(Envelope request) {
      decide(new TaskCommand.Accept(request, WORKER, request.occurredAt()));
    }

    void decide(TaskCommand command) {
      for (Envelope event : TaskDecider.decide(command, state)) {
        events.add(event);
        state = TaskState.evolve(state, event);
      }
    }
  }
}
