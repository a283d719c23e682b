package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.Envelope;
import dev.quench.events.LogAudit;
import dev.quench.events.wire.EventCodec;
import dev.quench.standalone.AuditCommand;
import dev.quench.standalone.chaos.LoadDriver.Acknowledged;
import dev.quench.standalone.chaos.LoadDriver.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The end-of-run checks find what they are there to find: a quiet run that passes proves nothing otherwise. */
class LogCheckTests {

  private static final String TASK = "01a20934-7f45-7b28-9d2d-c8c123c0c492";
  private static final AuditCommand.Findings CLEAN_AUDIT = new AuditCommand.Findings(Map.of(), 0, 0, 0, Map.of(),
      new LogAudit.Report(0, 0, 0, 0, 0, 0, List.of()), 0, 0, List.of());

  private final EventCodec codec = new EventCodec();
  private final List<LogCheck.Event> history = new ArrayList<>();

  @Test
  void anAcknowledgedRequestIsLostWhenNoRequestOfItsTaskCarriesItsRequestId() {
    append("task.submitted", null, "req-create",
        "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":5},\"submitted_by\":\"demo\"}");
    UUID cancel = append("task.cancel_requested", null, "req-cancel-1",
        "{\"reason\":\"chaos\",\"requested_by\":\"demo\"}");
    append("task.cancelled", cancel, "req-cancel-1", "{\"was\":\"queued\",\"forced\":false}");

    LogCheck.Result result = LogCheck.judge(CLEAN_AUDIT, Map.of(TASK, history), List.of(
        acknowledged("req-create", Kind.CREATE),
        acknowledged("req-cancel-1", Kind.CANCEL),
        acknowledged("req-cancel-2", Kind.CANCEL)), Map.of(TASK, "cancelled"));

    assertThat(result.lost()).singleElement().asString().contains("req-cancel-2", TASK);
    assertThat(result.violations()).isEmpty();
    assertThat(result.tasksByStatus()).containsExactly(Map.entry("cancelled", 1));
    assertThat(result.outcomes()).containsExactly(Map.entry("cancelled (was queued)", 1));
  }

  @Test
  void aTaskThatNeverEndsAndAnApiThatDisagreesWithTheLogAreViolations() {
    UUID submitted = append("task.submitted", null, "req-create",
        "{\"capability\":\"sleep\",\"input\":{\"duration_ms\":5},\"submitted_by\":\"demo\"}");
    append("task.started", submitted, "req-create", "{\"worker\":\"worker-1\",\"attempt\":1}");

    LogCheck.Result result = LogCheck.judge(CLEAN_AUDIT, Map.of(TASK, history),
        List.of(acknowledged("req-create", Kind.CREATE)), new LinkedHashMap<>(Map.of(TASK, "completed")));

    assertThat(result.lost()).isEmpty();
    assertThat(result.violations()).containsExactlyInAnyOrder(
        "task " + TASK + " is still running in the fold of the log",
        "the api shows task " + TASK + " as completed, the fold of the log says running");
    assertThat(LogCheck.explain(result, List.of(new Timeline.Kill("worker-1", "worker", 42,
        Instant.parse("2026-11-23T16:19:26Z"), 12.5))))
        .contains("task " + TASK + ": 2 events", "task.started", "kill: worker worker-1 (pid 42)");
  }

  private UUID append(String type, UUID causation, String correlation, String data) {
    UUID id = UUID.randomUUID();
    String json = "{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\",\"schema_version\":1,\"task_id\":\"" + TASK
        + "\",\"tenant\":\"demo\",\"occurred_at\":\"2026-11-23T16:19:25." + (100 + history.size())
        + "Z\",\"producer\":\"test\",\"causation_id\":" + (causation == null ? "null" : "\"" + causation + "\"")
        + ",\"correlation_id\":\"" + correlation + "\",\"data\":" + data + "}";
    Envelope event = codec.decode(json.getBytes(StandardCharsets.UTF_8));
    history.add(new LogCheck.Event(2, history.size(), event));
    return id;
  }

  private static Acknowledged acknowledged(String requestId, Kind kind) {
    return new Acknowledged(requestId, kind, TASK, 202, Instant.parse("2026-11-23T16:19:25Z"));
  }
}
