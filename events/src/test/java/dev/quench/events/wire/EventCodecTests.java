package dev.quench.events.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskEvent;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.Usage;
import dev.quench.events.UsageLine;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

class EventCodecTests {

  private final EventCodec codec = new EventCodec();
  private final TaskHistory task = TaskHistory.task("t-1");

  private List<Envelope> aFullHistory() {
    List<Envelope> log = new ArrayList<>();
    log.addAll(TaskDecider.decide(task.accept(task.submitted()), null));
    log.addAll(TaskDecider.decide(task.start(), TaskState.fold(log)));
    log.addAll(TaskDecider.decide(task.progress(1, 30), TaskState.fold(log)));
    log.addAll(TaskDecider.decide(task.accept(task.cancelRequested("r")), TaskState.fold(log)));
    log.addAll(TaskDecider.decide(task.finish(1, new Outcome.Completed(
        JsonNodeFactory.instance.objectNode().put("x", 1))), TaskState.fold(log)));
    log.addAll(TaskDecider.decide(task.accept(task.cancelRequested("late")), TaskState.fold(log)));
    return log;
  }

  @Test
  void everyEventSurvivesTheRoundTrip() {
    for (Envelope e : aFullHistory()) {
      assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
    }
  }

  @Test
  void aCallbacksEventsSurviveTheRoundTrip() {
    List<Envelope> log = new ArrayList<>();
    log.addAll(TaskDecider.decide(task.accept(task.submittedWithCallback("https://hooks.example/q")), null));
    log.addAll(TaskDecider.decide(task.accept(task.cancelRequested("r")), TaskState.fold(log)));
    log.add(task.callback(log, new dev.quench.events.CallbackAttempted(1, null, "timed out",
        java.time.Instant.parse("2026-11-23T11:00:00Z"))));
    log.add(task.callback(log, new dev.quench.events.CallbackDelivered(2, 200)));

    for (Envelope e : log) {
      assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
    }
    String attempted = new String(codec.encode(log.get(log.size() - 2)), StandardCharsets.UTF_8);
    assertThat(attempted).contains("\"type\":\"callback.attempted\"", "\"next_attempt_at\"");
    TaskView view = new TaskView(TaskState.fold(log), 0, 3);
    assertThat(codec.decodeView(codec.encodeView(view))).isEqualTo(view);
  }

  @Test
  void aSubmissionWrittenBeforeCallbacksExistedDecodesWithoutOne() {
    String old = "{\"event_id\":\"" + java.util.UUID.randomUUID() + "\",\"type\":\"task.submitted\","
        + "\"schema_version\":1,\"task_id\":\"t-old\",\"tenant\":\"acme\",\"occurred_at\":\"2026-01-01T00:00:00Z\","
        + "\"data\":{\"capability\":\"sleep\",\"submitted_by\":\"k\"}}";

    Envelope e = codec.decode(old.getBytes(StandardCharsets.UTF_8));

    assertThat(((dev.quench.events.TaskSubmitted) e.event()).callback()).isNull();
    assertThat(TaskState.fold(List.of(e)).callback()).isNull();
  }

  @Test
  void theWireCarriesShortTypeNamesAndSnakeCaseNeverJavaNames() {
    Envelope cancelled = TaskDecider.decide(task.accept(task.cancelRequested("r")),
        TaskState.fold(List.of(task.submitted()))).get(1);

    String json = new String(codec.encode(cancelled), StandardCharsets.UTF_8);

    assertThat(json).contains("\"type\":\"task.cancelled\"", "\"schema_version\":1", "\"causation_id\"",
        "\"data\":{\"was\":\"queued\",\"forced\":false}").doesNotContain("dev.quench", "TaskCancelled");
  }

  @Test
  void aViewSurvivesTheRoundTrip() {
    TaskView view = new TaskView(TaskState.fold(aFullHistory()), 3, 42L);

    assertThat(codec.decodeView(codec.encodeView(view))).isEqualTo(view);
  }

  @Test
  void aViewWithoutOutputOrInputEqualsItselfAfterTheRoundTrip() {
    Envelope submitted = TaskDecider.decide(task.accept(task.submitted("echo", null)), null).get(0);
    TaskView view = new TaskView(TaskState.fold(List.of(submitted)), 0, 0L);

    assertThat(view.task().input()).isNull();
    assertThat(codec.decodeView(codec.encodeView(view))).isEqualTo(view);
  }

  @Test
  void undecodableRecordsAreRejectedWithAStableReason() {
    assertReason("{not json", UndecodableRecordException.MALFORMED);
    assertReason("{\"type\":\"task.started\"}", UndecodableRecordException.INVALID);
    String unknown = new String(codec.encode(task.submitted()), StandardCharsets.UTF_8)
        .replace("task.submitted", "task.teleported");
    assertReason(unknown, UndecodableRecordException.UNKNOWN_TYPE);
    String newer = new String(codec.encode(task.submitted()), StandardCharsets.UTF_8)
        .replace("\"schema_version\":1", "\"schema_version\":2");
    assertReason(newer, UndecodableRecordException.NEWER_SCHEMA);
    String badData = new String(codec.encode(task.cancelRequested("x")), StandardCharsets.UTF_8)
        .replace("task.cancel_requested", "task.cancel_noop");
    assertThatThrownBy(() -> codec.decode(badData.replace("\"reason\":\"x\"", "\"reason\":\"nonsense\"").getBytes()))
        .isInstanceOf(UndecodableRecordException.class);
  }

  /** A run with amounts as a worker may compute them: 0.050 credits reserved, 1.20 seconds, 10.00 credits. */
  private List<Envelope> aRunWithDecimals() {
    List<Envelope> log = new ArrayList<>();
    log.addAll(TaskDecider.decide(task.accept(task.submitted()), null));
    log.addAll(TaskDecider.decide(task.start("0.050"), TaskState.fold(log)));
    Usage used = new Usage(Map.of("calls", 3L), List.of(new UsageLine("sleep_time", new BigDecimal("1.20"),
        "second", new BigDecimal("0.0120")), new UsageLine("call", new BigDecimal("10.00"), "call",
        new BigDecimal("0.000"))));
    log.addAll(TaskDecider.decide(task.finish(1, new Outcome.Completed(
        JsonNodeFactory.instance.objectNode().put("x", 2.5), used)), TaskState.fold(log)));
    return log;
  }

  @Test
  void anAmountReadsBackAsTheSameValueAndTheSameScale() {
    List<Envelope> written = aRunWithDecimals();
    List<Envelope> read = written.stream().map(e -> codec.decode(codec.encode(e))).toList();

    // Records compare BigDecimal with equals, scale included: equal here means equal scale too.
    assertThat(read).isEqualTo(written);
    TaskState folded = TaskState.fold(read);
    assertThat(folded).isEqualTo(TaskState.fold(written));
    assertThat(folded.reservedCredits()).hasToString("0.05");
    assertThat(folded.chargedCredits()).hasToString("0.012");
    assertThat(folded.usage().lines().get(1).quantity()).isEqualTo(BigDecimal.TEN.stripTrailingZeros());
    assertThat(new String(codec.encode(written.get(2)), StandardCharsets.UTF_8)).as("plain, never 1E+1")
        .contains("\"quantity\":10,").doesNotContain("E+");
    TaskView view = new TaskView(folded, 0, 5);
    assertThat(codec.decodeView(codec.encodeView(view))).isEqualTo(view);
  }

  @Test
  void eventsReadInOnePassEqualThoseReadThroughATreeAsEarlierBuildsDid() {
    // Earlier builds read an event's data into a tree of doubles first (0.050 came back 0.05): a view they wrote
    // must still equal a fresh fold of the same log by this build.
    JsonMapper mapper = codec.mapper();
    List<Envelope> log = aRunWithDecimals();
    List<Envelope> throughTrees = new ArrayList<>();
    for (Envelope e : log) {
      byte[] bytes = codec.encode(e);
      TaskEvent throughTree = (TaskEvent) mapper.treeToValue(mapper.readTree(bytes).get("data"),
          e.type().javaType());
      throughTrees.add(new Envelope(e.eventId(), e.schemaVersion(), e.taskId(), e.tenant(), e.occurredAt(),
          e.producer(), e.causationId(), e.correlationId(), throughTree));

      assertThat(codec.decode(bytes).event()).isEqualTo(throughTree).isEqualTo(e.event());
    }
    TaskView earlier = codec.decodeView(codec.encodeView(new TaskView(TaskState.fold(throughTrees), 0, 5)));
    assertThat(earlier.task()).isEqualTo(TaskState.fold(log.stream().map(e -> codec.decode(codec.encode(e)))
        .toList()));
  }

  @Test
  void theEnvelopesMembersMayComeInAnyOrder() {
    for (Envelope e : aFullHistory()) {
      ObjectNode wire = (ObjectNode) codec.mapper().readTree(codec.encode(e));
      ObjectNode dataFirst = JsonNodeFactory.instance.objectNode();
      dataFirst.set("data", wire.get("data"));
      wire.properties().forEach(member -> dataFirst.set(member.getKey(), member.getValue()));

      assertThat(codec.decode(codec.mapper().writeValueAsBytes(dataFirst))).isEqualTo(e);
    }
  }

  @Test
  void cloudEventHeadersNameTheEvent() {
    Envelope e = task.submitted();

    var headers = CloudEventHeaders.of(e);

    assertThat(headers.keySet()).contains("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
        "ce_subject");
    assertThat(new String(headers.get("ce_type"), StandardCharsets.UTF_8)).isEqualTo("task.submitted");
    assertThat(new String(headers.get("ce_id"), StandardCharsets.UTF_8)).isEqualTo(e.eventId().toString());
  }

  private void assertReason(String json, String reason) {
    assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(UndecodableRecordException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @SuppressWarnings("unused")
  private static JsonNode node() {
    return JsonNodeFactory.instance.objectNode();
  }

  @Test
  void aBatchsEventsSurviveTheRoundTrip() {
    dev.quench.events.BatchHistory batch = new dev.quench.events.BatchHistory(java.util.UUID.randomUUID(),
        java.time.Instant.parse("2026-11-23T10:00:00.123Z"));
    Envelope filtered = Envelope.of(java.util.UUID.randomUUID(), batch.batchId().toString(), "acme",
        batch.acceptedAt(), "api", null, "req", new dev.quench.events.BatchAccepted("k", null, 500,
            dev.quench.events.BatchSelection.FILTER, JsonNodeFactory.instance.objectNode().put("capability", "sleep"),
            null, 20_000, 0, 20, "fp"));
    for (Envelope e : List.of(batch.accepted(3, 1, 2), filtered, batch.targets(0, 0, 12.5, List.of("a", "b")),
        batch.cascade(1, "root", List.of()), batch.abort())) {
      assertThat(codec.decode(codec.encode(e))).isEqualTo(e);
    }
  }

  @Test
  void theRecordsOfTheBatchesTopicSurviveTheRoundTrip() {
    java.util.UUID batch = java.util.UUID.randomUUID();
    java.time.Instant at = java.time.Instant.parse("2026-11-23T10:00:00.123Z");
    dev.quench.events.BatchView header = new dev.quench.events.BatchView(batch, "acme",
        new dev.quench.events.BatchAccepted("k", "why", 10, dev.quench.events.BatchSelection.IDS, null, null, 2, 1, 2,
            "fp"), at, "req", null, null, 3, 17L);
    dev.quench.events.BatchChunkView chunk = new dev.quench.events.BatchChunkView(batch, "acme", null, 3, List.of(
        new dev.quench.events.BatchChunkView.Target("t-1", dev.quench.events.TargetOutcome.CANCELLED_RUNNING, at,
            at.plusMillis(4), true)), 18L);

    assertThat(codec.decodeBatchView(codec.encodeBatchRecord(header))).isEqualTo(header);
    assertThat(codec.decodeChunkView(codec.encodeBatchRecord(chunk))).isEqualTo(chunk);
    assertThat(EventCodec.isChunkKey(chunk.key())).isTrue();
    assertThat(EventCodec.isChunkKey(dev.quench.events.BatchView.key(batch))).isFalse();
  }
}
