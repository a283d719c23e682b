package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.standalone.chaos.Flatness.Judgement;
import dev.quench.standalone.chaos.Flatness.Verdict;
import dev.quench.standalone.chaos.SoakRecord.Point;
import java.time.Instant;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The flatness check compares the last third's median with the first third's, after the warm-up. */
class FlatnessTests {

  private static final Instant AT = Instant.parse("2026-12-03T16:00:00Z");

  @Test
  void aSteadySeriesIsFlat() {
    Verdict verdict = only(Flatness.judge(minutes(30, Measure.HEAP_AFTER_GC, m -> 40 + (m % 3)), 2, 30));

    assertThat(verdict.judgement()).isEqualTo(Judgement.FLAT);
    assertThat(verdict.start()).isEqualTo(40);
    assertThat(verdict.end()).isEqualTo(40 + (30 % 3));
  }

  @Test
  void aSeriesThatKeepsGrowingPastItsToleranceGrew() {
    // One MiB a minute: the last third's median (~35) is above 40 * 1.25 + 8 only if it starts low.
    List<Verdict> verdicts = Flatness.judge(minutes(30, Measure.HEAP_AFTER_GC, m -> 10 + 2 * m), 2, 30);

    Verdict verdict = only(verdicts);
    assertThat(verdict.judgement()).isEqualTo(Judgement.GREW);
    assertThat(verdict.firstThird()).isLessThan(verdict.lastThird());
    assertThat(verdict.lastThird()).isGreaterThan(verdict.limit());
    assertThat(Flatness.flat(verdicts)).isFalse();
    assertThat(verdict.line()).contains("GREW");
  }

  @Test
  void aRiseWithinTheSlackOfASmallFigureIsFlat() {
    // A lag from 2 to 40 records is twenty times as much, and still nothing: the slack is 50 records.
    Verdict verdict = only(Flatness.judge(minutes(30, Measure.CONSUMER_LAG, m -> m < 15 ? 2 : 40), 2, 30));

    assertThat(verdict.judgement()).isEqualTo(Judgement.FLAT);
  }

  @Test
  void theWarmUpIsLeftOut() {
    // High during the first two minutes (class loading), then steady.
    Verdict verdict = only(Flatness.judge(minutes(30, Measure.THREADS, m -> m < 2 ? 10 : 60), 2, 30));

    assertThat(verdict.firstThird()).isEqualTo(60);
    assertThat(verdict.judgement()).isEqualTo(Judgement.FLAT);
  }

  @Test
  void aFallIsFlat() {
    Verdict verdict = only(Flatness.judge(minutes(30, Measure.RSS, m -> 400 - 5 * m), 2, 30));

    assertThat(verdict.judgement()).isEqualTo(Judgement.FLAT);
  }

  @Test
  void aSeriesAbsentFromAThirdIsNotJudged() {
    // A worker that left in the first third and never came back.
    List<Verdict> verdicts = Flatness.judge(minutes(8, Measure.OPEN_FILES, m -> 300), 2, 30);

    assertThat(only(verdicts).judgement()).isEqualTo(Judgement.NOT_JUDGED);
    assertThat(Flatness.flat(verdicts)).isTrue();
    assertThat(only(verdicts).line()).contains("not judged");
  }

  @Test
  void everySeriesOfEveryMeasureIsJudgedOnItsOwn() {
    SoakRecord record = minutes(30, Measure.THREADS, m -> 50);
    minutes(30, Measure.THREADS, m -> 50 + 3 * m).points().forEach(p -> record.add(new Point(p.minute(), p.at(),
        "worker-2", 2, p.measure(), p.value())));

    List<Verdict> verdicts = Flatness.judge(record, 2, 30);

    assertThat(verdicts).extracting(Verdict::series).containsExactly("api-1", "worker-2");
    assertThat(verdicts).extracting(Verdict::judgement).containsExactly(Judgement.FLAT, Judgement.GREW);
  }

  private static Verdict only(List<Verdict> verdicts) {
    assertThat(verdicts).hasSize(1);
    return verdicts.get(0);
  }

  /** One point a minute of {@code api-1}, from minute 0 to {@code last}. */
  private static SoakRecord minutes(int last, Measure measure, IntToDoubleFunction value) {
    SoakRecord record = new SoakRecord();
    for (int m = 0; m <= last; m++) {
      record.add(new Point(m, AT.plusSeconds(60L * m), "api-1", 1, measure, value.applyAsDouble(m)));
    }
    return record;
  }
}
