package dev.quench.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A partition's share of a batch: given its records, when the owner hands on, then these requests. */
class BatchDeciderTests {

  private static final Instant ACCEPTED = Instant.parse("2026-11-23T10:00:00Z");
  private final BatchHistory batch = new BatchHistory(UUID.fromString("0197a000-0000-7000-8000-000000000001"),
      ACCEPTED);
  private final List<Envelope> given = new ArrayList<>();

  private BatchShare share() {
    BatchShare share = null;
    for (Envelope e : given) {
      share = BatchShare.evolve(share, e);
    }
    return share;
  }

  private List<Envelope> handOn(Instant at, int limit) {
    List<Envelope> requests = BatchDecider.handOn(share(), "w", at, limit);
    given.addAll(requests);
    return requests;
  }

  private static List<String> tasks(List<Envelope> requests) {
    return requests.stream().map(Envelope::taskId).toList();
  }

  @Test
  void aBatchWithoutARateHandsEveryTargetOnAtOnceInOrder() {
    given.add(batch.targets(0, 0, null, List.of("a", "b")));
    given.add(batch.targets(1, 2, null, List.of("c")));

    List<Envelope> requests = handOn(ACCEPTED, 100);

    assertThat(tasks(requests)).containsExactly("a", "b", "c");
    CancelRequested first = (CancelRequested) requests.get(0).event();
    assertThat(first.batch()).isEqualTo(new BatchRef(batch.batchId(), 0));
    assertThat(((CancelRequested) requests.get(2).event()).batch()).isEqualTo(new BatchRef(batch.batchId(), 1));
    assertThat(first.reason()).isEqualTo("campaign aborted");
    assertThat(requests.get(0).correlationId()).isEqualTo("req-batch");
    assertThat(requests.get(0).tenant()).isEqualTo(TaskHistory.TENANT);
    assertThat(requests.get(0).causationId()).isEqualTo(given.get(0).eventId());
    assertThat(share().pending()).isFalse();
    assertThat(handOn(ACCEPTED.plusSeconds(60), 100)).isEmpty();
  }

  @Test
  void aTargetIsNeverHandedOnBeforeItsTime() {
    given.add(batch.targets(0, 0, 2.0, List.of("a", "b", "c", "d")));

    assertThat(tasks(handOn(ACCEPTED, 100))).containsExactly("a");
    assertThat(tasks(handOn(ACCEPTED.plusMillis(499), 100))).isEmpty();
    assertThat(tasks(handOn(ACCEPTED.plusMillis(500), 100))).containsExactly("b");
    assertThat(BatchDecider.nextDue(share())).isEqualTo(ACCEPTED.plusSeconds(1));
    // Late, it catches up with what was due, never with what is not.
    assertThat(tasks(handOn(ACCEPTED.plusMillis(1600), 100))).containsExactly("c", "d");
    assertThat(BatchDecider.nextDue(share())).isNull();
  }

  @Test
  void aTurnHandsOnNoMoreThanItsLimitAndTheNextGoesOn() {
    given.add(batch.targets(0, 0, null, List.of("a", "b", "c")));

    assertThat(tasks(handOn(ACCEPTED, 2))).containsExactly("a", "b");
    assertThat(tasks(handOn(ACCEPTED, 2))).containsExactly("c");
  }

  @Test
  void aShareFoldedFromTheLogGoesOnWhereTheLastOwnerStopped() {
    given.add(batch.targets(0, 0, null, List.of("a", "b", "c")));
    handOn(ACCEPTED, 2);
    // What a new owner restores: the same records, and a replayed hand-on names the same request ids.
    List<Envelope> restored = new ArrayList<>(given);
    given.clear();
    given.addAll(restored);

    assertThat(share().handedOn()).isEqualTo(2);
    Envelope next = handOn(ACCEPTED, 10).get(0);
    assertThat(next.taskId()).isEqualTo("c");
    assertThat(next.eventId()).isEqualTo(BatchDecider.requestId(batch.batchId(), "c"));
  }

  @Test
  void aChunkWrittenTwiceCountsOnce() {
    Envelope chunk = batch.targets(0, 0, null, List.of("a"));
    given.add(chunk);
    given.add(chunk);

    assertThat(share().size()).isEqualTo(1);
  }

  @Test
  void anAbortHandsNothingMoreOnAndRecordsWhatItLeftPerChunk() {
    given.add(batch.targets(0, 0, 1.0, List.of("a", "b")));
    given.add(batch.targets(1, 2, 1.0, List.of("c")));
    handOn(ACCEPTED, 10);
    given.add(batch.abort());

    assertThat(handOn(ACCEPTED.plusSeconds(60), 10)).isEmpty();
    List<Envelope> skipped = BatchDecider.skipRest(share(), "w", ACCEPTED.plusSeconds(60));

    assertThat(skipped).extracting(Envelope::event).containsExactly(new BatchTargetsSkipped(0, List.of("b")),
        new BatchTargetsSkipped(1, List.of("c")));
    assertThat(skipped.get(0).taskId()).isEqualTo(batch.batchId().toString());
    given.addAll(skipped);
    assertThat(share().pending()).isFalse();
    assertThat(BatchDecider.skipRest(share(), "w", ACCEPTED.plusSeconds(61))).isEmpty();
  }

  @Test
  void aLateDescendantOfACascadeIsRequestedAsPartOfTheBatchWithoutAChunk() {
    given.add(batch.cascade(0, "root", List.of("root")));

    Envelope late = BatchDecider.lateTarget(share(), "child", "w", ACCEPTED.plusSeconds(5));

    assertThat(((CancelRequested) late.event()).batch()).isEqualTo(new BatchRef(batch.batchId(), null));
    assertThat(late.eventId()).isEqualTo(BatchDecider.requestId(batch.batchId(), "child"));
    assertThat(share().cascadeRoot()).isEqualTo("root");
  }

  @Test
  void idsTheApiFoundNoTaskForAreNeverHandedOn() {
    given.add(batchEventNotFound());

    assertThat(share()).isNull();
  }

  private Envelope batchEventNotFound() {
    return Envelope.of(Uuids.derive(batch.batchId(), "nf"), batch.batchId().toString(), TaskHistory.TENANT, ACCEPTED,
        "api", null, "req-batch", new BatchTargets(5, List.of("ghost"), true, ACCEPTED, null, 0, null, "k", null));
  }
}
